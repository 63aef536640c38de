"""The one check of every name and free text people type: nothing that cannot be shown, and
something to see. Attached to the model fields, so forms, the API and services (``full_clean``)
all refuse the same things with the same message."""

import unicodedata

from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

#: Characters that show nothing although they are not spaces or format characters (Unicode
#: category Cf, which holds the zero-width spaces and joiners, U+200B–U+200F, the direction
#: controls U+202A–U+202E and U+2066–U+2069, U+2060–U+2064 and U+FEFF).
BLANK_LOOKING = frozenset(
    "\u034f"  # combining grapheme joiner
    "\u115f\u1160\u3164\uffa0"  # Hangul fillers
    "\u2800" + "".join(chr(c) for c in range(0xFE00, 0xFE10))  # Braille pattern blank  # variation selectors
)

#: Line breaks and tabs a multi-line text may hold (browsers send a text area's lines as CR LF).
LINE_CONTROLS = frozenset("\n\r\t")


def _shows_nothing(ch: str) -> bool:
    return ch.isspace() or unicodedata.category(ch) == "Cf" or ch in BLANK_LOOKING


@deconstructible
class PlainTextValidator:
    """Refuse control characters (``multiline`` allows line breaks and tabs), text that cannot be
    stored (lone surrogates), and text made only of spaces and invisible or direction-control
    characters, which would look empty on every page."""

    messages = {
        "control": _("Remove the control character %(code)s: it cannot be shown."),
        "invisible": _("Enter visible text: this holds only spaces or invisible characters."),
    }

    def __init__(self, *, multiline=False):
        self.multiline = multiline

    def __call__(self, value):
        text = str(value)
        allowed = LINE_CONTROLS if self.multiline else frozenset()
        for ch in text:
            if unicodedata.category(ch) in ("Cc", "Cs") and ch not in allowed:
                raise ValidationError(
                    self.messages["control"], code="control_character", params={"code": f"U+{ord(ch):04X}"}
                )
        if text and all(_shows_nothing(ch) for ch in text):
            raise ValidationError(self.messages["invisible"], code="invisible_text")

    def __eq__(self, other):
        return isinstance(other, PlainTextValidator) and other.multiline == self.multiline

    def __hash__(self):
        return hash(self.multiline)


#: One line: a name, a title, a reference.
validate_plain_text = PlainTextValidator()
#: Several lines: an address, a description, notes.
validate_multiline_text = PlainTextValidator(multiline=True)


def is_row_id(value: str) -> bool:
    """Whether ``value`` (from a query string or a form) can be a row's id: ASCII digits only (not
    ``isdigit()``, which accepts "²" that ``int()`` refuses), at most 18 of them (a 64-bit id)."""
    return value.isascii() and value.isdecimal() and len(value) <= 18
