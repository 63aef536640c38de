"""Charts drawn on the server. Horizontal bar charts: the geometry here, the drawing in
``templates/includes/charts/bar_chart.html`` (an SVG, no script, coloured by the CSS classes
``chart-series-0`` to ``chart-series-7``), with a table of the same figures for screen readers
and for anyone who wants the exact numbers.

A view builds a chart and the page includes its template::

    context["load"] = bar_chart(name="reviewer-load", title=_("Reviewer load"),
                                label_heading=_("Reviewer"), value_heading=_("Applications"),
                                rows=[(reviewer.name, reviewer.open_count) for reviewer in reviewers])

    {% include load.template with chart=load %}

Each row is a label above its bar and the value printed after the bar; the longest bar spans the
drawing's width less room for the widest value. A stacked chart splits each bar into one segment per
series (a legend names them) and prints a segment's value inside it where it fits; its series take
the palette's colours in order, unless ``colours`` gives each its own (so that "breached" is never
drawn green). A chart whose values are all zero (or that has no rows) shows its empty message instead.

A line chart (``line_chart``, drawn by ``templates/includes/charts/line_chart.html``) shows values
over time, one stepped line per series on a value axis from zero, with the same table.
"""

import datetime
import math
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

WIDTH = 640
#: The drawing's font size in user units (``.chart svg`` in portal.css): text widths are
#: estimated with it, to cut long labels and to leave out values that do not fit in a segment.
FONT = 13
LABEL_H = 18
BAR_H = 20
ROW_GAP = 12
VALUE_GAP = 6
ROW_H = LABEL_H + BAR_H + ROW_GAP
#: How many series colours portal.css defines.
PALETTE = 8


def text_width(text: str) -> float:
    """About how wide ``text`` is drawn: a Chinese character takes an em, a Latin one about 0.6."""
    return sum(FONT if unicodedata.east_asian_width(c) in "WF" else FONT * 0.6 for c in text)


def _fit(text: str, width: float) -> str:
    """``text``, cut with an ellipsis if it would be drawn wider than ``width``."""
    if text_width(text) <= width:
        return text
    while text and text_width(text + "…") > width:
        text = text[:-1]
    return text + "…"


def _as_drawn(value: float) -> str:
    """The value about as the template prints it (``floatformat:"-1g"``), to measure it."""
    return f"{value:,.1f}".removesuffix(".0")


@dataclass(frozen=True)
class Segment:
    #: Index of the segment's series.
    series: int
    name: str
    value: float
    x: float
    width: float
    #: The value is drawn inside the segment (stacked charts, where it fits).
    show_value: bool
    #: The series' colour: the CSS class ``chart-series-<colour>``.
    colour: int

    @property
    def text_x(self) -> float:
        return round(self.x + self.width / 2, 2)


@dataclass(frozen=True)
class Row:
    label: str
    #: The label as drawn: cut to the drawing's width (the table and the tooltip have it whole).
    short_label: str
    #: One value per series, zeros included (the table's cells).
    values: tuple
    total: float
    #: The drawn segments: one per series with a value above zero.
    segments: tuple[Segment, ...]
    y: float

    @property
    def label_y(self) -> float:
        return self.y + FONT

    @property
    def bar_y(self) -> float:
        return self.y + LABEL_H

    @property
    def bar_middle(self) -> float:
        return self.bar_y + BAR_H / 2

    @property
    def value_x(self) -> float:
        """Where the total is printed: just after the bar (at the start of the line for zero)."""
        return round(sum(s.width for s in self.segments) + VALUE_GAP * bool(self.segments), 2)


@dataclass(frozen=True)
class BarChart:
    #: Unique on the page: the figure's id is ``chart-<name>`` and its parts' ids start with it.
    name: str
    title: str
    #: The table's heading over the labels ("Reviewer", "Call").
    label_heading: str
    #: The series' names: the table's headings over the values, and the legend when stacked.
    series: tuple
    rows: tuple[Row, ...]
    empty_message: str
    height: float
    #: How long the longest bar is: the width less room for the widest value after it.
    plot_width: float
    #: Each series' colour, an index into the palette (``chart-series-<colour>``).
    colours: tuple
    width: int = WIDTH
    bar_height: int = BAR_H
    template: str = "includes/charts/bar_chart.html"

    @property
    def stacked(self) -> bool:
        return len(self.series) > 1

    @property
    def empty(self) -> bool:
        return not any(row.total for row in self.rows)

    @property
    def legend(self) -> list[tuple[str, int]]:
        """Each series' name and colour."""
        return list(zip(self.series, self.colours, strict=True))


def stacked_bar_chart(
    *,
    name: str,
    title: str,
    label_heading: str,
    series: Sequence[str],
    rows: Iterable[tuple[str, Sequence[float]]],
    empty_message: str | None = None,
    colours: Sequence[int] | None = None,
) -> BarChart:
    """Bars split by series: ``rows`` are ``(label, values)`` with one value per series, in the
    order of ``series`` (at most eight: group the rest, a ninth colour would repeat one).
    ``colours`` gives each series its palette colour (0 to 7), when their order would mislead."""
    series = tuple(series)
    if not 1 <= len(series) <= PALETTE:
        raise ValueError(f"a chart has 1 to {PALETTE} series, not {len(series)}")
    colours = tuple(range(len(series)) if colours is None else colours)
    if len(colours) != len(series) or len(set(colours)) != len(colours) or not set(colours) <= set(range(PALETTE)):
        raise ValueError(f"{colours!r} are not {len(series)} different colours of the palette")
    rows = [(str(label), tuple(values)) for label, values in rows]
    for label, values in rows:
        if len(values) != len(series):
            raise ValueError(f"{label!r} has {len(values)} values for {len(series)} series")
        if any(value < 0 for value in values):
            raise ValueError(f"{label!r} has a negative value: bars start at zero")
    totals = [sum(values) for _label, values in rows]
    plot_width = WIDTH - VALUE_GAP - max((text_width(_as_drawn(total)) for total in totals), default=0)
    # In floats: a median read from the database may be a Decimal, which refuses to mix with them.
    scale = plot_width / float(max(totals)) if any(totals) else 0
    drawn = []
    for i, (label, values) in enumerate(rows):
        segments, start = [], 0
        for index, value in enumerate(values):
            if value:
                x, width = round(float(start) * scale, 2), round(float(value) * scale, 2)
                fits = len(series) > 1 and text_width(_as_drawn(value)) + 8 <= width
                segments.append(Segment(index, series[index], value, x, width, fits, colours[index]))
                start += value
        drawn.append(
            Row(
                label=label,
                short_label=_fit(label, WIDTH),
                values=values,
                total=totals[i],
                segments=tuple(segments),
                y=i * ROW_H,
            )
        )
    return BarChart(
        name=name,
        title=title,
        label_heading=label_heading,
        series=series,
        rows=tuple(drawn),
        empty_message=empty_message or _("Nothing to show yet."),
        height=max(len(drawn) * ROW_H - ROW_GAP, 0),
        plot_width=round(plot_width, 2),
        colours=colours,
    )


def bar_chart(
    *,
    name: str,
    title: str,
    label_heading: str,
    value_heading: str,
    rows: Iterable[tuple[str, float]],
    empty_message: str | None = None,
) -> BarChart:
    """One bar per ``(label, value)`` row, in the order given; ``value_heading`` names the values
    in the table ("Applications", "Median days")."""
    return stacked_bar_chart(
        name=name,
        title=title,
        label_heading=label_heading,
        series=(value_heading,),
        rows=((label, (value,)) for label, value in rows),
        empty_message=empty_message,
    )


#: A line chart's drawing: the plot's height, the room above it and below it (the dates).
LINE_PLOT_H = 200
LINE_TOP = FONT
LINE_BOTTOM = FONT + 12
#: How many steps the value axis is divided into.
LINE_TICKS = 4


def _nice_ceiling(value: float) -> float:
    """The smallest 1, 2, 2.5 or 5 times a power of ten at least ``value``: the axis' top."""
    power = 10 ** math.floor(math.log10(value))
    return next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= value)


@dataclass(frozen=True)
class Line:
    name: str
    colour: int
    #: The polyline's points, ``x,y`` pairs in user units.
    points: str


@dataclass(frozen=True)
class Tick:
    value: float
    y: float


@dataclass(frozen=True)
class LineRow:
    day: datetime.date
    values: tuple


@dataclass(frozen=True)
class LineChart:
    name: str
    title: str
    label_heading: str
    series: tuple
    colours: tuple
    #: The table's rows: each date with every series' value from that date on.
    rows: tuple[LineRow, ...]
    lines: tuple[Line, ...]
    ticks: tuple[Tick, ...]
    plot_left: float
    plot_right: float
    plot_bottom: float
    empty_message: str
    #: How the table prints values (``floatformat``'s argument): money to the cent.
    value_format: str = "-1g"
    width: int = WIDTH
    height: int = LINE_TOP + LINE_PLOT_H + LINE_BOTTOM
    template: str = "includes/charts/line_chart.html"

    @property
    def empty(self) -> bool:
        return not any(any(row.values) for row in self.rows)

    @property
    def legend(self) -> list[tuple[str, int]]:
        return list(zip(self.series, self.colours, strict=True))

    @property
    def first_day(self) -> datetime.date | None:
        return self.rows[0].day if self.rows else None

    @property
    def last_day(self) -> datetime.date | None:
        return self.rows[-1].day if len(self.rows) > 1 else None

    @property
    def date_y(self) -> float:
        return self.plot_bottom + LINE_BOTTOM - 4


def line_chart(
    *,
    name: str,
    title: str,
    label_heading: str,
    series: Sequence[str],
    rows: Iterable[tuple[datetime.date, Sequence]],
    empty_message: str | None = None,
    value_format: str = "-1g",
) -> LineChart:
    """Values over time, one line per series: ``rows`` are ``(date, values)`` in date order, each
    value the series' level from that date until the next row's (a cumulative sum, say), so the
    lines are drawn as steps; dates are placed by the days between them. The table under the
    drawing has every row, printed with ``floatformat:value_format``."""
    series = tuple(series)
    if not 1 <= len(series) <= PALETTE:
        raise ValueError(f"a chart has 1 to {PALETTE} series, not {len(series)}")
    rows = tuple(LineRow(day, tuple(values)) for day, values in rows)
    top = max((float(value) for row in rows for value in row.values), default=0)
    top = _nice_ceiling(top) if top > 0 else 1
    ticks_values = [top * step / LINE_TICKS for step in range(LINE_TICKS + 1)]
    left = max(text_width(_as_drawn(value)) for value in ticks_values) + VALUE_GAP
    right = WIDTH - VALUE_GAP
    bottom = LINE_TOP + LINE_PLOT_H
    first = rows[0].day if rows else None
    span = (rows[-1].day - first).days if rows else 0

    def x(day):
        return left + ((day - first).days / span * (right - left) if span else 0)

    def y(value):
        return bottom - float(value) / top * LINE_PLOT_H

    lines = []
    for index, series_name in enumerate(series):
        points = []
        for row in rows:
            if points:
                points.append((x(row.day), points[-1][1]))
            points.append((x(row.day), y(row.values[index])))
        if points and points[-1][0] < right:
            points.append((right, points[-1][1]))
        lines.append(Line(series_name, index, " ".join(f"{px:.2f},{py:.2f}" for px, py in points)))
    return LineChart(
        name=name,
        title=title,
        label_heading=label_heading,
        series=series,
        colours=tuple(range(len(series))),
        rows=rows,
        lines=tuple(lines),
        ticks=tuple(Tick(value, round(y(value), 2)) for value in ticks_values),
        plot_left=round(left, 2),
        plot_right=right,
        plot_bottom=bottom,
        empty_message=empty_message or _("Nothing to show yet."),
        value_format=value_format,
    )
