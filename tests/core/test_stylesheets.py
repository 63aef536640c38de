"""The shipped stylesheets parse as their authors meant: a block left open (a merge that kept both
sides of a conflict but one closing brace) swallows every rule after it into a media query, and
a page then looks right on a phone only."""

from pathlib import Path

import pytest
from django.conf import settings


def depths(css: str):
    """Each line with the nesting depth before it and after it, ignoring braces inside comments."""
    depth, inside_comment = 0, False
    for number, line in enumerate(css.splitlines(), 1):
        before, i = depth, 0
        while i < len(line):
            if inside_comment:
                end = line.find("*/", i)
                if end < 0:
                    break
                inside_comment, i = False, end + 2
                continue
            if line.startswith("/*", i):
                inside_comment, i = True, i + 2
                continue
            depth += {"{": 1, "}": -1}.get(line[i], 0)
            i += 1
        yield number, line, before, depth


STYLESHEETS = sorted(Path(settings.BASE_DIR, "static", "css").glob("*.css"))


@pytest.mark.parametrize("path", STYLESHEETS, ids=lambda p: p.name)
def test_every_block_is_closed_and_every_section_starts_at_the_top_level(path):
    depth = 0
    for number, line, before, depth in depths(path.read_text()):
        assert depth >= 0, f"{path.name}:{number} closes a block never opened"
        if line.startswith(("/*", "@media")):
            # A section's heading comment and a media query stand outside every block.
            assert before == 0, f"{path.name}:{number} is inside a block left open above it"
    assert depth == 0, f"{path.name} ends with {depth} block(s) open"
