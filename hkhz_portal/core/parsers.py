"""The API's JSON parser: DRF's, refusing bodies nested deeper than any of ours."""

from django.utils.translation import gettext as _
from rest_framework import parsers
from rest_framework.exceptions import ParseError

#: No request body of ours nests deeper; a deeper one only costs recursion further on.
MAX_JSON_DEPTH = 32


def _depth(data) -> int:
    """How deeply lists and objects nest in ``data``, walked without recursion."""
    deepest, stack = 0, [(data, 1)]
    while stack:
        value, depth = stack.pop()
        children = value.values() if isinstance(value, dict) else value if isinstance(value, list) else None
        if children is None:
            continue
        deepest = max(deepest, depth)
        if depth > MAX_JSON_DEPTH:
            break
        stack.extend((child, depth + 1) for child in children)
    return deepest


class JSONParser(parsers.JSONParser):
    """DRF's JSON parser, except that a body nested past MAX_JSON_DEPTH is a 400, not a
    RecursionError (a 500) in the parser or in whatever walks the data next."""

    def parse(self, stream, media_type=None, parser_context=None):
        too_deep = ParseError(_("The JSON body nests deeper than %(depth)s levels.") % {"depth": MAX_JSON_DEPTH})
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError as exc:
            raise too_deep from exc
        if _depth(data) > MAX_JSON_DEPTH:
            raise too_deep
        return data
