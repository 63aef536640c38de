"""The fund's statistics tables (``hkhz_portal.core.stats``): deals by fund and stage, and
priority windows by fund and state, each in one GROUP BY query. ``/api/v1/fund/figures/``
gives each fund its cells of the same published tables, suppression and all.

One table crossing fund and stage (and fund and state), and no margin of either: a total by
stage beside the cross would give back, by difference, the cells the cross withholds.
"""

from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from hkhz_portal.core import stats

from .models import Deal, Fund, PriorityWindow, WindowState
from .workflow import Stage

DEALS = ("deals", "fund-stage")
WINDOWS = ("priority-windows", "fund-state")


def _crossed(model, column: str, values) -> list[tuple[str, str, int]]:
    """Keys ``<fund slug>:<value>``, in the order of the funds' short names, then of ``values``
    as declared; empty cells are left out."""
    counts = model.objects.order_by().values_list("fund_id", column).annotate(n=Count("id"))
    counts = {(fund, value): n for fund, value, n in counts}
    funds = Fund.objects.filter(pk__in={fund for fund, _value in counts}).order_by("slug")
    return [
        (f"{fund.slug}:{value.value}", f"{fund.name} · {value.label}", n)
        for fund in funds
        for value in values
        if (n := counts.get((fund.pk, value)))
    ]


def deals_by_fund_stage() -> list[tuple[str, str, int]]:
    return _crossed(Deal, "stage", Stage)


def windows_by_fund_state() -> list[tuple[str, str, int]]:
    return _crossed(PriorityWindow, "state", WindowState)


def published(dataset: str, by: str) -> dict:
    """One of the fund's registered tables as the statistics API publishes it."""
    return stats.publish(next(t for t in stats.tables() if (t.dataset, t.by) == (dataset, by)))


def _example(counts) -> list[tuple[str, str, int]]:
    """A table's example rows: the demo fund with each (choice, count) of ``counts``."""
    fund = "Hangzhou–Hong Kong Technology Achievement Transformation Fund"
    return [(f"hkhz-fund:{choice.value}", f"{fund} · {choice.label}", count) for choice, count in counts]


def register() -> None:
    """Called from ``FundsConfig.ready()``. Each example shows a small cell withheld, and the
    next smallest with it, so that the total does not give it away."""
    stats.register_table(
        *DEALS,
        title=_("Deals by fund and stage"),
        rows=deals_by_fund_stage,
        example=_example(
            (
                (Stage.SCREENING, 9),
                (Stage.DUE_DILIGENCE, 6),
                (Stage.COMMITTEE, 2),
                (Stage.PORTFOLIO, 5),
                (Stage.DECLINED, 14),
            )
        ),
    )
    stats.register_table(
        *WINDOWS,
        title=_("Priority windows by fund and state"),
        rows=windows_by_fund_state,
        example=_example(
            (
                (WindowState.OPEN, 3),
                (WindowState.EXERCISED, 7),
                (WindowState.WAIVED, 11),
                (WindowState.EXPIRED, 6),
            )
        ),
    )
