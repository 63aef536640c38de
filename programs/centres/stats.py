"""The service centres' statistics table (``hkhz_portal.core.stats``): service requests by centre,
service category and state, in one GROUP BY query.

One table crossing the three, and no table of any one of them alone: a margin (requests by
state, say) beside the cross would give back the cells the cross withholds, by difference.
"""

from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from hkhz_portal.accounts.models import Unit
from hkhz_portal.core import stats

from ..models import ServiceCategory, ServiceRequest
from .workflow import State


def requests_by_centre_category_state() -> list[tuple[str, str, int]]:
    """Keys ``<centre code>:<category>:<state>``, in the order of the centres' codes, then of the
    categories and states as declared."""
    counts = (
        ServiceRequest.objects.order_by().values_list("unit_id", "service__category", "state").annotate(n=Count("id"))
    )
    counts = {(unit, category, state): n for unit, category, state, n in counts}
    units = Unit.objects.filter(pk__in={unit for unit, _category, _state in counts}).order_by("code")
    return [
        (f"{unit.code}:{category.value}:{state.value}", f"{unit.name} · {category.label} · {state.label}", n)
        for unit in units
        for category in ServiceCategory
        for state in State
        if (n := counts.get((unit.pk, category, state)))
    ]


def register() -> None:
    """Called from ``ProgramsConfig.ready()``. The example shows a small cell withheld, with the
    next smallest, so that the total does not give it away."""
    stats.register_table(
        "service-requests",
        "centre-category-state",
        title=_("Service requests by centre, category and state"),
        rows=requests_by_centre_category_state,
        example=[
            (
                "hk-centre:company_setup:completed",
                "Hong Kong Go-Global Service Centre · Company set-up · Completed",
                23,
            ),
            (
                "hk-centre:bank_account:in_progress",
                "Hong Kong Go-Global Service Centre · Bank account · In progress",
                8,
            ),
            (
                "hz-centre:regulatory_filing:completed",
                "Hangzhou Come-In Service Centre · Regulatory filing · Completed",
                6,
            ),
            ("hz-centre:talent_visas:requested", "Hangzhou Come-In Service Centre · Talent and visas · Requested", 2),
        ],
    )
