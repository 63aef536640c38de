"""One normal form for text people search, so that a query matches whichever Chinese script,
letter case or spacing the stored name and the typed query happen to use.

Stored search columns hold ``normalise_names(...)`` of their fields, and each query is compared
as ``normalise_text(query)``: both sides go through the same steps, so a substring of one is a
substring of the other. Changing these steps needs a data migration that refills stored forms.
Imports no app, so every search in the portal can share it.
"""

import functools
import unicodedata

import opencc

#: Between two names in a stored search form. A normalised query holds no whitespace, so it
#: never contains this and never matches across the end of one name and the start of the next.
NAME_SEPARATOR = "\n"


@functools.cache
def _to_simplified() -> opencc.OpenCC:
    # hk2s rather than t2s: it also maps Hong Kong's standard forms (衞生 → 卫生), which t2s keeps,
    # and Hong Kong firms write their names in them.
    return opencc.OpenCC("hk2s")


def normalise_text(text) -> str:
    """``text`` in Simplified Chinese, case-folded, without whitespace: 濱江 醫療 and 滨江医疗 agree.

    NFKC first turns full-width letters, digits and brackets (as Chinese input methods type
    them) into their ordinary forms.
    """
    if not text:
        return ""
    folded = _to_simplified().convert(unicodedata.normalize("NFKC", str(text))).casefold()
    return "".join(folded.split())


def normalise_names(*names) -> str:
    """The stored search form of several names: each normalised, empty ones left out."""
    return NAME_SEPARATOR.join(form for form in map(normalise_text, names) if form)
