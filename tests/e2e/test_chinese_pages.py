"""What a Chinese reader sees in a real browser: 繁體 text drawn with Traditional Chinese fonts,
简体 text with Simplified ones, and the milestone table's buttons on one line at 1280 px."""

import pytest
from django.urls import reverse

from enterprises.services import regulatory
from tests.factories import PASSWORD, EnterpriseFactory, member_of

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

TRADITIONAL_FONTS = ["PingFang HK", "Microsoft JhengHei", "Noto Sans CJK HK", "Noto Sans CJK TC"]
SIMPLIFIED_FONTS = ["PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC"]


@pytest.fixture
def product_page():
    """An owner and a product page with milestones whose table is crowded, as in life; made
    before the browser starts (no ORM work while Playwright's loop runs)."""
    enterprise = EnterpriseFactory()
    owner = member_of(enterprise, "owner")
    product = regulatory.save_product(enterprise, actor=owner, name="QT-101 anti-PD-1 antibody", modality="biologic")
    for jurisdiction, pathway, status in [("nmpa", "ind", "submitted"), ("fda", "bla", "planned")]:
        regulatory.save_milestone(
            product,
            actor=owner,
            jurisdiction=jurisdiction,
            pathway=pathway,
            status=status,
            planned_on="2026-06-24",
            reference_number="CXSS2600042",
            priority_review=True,
            notes="Pre-submission meeting held; the agency asked for the bridging study first.",
        )
    return owner, reverse("product_detail", args=[enterprise.reference, product.pk])


def fonts_asked_for(page, selector="body") -> list[str]:
    family = page.eval_on_selector(selector, "el => getComputedStyle(el).fontFamily")
    return [name.strip().strip('"') for name in family.split(",")]


def fonts_drawn(page, selector) -> set[str]:
    """The fonts Chromium actually used for the element's text (from the devtools protocol)."""
    cdp = page.context.new_cdp_session(page.raw)
    cdp.send("DOM.enable")
    cdp.send("CSS.enable")
    root = cdp.send("DOM.getDocument")["root"]["nodeId"]
    node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": selector})["nodeId"]
    return {font["familyName"] for font in cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]}


def first_of(fonts: list[str], wanted: list[str]) -> int:
    """Where the first of ``wanted`` stands in ``fonts`` (past the end when none is asked for)."""
    return min((fonts.index(name) for name in wanted if name in fonts), default=len(fonts))


def test_chinese_pages_ask_for_their_script_s_fonts_and_keep_buttons_on_one_line(product_page, live_server, page):
    owner, path = product_page
    page.context.add_cookies([{"name": "django_language", "value": "zh-hant", "url": live_server.url}])
    page.goto(live_server.url + "/accounts/login/")
    page.fill("input[name=login]", owner.email)
    page.fill("input[name=password]", PASSWORD)
    page.locator("main button[type=submit]").first.click()
    page.wait_for_url("**/dashboard/")
    page.goto(live_server.url + path)

    # 繁體: Traditional fonts before any Simplified one, and no Simplified glyphs drawn (where
    # this machine has Noto CJK, the heading is drawn in its Hong Kong cut).
    fonts = fonts_asked_for(page)
    assert first_of(fonts, TRADITIONAL_FONTS) < first_of(fonts, SIMPLIFIED_FONTS)
    assert page.locator("#milestones-title").inner_text() == "里程碑"
    assert not fonts_drawn(page, "#milestones-title") & set(SIMPLIFIED_FONTS)

    # Each button of the milestone rows is one line tall: "編輯", not "編" over "輯".
    lines = page.eval_on_selector_all(
        ".row-actions .button",
        "buttons => buttons.map((b) => (b.clientHeight - parseFloat(getComputedStyle(b).paddingTop) * 2)"
        " / parseFloat(getComputedStyle(b).lineHeight))",
    )
    assert len(lines) == 4
    assert all(round(n) == 1 for n in lines), lines

    # 简体 asks for Simplified fonts first; a Traditional name inside it keeps its own.
    page.select_option("#language-select", "zh-hans")
    page.wait_for_selector("html[lang='zh-hans']")
    fonts = fonts_asked_for(page)
    assert first_of(fonts, SIMPLIFIED_FONTS) < first_of(fonts, TRADITIONAL_FONTS)
    traditional_option = fonts_asked_for(page, "#language-select option[lang='zh-hant']")
    assert first_of(traditional_option, TRADITIONAL_FONTS) < first_of(traditional_option, SIMPLIFIED_FONTS)
