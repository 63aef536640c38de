"""Tests for enterprises.identifiers: USCC (GB 32100-2015), Hong Kong BR and CR numbers.

No database is needed: these are plain functions.

Why every single substitution and every adjacent transposition is caught (checked exhaustively in
``test_check_arithmetic_*`` below). A valid code satisfies  Σ_{i=0..16} v_i·3^i + v_17 ≡ 0 (mod 31), i.e. the
check character at position 18 carries weight 1. 31 is prime and 3 is a primitive root mod 31 (order 30), so
the 17 weights 3^0..3^16 are distinct and non-zero, and all character values lie in 0..30.
* Substituting v by v' at any position changes the sum by (v' − v)·w with 0 < |v' − v| < 31 and w ≢ 0: non-zero.
* Swapping different neighbours a, b at positions i, i+1 (both ≤ 17) changes it by (a − b)(w_i − 3·w_i) =
  −2·w_i·(a − b) ≢ 0. Swapping characters 17 and 18 (weights 28 and 1) changes it by 27·(a − b) ≢ 0.
* Illegal characters are rejected before any arithmetic; a removed space or hyphen changes the length.
NOT detected, hence not claimed: swapping characters 1 and 18 (both weight 1) — see
``test_swap_of_first_and_last_character_is_a_known_blind_spot``; and, of course, some multi-character errors.
"""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation
from hypothesis import given, settings
from hypothesis import strategies as st

from enterprises.identifiers import (
    USCC_ALPHABET,
    USCC_WEIGHTS,
    make_uscc,
    normalize_hk_br,
    normalize_uscc,
    organisation_check_character,
    uscc_check_character,
    validate_hk_br,
    validate_hk_cr,
    validate_uscc,
)

# Published codes, each verified by hand below (values: 0–9, A=10, B=11, …; the USCC alphabet skips I O S V Z).
# 91110000802100433B
#   org code 80210043-3: 8·3 + 0·7 + 2·9 + 1·10 + 0·5 + 0·8 + 4·4 + 3·2 = 74; 74 mod 11 = 8; 11 − 8 = 3 ✓
#   USCC: 9·1 + 1·3 + 1·9 + 1·27 + 8·20 + 2·25 + 1·13 + 4·10 + 3·30 + 3·28 = 485; 485 mod 31 = 20;
#   (31 − 20) mod 31 = 11 = B ✓
# 914403001922038216
#   org code 19220382-1: 1·3 + 9·7 + 2·9 + 2·10 + 0·5 + 3·8 + 8·4 + 2·2 = 164; 164 mod 11 = 10; 11 − 10 = 1 ✓
#   USCC: 9·1 + 1·3 + 4·9 + 4·27 + 3·26 + 1·20 + 9·29 + 2·25 + 2·13 + 3·24 + 8·10 + 2·30 + 1·28 = 831;
#   831 mod 31 = 25; (31 − 25) mod 31 = 6 ✓
# 9144030071526726XG  (organisation check character X)
#   org code 71526726-X: 7·3 + 1·7 + 5·9 + 2·10 + 6·5 + 7·8 + 2·4 + 6·2 = 199; 199 mod 11 = 1; 11 − 1 = 10 = X ✓
#   USCC: 9 + 3 + 36 + 108 + 78 + 7·20 + 1·29 + 5·25 + 2·13 + 6·8 + 7·24 + 2·10 + 6·30 + X(29)·28 = 1782;
#   1782 mod 31 = 15; (31 − 15) mod 31 = 16 = G ✓
# 91330100716105852F
#   org code 71610585-2: 21 + 7 + 54 + 10 + 0 + 40 + 32 + 10 = 174; 174 mod 11 = 9; 11 − 9 = 2 ✓
#   USCC: 9 + 3 + 27 + 81 + 26 + 140 + 29 + 150 + 13 + 120 + 80 + 150 + 2·28 = 884; 884 mod 31 = 16;
#   (31 − 16) mod 31 = 15 = F ✓
# Dropped: 91330000MA27U0YU1A fails both checks (org check should be 2, not 1), so it is not a valid code.
PUBLISHED_USCCS = ["91110000802100433B", "914403001922038216", "9144030071526726XG", "91330100716105852F"]

HANGZHOU_DIVISIONS = ["330000", "330100", "330102", "330105", "330106", "330108", "330109", "330110", "330111"]
HANGZHOU_DIVISIONS += ["330112", "330113", "330114", "330122", "330127", "330182"]
AUTHORITY_AND_TYPE = [("9", "1"), ("9", "2"), ("9", "3"), ("5", "1"), ("5", "2"), ("5", "3"), ("1", "1")]
AUTHORITY_AND_TYPE += [("1", "2"), ("1", "9"), ("Y", "1"), ("N", "1"), ("A", "1")]
# Never valid: the five excluded letters, punctuation, non-ASCII look-alike digits; space and hyphen are
# stripped by normalisation, so substituting them shortens the code.
ILLEGAL_CHARACTERS = ["I", "O", "S", "V", "Z", "i", "o", "*", "#", ".", "é", "３", "٣", " ", "-"]

uscc_codes = st.builds(
    lambda parts, division, body: make_uscc(parts[0], parts[1], division, body),
    st.sampled_from(AUTHORITY_AND_TYPE),
    st.one_of(st.sampled_from(HANGZHOU_DIVISIONS), st.text("0123456789", min_size=6, max_size=6)),
    st.one_of(
        st.text(USCC_ALPHABET, min_size=8, max_size=8),
        st.text(USCC_ALPHABET, min_size=6, max_size=6).map(lambda s: "MA" + s),
    ),
)


def rejection(value) -> ValidationError:
    with translation.override("en"), pytest.raises(ValidationError) as excinfo:
        validate_uscc(value)
    return excinfo.value


# --- valid codes --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("code", PUBLISHED_USCCS)
def test_published_codes_pass(code):
    validate_uscc(code)
    assert uscc_check_character(code[:17]) == code[17]
    assert organisation_check_character(code[8:16]) == code[16]


@pytest.mark.parametrize(
    ("parts", "expected"),
    [
        (("9", "1", "330106", "MA27U0YU"), "91330106MA27U0YU2Y"),
        (("9", "1", "330106", "MA2H0G5N"), "91330106MA2H0G5NXU"),  # organisation check X
        (("9", "1", "330106", "MA28XJ1P"), "91330106MA28XJ1P04"),  # organisation check 0 (11 − 0 = 11)
        (("9", "1", "330106", "00000000"), "913301060000000000"),
    ],
)
def test_make_uscc_builds_valid_codes(parts, expected):
    assert make_uscc(*parts) == expected
    validate_uscc(expected)


@pytest.mark.parametrize(
    "parts",
    [
        ("I", "1", "330106", "MA27U0YU"),
        ("91", "1", "330106", "MA27U0YU"),
        ("9", "", "330106", "MA27U0YU"),
        ("9", "1", "33010A", "MA27U0YU"),
        ("9", "1", "33010", "MA27U0YU"),
        ("9", "1", "330106", "MA27O0YU"),
        ("9", "1", "330106", "MA27U0Y"),
    ],
)
def test_make_uscc_rejects_illegal_parts(parts):
    with pytest.raises(ValueError):
        make_uscc(*parts)


@pytest.mark.parametrize(
    ("helper", "value"),
    [
        (uscc_check_character, "9133010671610585"),
        (uscc_check_character, "9133010671610585O"),
        (organisation_check_character, "7161058"),
        (organisation_check_character, "7161058*"),
    ],
)
def test_check_helpers_reject_bad_input(helper, value):
    with pytest.raises(ValueError):
        helper(value)


def test_lower_case_spaces_and_hyphens_are_normalised():
    assert normalize_uscc("  9133 0100-7161 0585 2f ") == "91330100716105852F"
    validate_uscc("  9133 0100-7161 0585 2f ")
    validate_uscc("9144030071526726xg")


# --- property tests -----------------------------------------------------------------------------------------


@settings(database=None, deadline=None)
@given(uscc_codes)
def test_generated_codes_pass(code):
    validate_uscc(code)
    validate_uscc(code.lower())


@settings(database=None, deadline=None)
@given(uscc_codes)
def test_every_single_substitution_is_rejected(code):
    for i, original in enumerate(code):
        for replacement in [*USCC_ALPHABET, *ILLEGAL_CHARACTERS]:
            if replacement != original:
                with pytest.raises(ValidationError):
                    validate_uscc(code[:i] + replacement + code[i + 1 :])


@settings(database=None, deadline=None)
@given(uscc_codes)
def test_every_adjacent_transposition_is_rejected(code):
    # Includes swapping characters 17 and 18, the two check characters.
    for i in range(len(code) - 1):
        if code[i] != code[i + 1]:
            with pytest.raises(ValidationError):
                validate_uscc(code[:i] + code[i + 1] + code[i] + code[i + 2 :])


def test_check_arithmetic_detects_every_substitution_exhaustively():
    weights = [*USCC_WEIGHTS, 1]  # position 18 is the check character itself, weight 1
    assert list(USCC_WEIGHTS) == [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]
    for w in weights:
        for delta in range(1, 31):
            assert delta * w % 31 != 0


def test_check_arithmetic_detects_every_adjacent_transposition_exhaustively():
    weights = [*USCC_WEIGHTS, 1]
    for i in range(17):
        for a in range(31):
            for b in range(31):
                if a != b:
                    assert (a - b) * (weights[i] - weights[i + 1]) % 31 != 0, (i, a, b)


def test_swap_of_first_and_last_character_is_a_known_blind_spot():
    # Positions 1 and 18 both carry weight 1 (3^0 and the check character), and neither is part of the
    # organisation code, so exchanging them leaves both checks satisfied. Not adjacent, so not claimed above.
    code = "91110000802100433B"
    validate_uscc(code[17] + code[1:17] + code[0])


# --- one test per error message -----------------------------------------------------------------------------


def test_wrong_length():
    error = rejection("9133010071610585")
    assert error.code == "uscc_length"
    assert "18 characters; this one has 16" in error.messages[0]


@pytest.mark.parametrize(("position", "character"), [(10, "O"), (1, "I"), (18, "Z"), (4, "S")])
def test_illegal_character(position, character):
    code = "91330100716105852F"
    error = rejection(code[: position - 1] + character + code[position:])
    assert error.code == "uscc_character"  # also before the division check, for position 4
    assert f"Character {position} (“{character}”)" in error.messages[0]
    assert "I, O, S, V or Z" in error.messages[0]


def test_division_code_not_digits():
    error = rejection("91330A00716105852F")
    assert error.code == "uscc_division"
    assert "character 6 is “A”" in error.messages[0]


def test_organisation_check_character_wrong():
    error = rejection("91330100716105853F")
    assert error.code == "uscc_org_check"
    assert "character 17 should be “2”, not “3”" in error.messages[0]


def test_uscc_check_character_wrong():
    error = rejection("91330100716105852G")
    assert error.code == "uscc_check"
    assert "(character 18) should be “F”, not “G”" in error.messages[0]


def test_checks_run_in_the_documented_order():
    assert rejection("9133O1007161058").code == "uscc_length"
    assert rejection("91330A007161058O2F").code == "uscc_character"
    assert rejection("91330A00716105853G").code == "uscc_division"
    assert rejection("91330100716105853G").code == "uscc_org_check"


# --- Hong Kong Business Registration and Companies Registry numbers ---------------------------------------


@pytest.mark.parametrize(
    ("value", "normalised"),
    [
        ("12345678", "12345678"),
        (" 12345678 ", "12345678"),
        ("12345678-000-01-26-7", "12345678"),
        ("12345678-000-01-26-a", "12345678"),
        ("01234567 - 001 - 12 - 24 - 3", "01234567"),
    ],
)
def test_hk_br_valid(value, normalised):
    validate_hk_br(value)
    assert normalize_hk_br(value) == normalised


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("1234567", "hk_br_length"),
        ("123456789", "hk_br_length"),
        ("1234567A", "hk_br_invalid"),
        ("ABCDEFGH", "hk_br_invalid"),
        ("12345678-000", "hk_br_invalid"),
        ("12345678-000-01-26", "hk_br_invalid"),
        ("１２３４５６７８", "hk_br_invalid"),
        ("", "hk_br_invalid"),
    ],
)
def test_hk_br_invalid(value, code):
    with translation.override("en"), pytest.raises(ValidationError) as excinfo:
        validate_hk_br(value)
    assert excinfo.value.code == code
    assert "8" in excinfo.value.messages[0]


@pytest.mark.parametrize("value", ["1234567", "0012345", " 7654321 "])
def test_hk_cr_valid(value):
    validate_hk_cr(value)


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("123456", "hk_cr_length"),
        ("12345678", "hk_cr_length"),
        ("123456A", "hk_cr_invalid"),
        ("CR1234567", "hk_cr_invalid"),
        ("", "hk_cr_invalid"),
    ],
)
def test_hk_cr_invalid(value, code):
    with translation.override("en"), pytest.raises(ValidationError) as excinfo:
        validate_hk_cr(value)
    assert excinfo.value.code == code
    assert "7 digits" in excinfo.value.messages[0]
