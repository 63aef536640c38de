"""Bar charts drawn on the server: their geometry, and the SVG and table they render to."""

import re
import xml.etree.ElementTree as ET
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

from hkhz_portal.core.charts import PALETTE, WIDTH, bar_chart, stacked_bar_chart, text_width

SVG = "{http://www.w3.org/2000/svg}"


def load(rows, **kwargs):
    return bar_chart(
        name="load", title="Reviewer load", label_heading="Reviewer", value_heading="Applications", rows=rows, **kwargs
    )


def by_status(rows):
    return stacked_bar_chart(
        name="statuses",
        title="Applications by status",
        label_heading="Call",
        series=["Submitted", "In review", "Admitted"],
        rows=rows,
    )


def near(x):
    """Coordinates are rounded to hundredths, segment by segment."""
    return pytest.approx(x, abs=0.02)


def bar_width(row) -> float:
    return sum(segment.width for segment in row.segments)


def render(chart, language="en") -> str:
    with translation.override(language):
        return render_to_string(chart.template, {"chart": chart})


def element(html: str, tag: str) -> ET.Element:
    """The chart's ``<svg>`` or ``<table>``, which the template writes as well-formed XML."""
    return ET.fromstring(re.search(rf"<{tag}[ >].*</{tag}>", html, re.S).group())  # noqa: S314 (our own page)


def svg_of(html: str) -> ET.Element:
    return element(html, "svg")


def table_of(html: str) -> list[list[str]]:
    table = element(html, "table")
    return [["".join(cell.itertext()).strip() for cell in tr] for tr in table.iter("tr")]


# --- Geometry -----------------------------------------------------------------------------------


def test_the_longest_bar_spans_the_plot_and_the_others_scale_linearly():
    chart = load([("Chan Tai Man", 4), ("Li Na", 8), ("Wong Siu Ming", 2)])
    widths = [bar_width(row) for row in chart.rows]
    assert widths[1] == near(chart.plot_width)
    assert widths[0] == near(chart.plot_width / 2)
    assert widths[2] == near(chart.plot_width / 4)
    # Each value is printed just after its bar.
    assert [row.value_x for row in chart.rows] == [near(w + 6) for w in widths]


@pytest.mark.parametrize("longest", [8, 1_234_567_890])
def test_the_longest_bar_leaves_room_for_the_widest_value(longest):
    chart = load([("Li Na", longest), ("Chan Tai Man", longest // 2)])
    assert chart.rows[0].value_x + text_width(f"{longest:,}") == near(WIDTH)
    assert chart.plot_width > WIDTH * 0.8


def test_decimal_values_scale_like_floats():
    chart = load([("Submitted", Decimal("1.5")), ("In review", Decimal("6"))])
    assert [bar_width(row) for row in chart.rows] == [near(chart.plot_width / 4), near(chart.plot_width)]
    assert "1.5" in render(chart)


def test_a_zero_value_gets_its_label_and_value_but_no_bar():
    chart = load([("Chan Tai Man", 3), ("Li Na", 0)])
    idle = chart.rows[1]
    assert idle.label == "Li Na" and idle.segments == () and idle.total == 0
    assert idle.value_x == 0
    assert not chart.empty


def test_rows_are_stacked_down_the_drawing_in_the_order_given():
    chart = load([("A", 1), ("B", 2), ("C", 3)])
    tops = [row.y for row in chart.rows]
    assert tops == sorted(tops) and len(set(tops)) == 3
    assert chart.height == pytest.approx(chart.rows[-1].bar_y + chart.bar_height)


def test_stacked_segments_follow_each_other_and_the_longest_total_spans_the_plot():
    chart = by_status([("Spring call", [2, 0, 6]), ("Autumn call", [1, 1, 0])])
    spring, autumn = chart.rows
    assert chart.stacked and spring.total == 8
    assert [s.series for s in spring.segments] == [0, 2]  # no segment for the zero
    assert spring.segments[1].x == pytest.approx(spring.segments[0].width)
    assert bar_width(spring) == near(chart.plot_width)
    assert bar_width(autumn) == near(chart.plot_width / 4)


def test_a_segment_prints_its_value_inside_only_where_it_fits():
    chart = by_status([("Spring call", [1000, 1, 0])])
    big, small = chart.rows[0].segments
    assert big.show_value and not small.show_value
    # A single-series chart prints the value after the bar, never inside.
    assert not any(s.show_value for s in load([("A", 1000)]).rows[0].segments)


def test_a_long_label_is_cut_to_the_drawings_width_and_kept_whole_elsewhere():
    label = "香港科技園公司創新及科技基金研究計劃" * 5
    row = load([(label, 1)]).rows[0]
    assert row.label == label
    assert row.short_label.endswith("…") and text_width(row.short_label) <= WIDTH


@pytest.mark.parametrize("rows", [[], [("Chan Tai Man", 0), ("Li Na", 0)]])
def test_no_rows_or_only_zeros_make_an_empty_chart(rows):
    assert load(rows).empty


def test_bad_data_is_refused():
    with pytest.raises(ValueError):
        load([("A", -1)])
    with pytest.raises(ValueError):
        by_status([("Spring call", [1, 2])])
    with pytest.raises(ValueError):
        stacked_bar_chart(name="x", title="x", label_heading="x", series=[str(i) for i in range(PALETTE + 1)], rows=[])


# --- Rendering ----------------------------------------------------------------------------------


def test_the_svg_and_the_table_hold_every_label_and_value():
    html = render(load([("Chan Tai Man", 1234), ("Li Na", 0), ("Wong Siu Ming", 2.5)]))
    svg = svg_of(html)
    assert svg.get("role") == "img"
    assert svg.get("aria-labelledby").split() == [svg.find(f"{SVG}title").get("id"), svg.find(f"{SVG}desc").get("id")]
    texts = ["".join(t.itertext()) for t in svg.iter(f"{SVG}text")]
    assert texts == ["Chan Tai Man", "1,234", "Li Na", "0", "Wong Siu Ming", "2.5"]
    assert len(list(svg.iter(f"{SVG}rect"))) == 2  # no bar for the zero
    assert table_of(html) == [
        ["Reviewer", "Applications"],
        ["Chan Tai Man", "1,234"],
        ["Li Na", "0"],
        ["Wong Siu Ming", "2.5"],
    ]
    assert "<caption>Reviewer load</caption>" in html and 'scope="row"' in html and 'scope="col"' in html


def test_a_stacked_chart_has_a_legend_and_a_total_column():
    html = render(by_status([("Spring call", [2, 0, 6]), ("Autumn call", [1, 1, 0])]))
    assert table_of(html) == [
        ["Call", "Submitted", "In review", "Admitted", "Total"],
        ["Spring call", "2", "0", "6", "8"],
        ["Autumn call", "1", "1", "0", "2"],
    ]
    legend = re.search(r'<ul class="chart-legend" aria-hidden="true">.*?</ul>', html, re.S).group()
    for i, name in enumerate(["Submitted", "In review", "Admitted"]):
        assert f'<span class="chart-swatch chart-series-{i}"></span>{name}' in legend
    svg = svg_of(html)
    assert [rect.get("class") for rect in svg.iter(f"{SVG}rect")] == [
        "chart-series-0",
        "chart-series-2",
        "chart-series-0",
        "chart-series-1",
    ]
    assert "Admitted: 6" in [rect.find(f"{SVG}title").text for rect in svg.iter(f"{SVG}rect")]


def test_a_stacked_chart_may_give_its_series_their_colours():
    chart = stacked_bar_chart(
        name="clocks",
        title="Open requests",
        label_heading="Staff member",
        series=["On time", "At risk", "Breached"],
        rows=[("Ada", [1, 0, 2])],
        colours=[0, 4, 1],
    )
    html = render(chart)
    legend = re.search(r'<ul class="chart-legend" aria-hidden="true">.*?</ul>', html, re.S).group()
    for colour, name in ((0, "On time"), (4, "At risk"), (1, "Breached")):
        assert f'<span class="chart-swatch chart-series-{colour}"></span>{name}' in legend
    assert [rect.get("class") for rect in svg_of(html).iter(f"{SVG}rect")] == ["chart-series-0", "chart-series-1"]
    # The table keeps the series' order.
    assert table_of(html)[0] == ["Staff member", "On time", "At risk", "Breached", "Total"]


@pytest.mark.parametrize("colours", [[0, 1], [0, 1, 1], [0, 1, PALETTE]])
def test_colours_are_one_different_colour_of_the_palette_per_series(colours):
    with pytest.raises(ValueError, match="colours of the palette"):
        stacked_bar_chart(name="s", title="t", label_heading="l", series=["a", "b", "c"], rows=[], colours=colours)


def test_an_empty_chart_says_so_instead_of_drawing():
    html = render(load([], empty_message="No reviewer has an application yet."))
    assert "No reviewer has an application yet." in html and "Reviewer load" in html
    assert "<svg" not in html and "<table" not in html
    assert "Nothing to show yet." in render(load([("Li Na", 0)]))


def test_values_are_printed_per_locale_and_coordinates_are_not():
    chart = load([("Chan Tai Man", 1234.5), ("Li Na", 1000)])
    english, chinese = render(chart), render(chart, "zh-hant")
    assert "1,234.5" in english and "1,234.5" not in chinese and "1234.5" in chinese
    assert 'width="0"' not in english
    for html in (english, chinese):
        # Numbers in attributes are plain: no thousands separator, a point for decimals.
        assert all(re.fullmatch(r"-?\d+(\.\d+)?", rect.get("width")) for rect in svg_of(html).iter(f"{SVG}rect"))


def test_the_chart_has_no_inline_style():
    for chart in (load([("A", 3), ("B", 0)]), by_status([("Spring call", [2, 0, 6])]), load([])):
        assert "style=" not in render(chart)


def test_the_series_colours_hold_their_contrast_against_white():
    css = (Path(settings.BASE_DIR) / "static/css/portal.css").read_text()
    colours = dict(re.findall(r"\.chart-series-(\d) \{ fill: (#[0-9a-f]{6});", css))
    assert sorted(colours) == [str(i) for i in range(PALETTE)]

    def luminance(hex_colour: str) -> float:
        channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        r, g, b = (c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
        return 0.2126 * r + 0.7152 * g + 0.0722 * b

    # White values are drawn inside the bars, so the bars need text contrast, not only 3:1.
    assert all(1.05 / (luminance(colour) + 0.05) >= 4.5 for colour in colours.values())


def test_a_line_chart_steps_each_series_across_the_dates_and_tables_them():
    import datetime

    from hkhz_portal.core.charts import line_chart

    chart = line_chart(
        name="capital",
        title="Committed and invested",
        label_heading="Date",
        series=["Committed", "Invested"],
        rows=[
            (datetime.date(2026, 1, 1), (Decimal("100.00"), Decimal("0.00"))),
            (datetime.date(2026, 1, 11), (Decimal("150.00"), Decimal("40.00"))),
        ],
        value_format="2g",
    )
    assert chart.ticks[-1].value == 200  # 150 rounded up to 2 × 10²
    committed = [tuple(map(float, point.split(","))) for point in chart.lines[0].points.split()]
    # Up at the first date, flat until the second, then up: a step.
    assert [y for _x, y in committed] == [113.0, 113.0, 63.0]
    assert committed[0][0] == chart.plot_left and committed[-1][0] == chart.plot_right
    with translation.override("en"):
        html = render_to_string(chart.template, {"chart": chart})
    assert len(element(html, "svg").findall(f"{SVG}polyline")) == 2
    assert "2026-01-11" in html and "150.00" in html


def test_a_line_chart_of_nothing_says_so():
    from hkhz_portal.core.charts import line_chart

    chart = line_chart(
        name="none", title="Nothing", label_heading="Date", series=["A"], rows=[], empty_message="Empty."
    )
    assert chart.empty
    assert "Empty." in render_to_string(chart.template, {"chart": chart})
