"""The ranking flags reviews of one application further apart than a quarter of the scale; the
scores come from three-decimal totals, so one exactly at the limit must not be flagged because
its float difference is 1.0000000000000002."""

from programs.ranking import Score, rank


def spread_of(high: float, low: float):
    (row,) = rank([Score(1, 1, high), Score(1, 2, low)], capacity=1, scale=(1, 5))
    return row


def test_reviews_a_quarter_of_the_scale_apart_are_not_flagged():
    assert 2.015 - 1.015 > 1.0  # the float noise the ranking has to see through
    row = spread_of(2.015, 1.015)
    assert row.spread == 2.015 - 1.015
    assert not row.large_spread


def test_reviews_further_apart_are_flagged():
    assert spread_of(2.016, 1.015).large_spread
