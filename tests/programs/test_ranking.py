"""The ranking against an example worked out by hand: weighted review scores, each reviewer's
scores turned into z-scores (population standard deviation) and put back on the call's scale,
a reviewer with too few scores left raw and marked, ties sharing a rank, the capacity line and
the flag on a large spread between reviewers."""

import math
from decimal import Decimal
from types import SimpleNamespace

import pytest

from programs.ranking import Score, rank
from programs.services.reviews import weighted_total

CRITERIA = [
    SimpleNamespace(key="science", weight=Decimal("0.4")),
    *(SimpleNamespace(key=key, weight=Decimal("0.3")) for key in ("team", "market")),
]
A, B, C, D = 1, 2, 3, 4
#: Harsh with a wide spread, lenient with a narrow one, a middling one, and one with two scores.
HARSH, LENIENT, MIDDLING, SPARSE = 11, 12, 13, 14

#: Each review's scores (science, team, market) on a scale of 1 to 5, and its weighted total
#: 0.4 × science + 0.3 × team + 0.3 × market, worked out by hand.
REVIEWS = {
    (HARSH, A): ((1, 2, 2), "1.6"),
    (HARSH, B): ((2, 3, 3), "2.6"),
    (HARSH, C): ((2, 3, 3), "2.6"),
    (HARSH, D): ((3, 4, 4), "3.6"),
    (LENIENT, A): ((3, 4, 4), "3.6"),
    (LENIENT, B): ((4, 3, 3), "3.4"),
    (LENIENT, C): ((4, 3, 3), "3.4"),
    (LENIENT, D): ((5, 2, 2), "3.2"),
    (MIDDLING, A): ((2, 4, 4), "3.2"),
    (MIDDLING, B): ((3, 3, 3), "3.0"),
    (MIDDLING, C): ((3, 3, 3), "3.0"),
    (MIDDLING, D): ((1, 4, 4), "2.8"),
    (SPARSE, B): ((3, 3, 3), "3.0"),
    (SPARSE, C): ((3, 3, 3), "3.0"),
}

# By hand. The call's 14 scores sum to 10.4 + 13.6 + 12.0 + 6.0 = 42.0: their mean is 3.0. Their
# squared deviations from 3 sum to (1.96 + 0.16 + 0.16 + 0.36) + (0.36 + 0.16 + 0.16 + 0.04)
# + (0.04 + 0 + 0 + 0.04) + 0 = 3.44, so the call's (population) standard deviation is √(3.44 / 14).
CALL_MEAN = 3.0
CALL_SD = math.sqrt(3.44 / 14)
# Harsh: mean 2.6, deviations -1, 0, 0, +1, sd √(2 / 4) = √0.5, so z = -√2, 0, 0, +√2 for A, B, C, D.
# Lenient: mean 3.4, deviations +0.2, 0, 0, -0.2, sd 0.2·√0.5, so z = +√2, 0, 0, -√2.
# Middling: mean 3.0, deviations +0.2, 0, 0, -0.2, so z = +√2, 0, 0, -√2 too.
# Sparse: two scores (< 3), left raw.
# Normalised score of a review: CALL_MEAN + CALL_SD × z. Of an application: the mean of its reviews'.
NORMALISED = {
    A: CALL_MEAN + CALL_SD * (-math.sqrt(2) + math.sqrt(2) + math.sqrt(2)) / 3,
    B: (CALL_MEAN * 3 + 3.0) / 4,  # three z of 0, and Sparse's raw 3.0
    C: (CALL_MEAN * 3 + 3.0) / 4,
    D: CALL_MEAN + CALL_SD * (math.sqrt(2) - math.sqrt(2) - math.sqrt(2)) / 3,
}
RAW = {A: (1.6 + 3.6 + 3.2) / 3, B: (2.6 + 3.4 + 3.0 + 3.0) / 4, C: 3.0, D: (3.6 + 3.2 + 2.8) / 3}
# On the raw mean the harsh reviewer's wide spread decides: D (3.2) > B = C (3.0) > A (2.8).
# Normalised, the three reviewers weigh alike and two of them put A first and D last.
RANKS = {A: 1, B: 2, C: 2, D: 4}
# Spreads (highest review minus lowest): A 3.6 - 1.6 = 2.0, over a quarter of the scale (1.0);
# B and C 3.4 - 2.6 = 0.8; D 3.6 - 2.8 = 0.8.
SPREADS = {A: 2.0, B: 0.8, C: 0.8, D: 0.8}


def scores() -> list[Score]:
    made = []
    for (reviewer, application), (marks, total) in REVIEWS.items():
        weighted = weighted_total(CRITERIA, dict(zip(("science", "team", "market"), marks, strict=True)))
        assert weighted == Decimal(total)
        made.append(Score(application, reviewer, float(weighted)))
    return made


def test_weighted_totals_are_the_weighted_mean_to_three_places_and_none_until_complete():
    assert weighted_total(CRITERIA, {"science": 5, "team": 4, "market": 4}) == Decimal("4.400")
    assert weighted_total(CRITERIA, {"science": 5, "team": 4}) is None
    thirds = [SimpleNamespace(key=k, weight=Decimal("1")) for k in ("a", "b", "c")]
    assert weighted_total(thirds, {"a": 1, "b": 1, "c": 2}) == Decimal("1.333")
    assert weighted_total([], {}) is None


def test_the_hand_computed_ranking():
    rows = {row.application_id: row for row in rank(scores(), capacity=2, scale=(1, 5))}
    for application in (A, B, C, D):
        row = rows[application]
        assert row.raw == pytest.approx(RAW[application], abs=1e-9)
        assert row.normalised == pytest.approx(NORMALISED[application], abs=1e-9)
        assert row.rank == RANKS[application]
        assert row.spread == pytest.approx(SPREADS[application], abs=1e-9)
    assert NORMALISED[A] == pytest.approx(3.2336, abs=1e-4) and NORMALISED[D] == pytest.approx(2.7664, abs=1e-4)
    assert [row.application_id for row in rank(scores(), capacity=2, scale=(1, 5))] == [A, B, C, D]
    assert [rows[x].large_spread for x in (A, B, C, D)] == [True, False, False, False]
    assert [rows[x].reviews for x in (A, B, C, D)] == [3, 4, 4, 3]
    assert {x: rows[x].raw_reviewers for x in (A, B, C, D)} == {
        A: frozenset(),
        B: frozenset({SPARSE}),
        C: frozenset({SPARSE}),
        D: frozenset(),
    }


@pytest.mark.parametrize(
    ("capacity", "inside"),
    [(0, set()), (1, {A}), (2, {A, B, C}), (3, {A, B, C}), (4, {A, B, C, D})],
)
def test_the_capacity_line_never_splits_a_tie(capacity, inside):
    rows = rank(scores(), capacity=capacity, scale=(1, 5))
    assert {row.application_id for row in rows if row.within_capacity} == inside


def test_the_large_spread_flag_is_a_share_of_the_calls_scale():
    # On a scale of 1 to 10 a quarter is 2.25: A's spread of 2.0 is no longer large.
    rows = rank(scores(), capacity=2, scale=(1, 10))
    assert not any(row.large_spread for row in rows)


def test_a_reviewer_who_gave_everyone_the_same_score_tells_nothing_apart():
    # Varied: 2, 3, 4 (mean 3, sd √(2/3)); Flat: 3, 3, 3 (sd 0: every z is 0).
    # The call: 2, 3, 4, 3, 3, 3: mean 3, sd √(2/6). Varied's z for A is -1 / √(2/3) = -√1.5, so
    # A's review by Varied becomes 3 - √(1/3)·√1.5 = 3 - √0.5; by Flat, the call's mean, 3.
    varied, flat = 21, 22
    marks = [(A, varied, 2.0), (B, varied, 3.0), (C, varied, 4.0), (A, flat, 3.0), (B, flat, 3.0), (C, flat, 3.0)]
    rows = {r.application_id: r for r in rank([Score(*m) for m in marks], capacity=1, scale=(1, 5))}
    assert rows[A].normalised == pytest.approx((3 - math.sqrt(0.5) + 3) / 2, abs=1e-9)
    assert rows[B].normalised == pytest.approx(3.0, abs=1e-9)
    assert rows[C].normalised == pytest.approx((3 + math.sqrt(0.5) + 3) / 2, abs=1e-9)
    assert [rows[x].rank for x in (C, B, A)] == [1, 2, 3]
    assert not any(r.raw_reviewers for r in rows.values())


def test_a_reviewer_alone_with_a_single_score_is_left_raw_and_nothing_is_ranked_without_scores():
    (row,) = rank([Score(A, 31, 4.2)], capacity=1, scale=(1, 5))
    assert (row.raw, row.normalised, row.rank, row.within_capacity) == (4.2, 4.2, 1, True)
    assert row.raw_reviewers == frozenset({31}) and not row.large_spread
    assert rank([], capacity=3, scale=(1, 5)) == []
