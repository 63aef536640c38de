"""A call's ranking, from its submitted reviews, with each reviewer's harshness or leniency taken out.

Every review has a weighted score (``Review.total``) on the rubric's scale. The raw score of an
application is the mean of its reviews' scores. For the normalised score, each reviewer's
scores across the call become z-scores (how many of their own standard deviations above or
below their own mean), put back on the call's scale (the mean and standard deviation of all the
call's review scores), so a harsh reviewer's 3 and a lenient reviewer's 5 can mean the same.
A reviewer with fewer than ``MIN_SCORES`` scores in the call has no mean worth trusting: their
scores stay raw and the rows they touch are marked. A reviewer who gave every application the
same score (no spread) tells nothing apart: their z-scores are all zero. Standard deviations
are of the population (every score of the reviewer, not a sample of them).

Nothing here touches the database: ``selectors.call_ranking`` reads the scores, this ranks them.
"""

import math
import statistics
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

#: Fewer scores than this in the call and a reviewer's scores are left raw.
MIN_SCORES = 3
#: Reviews of one application further apart than this share of the scale are flagged.
LARGE_SPREAD = 0.25


@dataclass(frozen=True)
class Score:
    application_id: int
    reviewer_id: int
    total: float


@dataclass
class Row:
    application_id: int
    raw: float
    normalised: float
    #: The highest review score minus the lowest.
    spread: float
    reviews: int
    large_spread: bool
    #: Reviewers of this application whose scores were left raw (too few in the call).
    raw_reviewers: frozenset = field(default_factory=frozenset)
    rank: int = 0
    #: Within the call's capacity, counting from the top.
    within_capacity: bool = False
    #: The ``Application`` of the row, set by ``selectors.call_ranking``.
    application: object = None


def _mean_and_sd(values: list[float]) -> tuple[float, float]:
    """The mean and population standard deviation in floats (``statistics.pstdev`` computes in
    exact fractions: half the ranking's time on a call of 6,000 reviews, for no useful precision)."""
    mean = math.fsum(values) / len(values)
    return mean, math.sqrt(math.fsum((v - mean) ** 2 for v in values) / len(values))


def _adjusters(scores: list[Score]):
    """``{reviewer: function}`` turning each reviewer's raw score into a normalised one."""
    everything = [s.total for s in scores]
    mean, sd = _mean_and_sd(everything)
    by_reviewer = defaultdict(list)
    for s in scores:
        by_reviewer[s.reviewer_id].append(s.total)
    adjusters = {}
    for reviewer, totals in by_reviewer.items():
        if len(totals) < MIN_SCORES:
            continue
        own_mean, own_sd = _mean_and_sd(totals)
        if own_sd == 0:
            adjusters[reviewer] = lambda x, m=mean: m
        else:
            adjusters[reviewer] = lambda x, m=own_mean, s=own_sd: mean + sd * (x - m) / s
    return adjusters


def rank(scores: Iterable[Score], *, capacity: int, scale: tuple[int, int]) -> list[Row]:
    """The applications with at least one score, best first, ranked by normalised score then raw
    score; rows equal on both share a rank (1, 2, 2, 4). Ties at the capacity line are all inside
    it, so the line never splits equals (the officer decides between them)."""
    scores = list(scores)
    if not scores:
        return []
    adjusters = _adjusters(scores)
    by_application = defaultdict(list)
    for s in scores:
        by_application[s.application_id].append(s)
    limit = (scale[1] - scale[0]) * LARGE_SPREAD
    rows = []
    for application_id, own in by_application.items():
        totals = [s.total for s in own]
        normalised = [adjusters[s.reviewer_id](s.total) if s.reviewer_id in adjusters else s.total for s in own]
        spread = max(totals) - min(totals)
        rows.append(
            Row(
                application_id=application_id,
                raw=statistics.fmean(totals),
                normalised=statistics.fmean(normalised),
                spread=spread,
                reviews=len(own),
                large_spread=len(own) > 1 and round(spread, 9) > limit,
                raw_reviewers=frozenset(s.reviewer_id for s in own if s.reviewer_id not in adjusters),
            )
        )
    # Rounded for comparing, so that float noise never splits applications that score the same.
    key = lambda r: (round(r.normalised, 9), round(r.raw, 9))  # noqa: E731
    rows.sort(key=lambda r: (-key(r)[0], -key(r)[1], r.application_id))
    previous = None
    for position, row in enumerate(rows, start=1):
        row.rank = previous.rank if previous is not None and key(previous) == key(row) else position
        row.within_capacity = row.rank <= capacity
        previous = row
    return rows
