"""URL converters: a path parameter of the wrong shape is 404 before any view or query runs."""

#: A reference number shown to users (``ENT-2026-00042``): a prefix, a year, a serial.
REFERENCE_REGEX = r"[A-Z]{2,8}-[0-9]{4}-[0-9]{5,12}"
#: A database id in an API route: digits that fit a 64-bit integer.
ID_REGEX = "[0-9]{1,18}"


class ReferenceConverter:
    """``<ref:reference>`` in a route."""

    regex = REFERENCE_REGEX

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value
