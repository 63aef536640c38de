"""Validators and helpers for enterprise identifiers: mainland USCC, Hong Kong BR and CR numbers.

Plain functions raising ``django.core.exceptions.ValidationError``, so models, forms and DRF
serializers can all share them. Validators check the *normalised* value; callers that store the
value should store ``normalize_*(value)`` too.
"""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# GB 32100-2015: 31 characters valued 0–30; I, O, S, V and Z are never used.
USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_LENGTH = 18
USCC_WEIGHTS = tuple(pow(3, i, 31) for i in range(17))  # 1, 3, 9, 27, 19, 26, 16, ..., 30, 28
_USCC_VALUES = {ch: i for i, ch in enumerate(USCC_ALPHABET)}

# GB 11714 organisation code: body characters 0–9, A–Z valued 0–35.
_ORG_VALUES = {ch: i for i, ch in enumerate("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ")}
ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)

_DIGITS = "0123456789"
_SEPARATORS = str.maketrans("abcdefghijklmnopqrstuvwxyz", "ABCDEFGHIJKLMNOPQRSTUVWXYZ", "-")
_HK_BR_PRINTED = re.compile(r"([0-9]{8})-[0-9]{3}-[0-9]{2}-[0-9]{2}-[0-9A-Z]", re.ASCII)


def _as_text(value) -> str:
    return "" if value is None else str(value)


def normalize_uscc(value) -> str:
    """Return ``value`` without whitespace or hyphens, with ASCII letters upper-cased."""
    return "".join(_as_text(value).split()).translate(_SEPARATORS)


def organisation_check_character(first8: str) -> str:
    """Return the GB 11714 check character ("0"–"9" or "X") for an 8-character organisation-code body."""
    if len(first8) != 8 or any(ch not in _ORG_VALUES for ch in first8):
        raise ValueError(f"an organisation-code body is 8 characters 0-9/A-Z, got {first8!r}")
    check = 11 - sum(_ORG_VALUES[ch] * w for ch, w in zip(first8, ORG_WEIGHTS, strict=True)) % 11
    return {10: "X", 11: "0"}.get(check, str(check))


def uscc_check_character(first17: str) -> str:
    """Return the GB 32100 check character (position 18) for the first 17 characters of a USCC."""
    if len(first17) != 17 or any(ch not in _USCC_VALUES for ch in first17):
        raise ValueError(f"expected 17 characters from the USCC alphabet, got {first17!r}")
    total = sum(_USCC_VALUES[ch] * w for ch, w in zip(first17, USCC_WEIGHTS, strict=True))
    return USCC_ALPHABET[(31 - total % 31) % 31]


def make_uscc(authority: str, entity_type: str, division: str, org_body8: str) -> str:
    """Build a valid USCC from its parts, computing both check characters (for demo data and tests).

    ``authority`` and ``entity_type`` are single USCC-alphabet characters, ``division`` six digits and
    ``org_body8`` eight USCC-alphabet characters. Raises ``ValueError`` for anything else.
    """
    if len(authority) != 1 or authority not in _USCC_VALUES:
        raise ValueError(f"illegal registering-authority character {authority!r}")
    if len(entity_type) != 1 or entity_type not in _USCC_VALUES:
        raise ValueError(f"illegal entity-type character {entity_type!r}")
    if len(division) != 6 or any(ch not in _DIGITS for ch in division):
        raise ValueError(f"a division code is 6 digits, got {division!r}")
    if len(org_body8) != 8 or any(ch not in _USCC_VALUES for ch in org_body8):
        raise ValueError(f"an organisation-code body is 8 USCC-alphabet characters, got {org_body8!r}")
    first17 = authority + entity_type + division + org_body8 + organisation_check_character(org_body8)
    return first17 + uscc_check_character(first17)


def validate_uscc(value) -> None:
    """Validate a mainland Unified Social Credit Code (GB 32100-2015) after ``normalize_uscc``.

    Error codes, checked in this order: ``uscc_length``, ``uscc_character``, ``uscc_division``,
    ``uscc_org_check``, ``uscc_check``.
    """
    code = normalize_uscc(value)
    if len(code) != USCC_LENGTH:
        raise ValidationError(
            _("A Unified Social Credit Code has 18 characters; this one has %(length)d."),
            code="uscc_length",
            params={"length": len(code)},
        )
    for position, ch in enumerate(code, start=1):
        if ch not in _USCC_VALUES:
            raise ValidationError(
                _(
                    "Character %(position)d (“%(character)s”) cannot appear in a Unified Social Credit Code. "
                    "Only digits and capital letters are used, and never the letters I, O, S, V or Z."
                ),
                code="uscc_character",
                params={"position": position, "character": ch},
            )
    for position, ch in enumerate(code[2:8], start=3):
        if ch not in _DIGITS:
            raise ValidationError(
                _(
                    "Characters 3 to 8 of a Unified Social Credit Code are the administrative-division code "
                    "and must all be digits, but character %(position)d is “%(character)s”."
                ),
                code="uscc_division",
                params={"position": position, "character": ch},
            )
    expected = organisation_check_character(code[8:16])
    if code[16] != expected:
        raise ValidationError(
            _(
                "The organisation code inside this Unified Social Credit Code (characters 9 to 17) does not "
                "add up: character 17 should be “%(expected)s”, not “%(found)s”. Please check characters "
                "9 to 17 for a typing mistake."
            ),
            code="uscc_org_check",
            params={"expected": expected, "found": code[16]},
        )
    expected = uscc_check_character(code[:17])
    if code[17] != expected:
        raise ValidationError(
            _(
                "This Unified Social Credit Code does not add up: its check character (character 18) should "
                "be “%(expected)s”, not “%(found)s”. Please check the code for a mistyped or swapped character."
            ),
            code="uscc_check",
            params={"expected": expected, "found": code[17]},
        )


def normalize_hk_br(value) -> str:
    """Return the 8-digit BR number, taken from a printed certificate number such as ``12345678-000-01-26-7``.

    Whitespace is removed; input in neither form is returned otherwise unchanged, for the validator to reject.
    """
    text = "".join(_as_text(value).split()).upper()
    match = _HK_BR_PRINTED.fullmatch(text)
    return match.group(1) if match else text


def validate_hk_br(value) -> None:
    """Validate a Hong Kong Business Registration number: 8 digits, or the full printed certificate number.

    Error codes: ``hk_br_length`` (digits only, but not 8 of them), ``hk_br_invalid`` (anything else).
    """
    number = normalize_hk_br(value)
    if re.fullmatch(r"[0-9]{8}", number):
        return
    if re.fullmatch(r"[0-9]+", number):
        raise ValidationError(
            _("A Hong Kong Business Registration number has 8 digits; this one has %(length)d."),
            code="hk_br_length",
            params={"length": len(number)},
        )
    raise ValidationError(
        _(
            "Please enter the 8-digit Hong Kong Business Registration number (for example 12345678), "
            "or the full number printed on the certificate (for example 12345678-000-01-26-7)."
        ),
        code="hk_br_invalid",
    )


def normalize_hk_cr(value) -> str:
    """Return the Companies Registry number without whitespace (it is printed in groups, ``123 4567``)."""
    return "".join(_as_text(value).split())


def validate_hk_cr(value) -> None:
    """Validate a Hong Kong Companies Registry number: 7 digits.

    Companies incorporated after 22 December 2023 use their BR number instead; validate that with
    ``validate_hk_br``. Error codes: ``hk_cr_length`` (digits only, but not 7), ``hk_cr_invalid``.
    """
    number = normalize_hk_cr(value)
    if re.fullmatch(r"[0-9]{7}", number):
        return
    if re.fullmatch(r"[0-9]+", number):
        raise ValidationError(
            _(
                "A Hong Kong Companies Registry number has 7 digits; this one has %(length)d. Companies "
                "incorporated after 22 December 2023 use their 8-digit Business Registration number instead."
            ),
            code="hk_cr_length",
            params={"length": len(number)},
        )
    raise ValidationError(
        _(
            "A Hong Kong Companies Registry number is 7 digits, for example 1234567. Companies incorporated "
            "after 22 December 2023 have no separate number: use their Business Registration number instead."
        ),
        code="hk_cr_invalid",
    )


#: Each identifier field's clean-up and check: the forms, the API and the services use these,
#: so a number typed or pasted anywhere is cleaned up and checked the same way.
IDENTIFIERS = {
    "uscc": (normalize_uscc, validate_uscc),
    "hk_br": (normalize_hk_br, validate_hk_br),
    "hk_cr": (normalize_hk_cr, validate_hk_cr),
}
