"""Statistics for partners: tables of counts that apps register, published with small cells
suppressed so that no figure singles out a firm.

An app registers each table in ``AppConfig.ready()`` (``hkhz_portal`` imports no app)::

    stats.register_table(
        "applications", "status", title=_("Applications by status"), rows=by_status,
        example=[("in_review", _("In review"), 12), ("rejected", _("Rejected"), 9)],
    )

``rows()`` returns ``(key, label, count)`` for each cell, in the order to show them; ``example``
holds cells of the same kind, which the API documentation publishes as the table's example. The API
serves every table at ``/api/v1/stats/<dataset>/<by>/``; the centres' requests by service
and the fund's deployment are further tables of the same shape.
"""

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

#: Counts under this are not published.
THRESHOLD = 5


@dataclass(frozen=True)
class Table:
    dataset: str
    by: str
    title: str
    rows: Callable[[], Iterable[tuple[str, str, int]]]
    #: Keys whose counts another table gives anyway (applications by status: ``admitted`` is the
    #: total of admissions by year), so hiding them hides nothing.
    disclosed: frozenset[str] = frozenset()
    #: Plausible cells, published as the table's example in the API documentation.
    example: tuple[tuple[str, str, int], ...] = ()

    @property
    def name(self) -> str:
        return f"{self.dataset}-by-{self.by}"


_tables: dict[str, Table] = {}


def register_table(dataset: str, by: str, *, title, rows, example, disclosed=()) -> None:
    """Add a table (again under the same names replaces it; ``ready()`` may run twice)."""
    table = Table(
        dataset=dataset, by=by, title=title, rows=rows, disclosed=frozenset(disclosed), example=tuple(example)
    )
    _tables[table.name] = table


def tables() -> list[Table]:
    return list(_tables.values())


def suppress(
    counts: Mapping[str, int], threshold: int = THRESHOLD, *, disclosed: frozenset[str] = frozenset()
) -> tuple[set[str], bool]:
    """Which cells of a one-way table, and whether its total, to withhold.

    1. Every cell under ``threshold`` is withheld (primary suppression).
    2. The published total minus the published cells gives the sum of the withheld ones. So
       while that sum would tell too much, the smallest published cell is withheld too
       (complementary suppression): too much is one withheld cell (its exact count), or a sum
       under ``threshold`` (withheld cells count at least one each, so 1 + 1 = 2 pins both).
       A cell in ``disclosed`` is never taken for this: another table publishes its count, so
       withholding it here would hide nothing.
    3. If that still tells too much, because no published cell is left, or if the total itself
       is under ``threshold``, the total is withheld.

    Ties between equal cells go to the first key in ``counts``' order, so the same data is
    always published the same way.
    """
    withheld = {key for key, count in counts.items() if count < threshold}
    published = sorted(
        (count, position, key)
        for position, (key, count) in enumerate(counts.items())
        if key not in withheld and key not in disclosed
    )

    def tells_too_much() -> bool:
        return bool(withheld) and (len(withheld) == 1 or sum(counts[key] for key in withheld) < threshold)

    while tells_too_much() and published:
        withheld.add(published.pop(0)[2])
    total_withheld = tells_too_much() or sum(counts.values()) < threshold
    return withheld, total_withheld


def publish(table: Table, threshold: int = THRESHOLD) -> dict:
    """The table as the API serves it: each cell's count, or ``None`` with ``suppressed: true``."""
    rows = list(table.rows())
    counts = {key: count for key, _label, count in rows}
    withheld, total_withheld = suppress(counts, threshold, disclosed=table.disclosed)
    total = sum(counts.values())
    return {
        "dataset": table.dataset,
        "by": table.by,
        "title": str(table.title),
        "threshold": threshold,
        "rows": [
            {
                "key": key,
                "label": str(label),
                "count": None if key in withheld else count,
                "suppressed": key in withheld,
            }
            for key, label, count in rows
        ],
        "total": {"count": None if total_withheld else total, "suppressed": total_withheld},
    }
