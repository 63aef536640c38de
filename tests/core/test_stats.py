"""Small-cell suppression: no published figure, nor any difference of published figures, gives
a count under the threshold."""

import itertools

import pytest

from hkhz_portal.core.stats import THRESHOLD, Table, publish, suppress


def test_cells_at_or_over_the_threshold_are_all_published():
    assert suppress({"a": 5, "b": 12, "c": 40}) == (set(), False)


def test_a_lone_small_cell_takes_the_smallest_other_cell_with_it():
    # With the total published, 60 - 12 - 40 would give a = 3 back: b goes too.
    assert suppress({"a": 3, "b": 12, "c": 40, "d": 8}) == ({"a", "d"}, False)


def test_small_cells_summing_under_the_threshold_take_another_cell_with_them():
    # a + b = 2 would be known, and with two cells of at least 1 each, that pins both.
    assert suppress({"a": 1, "b": 1, "c": 30, "d": 9}) == ({"a", "b", "d"}, False)


def test_small_cells_summing_to_the_threshold_need_no_more():
    assert suppress({"a": 2, "b": 3, "c": 30}) == ({"a", "b"}, False)


def test_the_total_goes_when_no_cell_is_left_to_hide_a_small_one():
    assert suppress({"a": 3}) == ({"a"}, True)
    assert suppress({"a": 3, "b": 7}) == ({"a", "b"}, False)
    assert suppress({"a": 1, "b": 2}) == ({"a", "b"}, True)


def test_an_empty_table_publishes_no_total():
    assert suppress({}) == (set(), True)


def test_a_cell_another_table_discloses_never_hides_a_small_one():
    # Hiding "admitted" (8) would hide nothing: admissions by year publish 8 as their total, and
    # 20 - 9 - 8 gives rejected = 3 back. So the total goes instead.
    counts = {"in_review": 9, "admitted": 8, "rejected": 3}
    assert suppress(counts) == ({"rejected", "admitted"}, False)
    assert suppress(counts, disclosed=frozenset({"admitted"})) == ({"rejected", "in_review"}, False)
    assert suppress({"admitted": 8, "rejected": 3}, disclosed=frozenset({"admitted"})) == ({"rejected"}, True)


def test_equal_cells_are_hidden_in_their_given_order():
    assert suppress({"x": 9, "a": 2, "y": 9}) == ({"a", "x"}, False)


@pytest.mark.parametrize("counts", list(itertools.product(range(1, 9), repeat=3)))
def test_no_suppressed_cell_can_be_worked_out(counts):
    """Every three-cell table of 1..8: the withheld cells are never one alone, nor summing under
    the threshold, unless the total is withheld too; nothing published is under the threshold."""
    cells = dict(zip("abc", counts, strict=True))
    withheld, total_withheld = suppress(cells)
    assert all(cells[key] >= THRESHOLD for key in cells if key not in withheld)
    if not total_withheld:
        assert sum(cells.values()) >= THRESHOLD
        hidden = [cells[key] for key in withheld]
        assert not hidden or (len(hidden) >= 2 and sum(hidden) >= THRESHOLD)


def test_a_published_table_shows_null_and_a_flag_for_each_withheld_figure():
    table = Table("applications", "status", "Applications by status", lambda: [("a", "A", 2), ("b", "B", 9)])
    assert publish(table) == {
        "dataset": "applications",
        "by": "status",
        "title": "Applications by status",
        "threshold": THRESHOLD,
        "rows": [
            {"key": "a", "label": "A", "count": None, "suppressed": True},
            {"key": "b", "label": "B", "count": None, "suppressed": True},
        ],
        "total": {"count": 11, "suppressed": False},
    }
