"""The workflow drawn from its declaration, as the coordinates of an inline SVG.

States are laid out in columns by how many steps they are from the draft (final states in the
last column); each transition is an arrow from each of its sources to its target, coloured by
who takes it. A transition that returns to where the application came from (answering a request
for information) is drawn back to each state that leads into its source. Nothing here names a
state or a transition: a transition declared tomorrow is drawn tomorrow.
"""

import textwrap
from dataclasses import dataclass

from .workflow import FINAL_STATES, TRANSITIONS, Actor, Status, reachable_states

BOX_W, BOX_H, GAP_X, GAP_Y, MARGIN, ENTRY = 150, 48, 48, 28, 16, 36
LINE_CHARS = 22


@dataclass(frozen=True)
class Box:
    status: Status
    x: int
    y: int
    lines: tuple
    final: bool

    @property
    def cx(self) -> float:
        return self.x + BOX_W / 2

    @property
    def text_y(self) -> float:
        return self.y + BOX_H / 2 - (len(self.lines) - 1) * 7 + 4


@dataclass(frozen=True)
class Arrow:
    path: str
    actor: str
    returns: bool
    title: str


def _edges():
    """``(source, target, transition, returns)`` for every arrow the declaration implies."""
    into: dict = {}
    for t in TRANSITIONS.values():
        if t.target is not None:
            for source in t.sources:
                into.setdefault(t.target, []).append(source)
    for t in TRANSITIONS.values():
        for source in sorted(t.sources, key=list(Status).index):
            if t.target is not None:
                yield source, t.target, t, False
            else:
                for back in sorted(set(into.get(source, ())), key=list(Status).index):
                    yield source, back, t, True


def _columns(states) -> dict:
    """Each state's column: its distance from the draft along forward arrows; final states last."""
    column = {Status.DRAFT: 0}
    edges = [(s, t) for s, t, _tr, returns in _edges() if not returns and t not in FINAL_STATES]
    changed = True
    while changed:
        changed = False
        for source, target in edges:
            if source in column and column.get(target, len(states)) > column[source] + 1:
                column[target] = column[source] + 1
                changed = True
    # A state no forward arrow reaches yet (a later part's) stands before the final states.
    last = max(column.values()) + 1
    return {s: column.get(s, last + 1 if s in FINAL_STATES else last) for s in states}


def _curve(a: Box, b: Box) -> str:
    if b.x > a.x:
        x1, y1, x2, y2 = a.x + BOX_W, a.y + BOX_H / 2, b.x, b.y + BOX_H / 2
        bend = (x2 - x1) / 2
        return f"M{x1},{y1} C{x1 + bend},{y1} {x2 - bend},{y2} {x2},{y2}"
    # Backwards (or within a column): leave from the bottom, come back under the boxes.
    x1, y1, x2, y2 = a.x + BOX_W / 2 - 12, a.y + BOX_H, b.x + BOX_W / 2 + 12, b.y + BOX_H
    dip = max(y1, y2) + GAP_Y
    return f"M{x1},{y1} C{x1},{dip} {x2},{dip} {x2},{y2}"


def workflow_diagram() -> dict:
    """Boxes and arrows with their coordinates, and the drawing's size."""
    states = reachable_states()
    columns = _columns(states)
    boxes, rows = {}, {}
    for state in states:
        column = columns[state]
        row = rows[column] = rows.get(column, -1) + 1
        boxes[state] = Box(
            status=state,
            x=MARGIN + ENTRY + column * (BOX_W + GAP_X),
            y=MARGIN + row * (BOX_H + GAP_Y),
            lines=tuple(textwrap.wrap(str(state.label), LINE_CHARS) or [state.value]),
            final=state in FINAL_STATES,
        )
    arrows = [
        Arrow(_curve(boxes[s], boxes[t]), t_.by.value, returns, f"{t_.label}: {s.label} → {t.label}")
        for s, t, t_, returns in _edges()
        if s in boxes and t in boxes
    ]
    entries = [
        Arrow(f"M{MARGIN},{boxes[t.target].y + BOX_H / 2} H{boxes[t.target].x}", t.by.value, False, str(t.label))
        for t in TRANSITIONS.values()
        if not t.sources and t.target in boxes
    ]
    width = MARGIN * 2 + ENTRY + (max(columns.values()) + 1) * (BOX_W + GAP_X) - GAP_X
    height = MARGIN * 2 + (max(rows.values()) + 1) * (BOX_H + GAP_Y) + GAP_Y
    return {
        "boxes": list(boxes.values()),
        "arrows": entries + arrows,
        "width": width,
        "height": height,
        "box_w": BOX_W,
        "box_h": BOX_H,
        "actors": [actor.value for actor in Actor],
    }
