"""The normal form that stored search columns and queries share."""

import pytest

from hkhz_portal.core.search import normalise_names, normalise_text


@pytest.mark.parametrize(
    "text, form",
    [
        ("濱江醫療", "滨江医疗"),
        ("滨江医疗", "滨江医疗"),
        ("錢塘生物製藥（香港）有限公司", "钱塘生物制药(香港)有限公司"),
        ("九龍衞生", "九龙卫生"),
        ("  Binjiang\tPhotonics\n", "binjiangphotonics"),
        ("ＡＢＣ　Ｌｔｄ", "abcltd"),  # full-width letters and the ideographic space
        ("", ""),
        (None, ""),
    ],
)
def test_text_is_simplified_casefolded_and_unspaced(text, form):
    assert normalise_text(text) == form


def test_the_normal_form_is_stable():
    for text in ("杭州錢塘生物製藥有限公司 Qiantang Bio", "港灣基因", "頭髮 乾隆"):
        once = normalise_text(text)
        assert normalise_text(once) == once


def test_names_are_kept_apart_and_empty_ones_left_out():
    assert normalise_names("Harbour Genomics", "", "港灣基因", None) == "harbourgenomics\n港湾基因"
