"""Texts kept once per language (``name_en``, ``name_zh_hans``, ``name_zh_hant``): which one a reader gets."""

from django.conf import settings
from django.utils.translation import get_language

#: The HTML ``lang`` attribute of the text in each variant.
LANG_ATTRIBUTES = {"en": "en", "zh_hans": "zh-Hans", "zh_hant": "zh-Hant"}


def language_variant() -> str:
    """``"en"``, ``"zh_hans"`` or ``"zh_hant"``: the suffix of the fields holding texts in the active language."""
    language = (get_language() or settings.LANGUAGE_CODE).lower()
    if language.startswith("zh-hant"):
        return "zh_hant"
    if language.startswith("zh"):
        return "zh_hans"
    return "en"


def in_active_language(obj, prefix: str) -> str:
    """``obj.<prefix>_<variant>`` for the active language, e.g. a unit's ``name_zh_hant`` for a
    Traditional Chinese reader."""
    return getattr(obj, f"{prefix}_{language_variant()}")
