"""Enterprise profile pages: my enterprises, the create wizard, profile view and edit, contact persons."""

import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from djmoney.money import Money

from enterprises.identifiers import make_uscc
from enterprises.models import DUPLICATE_MESSAGES, Consent, ContactPerson, Document, Enterprise, Membership
from enterprises.services import profile as profile_services
from hkhz_portal.accounts.roles import Role
from hkhz_portal.core.errors import DomainError
from hkhz_portal.core.models import AuditEvent
from tests.factories import EnterpriseFactory, give_consent, member_of, user_with_role

pytestmark = pytest.mark.django_db

# formtools names the management field after the view class: EnterpriseCreateWizard -> enterprise_create_wizard.
CURRENT_STEP = "enterprise_create_wizard-current_step"
CREATE = reverse("enterprise_create")


def uscc(n=1):
    return make_uscc("9", "1", "330108", f"QA{n:06d}")


IDENTITY = {
    "legal_name_en": "Hangzhou Lakeside Biotech Co., Ltd.",
    "legal_name_zh": "杭州湖畔生物科技有限公司",
    "short_name": "Lakeside Bio",
    "kind": "mainland",
    "uscc": uscc(),
    "hk_br": "",
    "hk_cr": "",
}
LOCATION = {
    "registered_address": "88 Jiangnan Avenue, Binjiang District",
    "city": "Hangzhou",
    "district": "330108",
    "founded_on": "2019-05-01",
    "sector": "biopharma",
    "stage": "early",
    "headcount": "10-49",
}
FIGURES = {
    "annual_revenue_0": "12500000.00",
    "annual_revenue_1": "CNY",
    "rd_spend_0": "4200000",
    "rd_spend_1": "USD",
    "granted_patents": "7",
    "website": "https://lakeside.example",
    "description_en": "Antibody discovery for autoimmune disease.",
    "description_zh": "自身免疫疾病抗体药物发现。",
}


def applicant(*, consent=True, **fields):
    user = user_with_role(Role.APPLICANT, **fields)
    if consent:
        give_consent(user)
    return user


def step(client, name, data):
    payload = {CURRENT_STEP: name, **{f"{name}-{key}": value for key, value in data.items()}}
    return client.post(CREATE, payload)


def errors(response, field):
    return response.context["form"].errors.get(field, [])


def edit_data(enterprise, **changes):
    """Everything the edit page posts back, as it shows it, with ``changes`` applied."""
    data = {
        "legal_name_en": enterprise.legal_name_en,
        "legal_name_zh": enterprise.legal_name_zh,
        "short_name": enterprise.short_name,
        "kind": enterprise.kind,
        "uscc": enterprise.uscc or "",
        "hk_br": enterprise.hk_br or "",
        "hk_cr": enterprise.hk_cr or "",
        "registered_address": enterprise.registered_address,
        "city": enterprise.city,
        "district": enterprise.district,
        "founded_on": enterprise.founded_on.isoformat() if enterprise.founded_on else "",
        "sector": enterprise.sector,
        "stage": enterprise.stage,
        "headcount": enterprise.headcount,
        "annual_revenue_0": "",
        "annual_revenue_1": "CNY",
        "rd_spend_0": "",
        "rd_spend_1": "CNY",
        "granted_patents": str(enterprise.granted_patents),
        "website": enterprise.website,
        "description_en": enterprise.description_en,
        "description_zh": enterprise.description_zh,
    }
    data.update(changes)
    return data


def url(name, enterprise, *args):
    return reverse(name, args=[enterprise.reference, *args])


# --- The create wizard ------------------------------------------------------------------------


def test_wizard_creates_an_enterprise_with_the_creator_as_owner(client):
    user = applicant()
    client.force_login(user)

    first = client.get(CREATE)
    assert first.status_code == 200
    assert "Step 1 of 3" in first.content.decode()

    second = step(client, "identity", IDENTITY)
    html = second.content.decode()
    assert "Step 2 of 3" in html
    assert 'name="location-district"' in html
    assert 'name="wizard_goto_step"' in html  # a Back button

    third = step(client, "location", LOCATION)
    assert "Step 3 of 3" in third.content.decode()
    assert Enterprise.objects.count() == 0  # nothing is written before the last step

    done = step(client, "figures", FIGURES)
    enterprise = Enterprise.objects.get()
    assert done.status_code == 302
    assert done["Location"] == url("enterprise_detail", enterprise)
    assert re.fullmatch(r"ENT-\d{4}-\d{5}", enterprise.reference)
    assert enterprise.uscc == IDENTITY["uscc"]
    assert enterprise.district == "330108"
    assert enterprise.data_residency == "mainland"
    assert enterprise.annual_revenue == Money(Decimal("12500000.00"), "CNY")
    assert enterprise.rd_spend == Money(Decimal("4200000"), "USD")
    assert enterprise.listed_in_directory is False  # off unless ticked
    assert Membership.objects.get(enterprise=enterprise).user == user
    assert Membership.objects.get(enterprise=enterprise).role == "owner"
    assert AuditEvent.objects.filter(action="enterprise.created", target_id=str(enterprise.pk)).count() == 1

    profile = client.get(done["Location"]).content.decode()
    assert "Hangzhou Lakeside Biotech Co., Ltd." in profile
    assert enterprise.reference in profile
    assert "CNY 12,500,000.00" in profile
    assert "USD 4,200,000.00" in profile
    assert "is created, with reference" in profile


def test_back_button_returns_to_the_previous_step_with_its_answers(client):
    client.force_login(applicant())
    step(client, "identity", IDENTITY)
    back = client.post(CREATE, {CURRENT_STEP: "location", "wizard_goto_step": "identity"})
    html = back.content.decode()
    assert "Step 1 of 3" in html
    assert IDENTITY["uscc"] in html


def test_duplicate_uscc_is_a_field_error_and_nothing_is_written(client):
    EnterpriseFactory(uscc=IDENTITY["uscc"])
    client.force_login(applicant())
    response = step(client, "identity", IDENTITY)
    assert response.status_code == 200
    assert errors(response, "uscc") == ["Another enterprise on the portal already has this Unified Social Credit Code."]
    assert "Step 1 of 3" in response.content.decode()
    assert Enterprise.objects.count() == 1
    assert not Membership.objects.exists()


def test_uscc_taken_by_someone_else_during_the_wizard_sends_the_user_back_to_step_one(client):
    """Two people at once: the code was free at step 1 and taken before the last step."""
    user = applicant()
    client.force_login(user)
    step(client, "identity", IDENTITY)
    step(client, "location", LOCATION)
    EnterpriseFactory(uscc=IDENTITY["uscc"])  # the other person finished first

    response = step(client, "figures", FIGURES)
    assert response.status_code == 200
    assert "Step 1 of 3" in response.content.decode()
    assert errors(response, "uscc")
    assert not Enterprise.objects.filter(memberships__user=user).exists()


def test_a_race_lost_inside_the_service_lands_on_the_uscc_field(client, monkeypatch):
    """The service's own duplicate check (the database's unique index) comes back as the field error."""

    def lose_the_race(*, actor, **data):
        raise DomainError(DUPLICATE_MESSAGES["uscc"], code="duplicate_identifier", field="uscc")

    monkeypatch.setattr(profile_services, "create_enterprise", lose_the_race)
    client.force_login(applicant())
    step(client, "identity", IDENTITY)
    step(client, "location", LOCATION)
    response = step(client, "figures", FIGURES)
    assert response.status_code == 200
    assert "Step 1 of 3" in response.content.decode()
    assert errors(response, "uscc") == [str(DUPLICATE_MESSAGES["uscc"])]
    # What was typed is kept: going on from here needs no retyping.
    assert IDENTITY["legal_name_en"] in response.content.decode()


def test_wrong_uscc_check_character_names_the_expected_one(client):
    valid = uscc(7)
    wrong = valid[:-1] + ("0" if valid[-1] != "0" else "1")
    client.force_login(applicant())
    response = step(client, "identity", {**IDENTITY, "uscc": wrong})
    [message] = errors(response, "uscc")
    assert f"should be “{valid[-1]}”" in message
    assert f"not “{wrong[-1]}”" in message


def test_uscc_is_accepted_with_spaces_hyphens_and_lower_case(client):
    code = uscc(3)
    typed = f"{code[:8].lower()}-{code[8:]} "
    client.force_login(applicant())
    step(client, "identity", {**IDENTITY, "uscc": typed})
    step(client, "location", LOCATION)
    step(client, "figures", FIGURES)
    assert Enterprise.objects.get().uscc == code


def test_mainland_firm_without_uscc_is_refused_on_the_field(client):
    client.force_login(applicant())
    response = step(client, "identity", {**IDENTITY, "uscc": ""})
    assert errors(response, "uscc") == [
        "A mainland enterprise needs its Unified Social Credit Code (on its business licence)."
    ]


def test_hong_kong_firm_is_created_with_its_br_number_and_no_district(client):
    client.force_login(applicant())
    identity = {**IDENTITY, "kind": "hong_kong", "uscc": "", "hk_br": "12345678-000-01-26-7", "hk_cr": "1234567"}
    location = step(client, "identity", identity).content.decode()
    assert 'name="location-district"' not in location
    assert "Hangzhou districts are asked of mainland firms only" in location

    # A district posted anyway (a crafted request) is not stored.
    figures = step(client, "location", {**LOCATION, "city": "Hong Kong", "district": "330108"}).content.decode()
    assert '<option value="HKD" selected>' in figures  # amounts start in the firm's currency
    step(client, "figures", {**FIGURES, "annual_revenue_1": "HKD", "rd_spend_1": "HKD"})
    enterprise = Enterprise.objects.get()
    assert enterprise.kind == "hong_kong"
    assert enterprise.hk_br == "12345678"
    assert enterprise.hk_cr == "1234567"
    assert enterprise.uscc is None
    assert enterprise.district == ""
    assert enterprise.data_residency == "hong_kong"


def test_hong_kong_firm_needs_a_br_number_and_no_uscc(client):
    client.force_login(applicant())
    response = step(client, "identity", {**IDENTITY, "kind": "hong_kong"})
    assert errors(response, "hk_br") == ["A Hong Kong enterprise needs its Business Registration number."]
    assert errors(response, "uscc") == [
        "Only mainland enterprises have a Unified Social Credit Code: leave this empty."
    ]


def test_bad_br_number_gets_the_validators_message(client):
    client.force_login(applicant())
    response = step(client, "identity", {**IDENTITY, "kind": "hong_kong", "uscc": "", "hk_br": "1234567"})
    assert errors(response, "hk_br") == ["A Hong Kong Business Registration number has 8 digits; this one has 7."]


def test_overseas_firm_needs_no_identifier(client):
    client.force_login(applicant())
    step(client, "identity", {**IDENTITY, "kind": "overseas", "uscc": ""})
    step(client, "location", {**LOCATION, "city": "Boston"})
    step(client, "figures", FIGURES)
    enterprise = Enterprise.objects.get()
    assert (enterprise.kind, enterprise.uscc, enterprise.hk_br) == ("overseas", None, None)


def test_wizard_without_consent_goes_to_the_consent_page_and_comes_back(client):
    user = applicant(consent=False)
    client.force_login(user)
    response = client.get(CREATE)
    consent_url = f"{reverse('consent')}?next=%2Fenterprises%2Fnew%2F"
    assert response.status_code == 302
    assert response["Location"] == consent_url

    # Posting a step directly is refused the same way, and writes nothing.
    assert step(client, "identity", IDENTITY)["Location"] == consent_url

    consent_page = client.get(response["Location"])
    assert 'name="next" value="/enterprises/new/"' in consent_page.content.decode()
    back = client.post(reverse("consent"), {"agree": "on", "scope": "both_ways", "next": "/enterprises/new/"})
    assert back["Location"] == CREATE
    assert "Step 1 of 3" in client.get(CREATE).content.decode()
    assert Enterprise.objects.count() == 0


def test_anonymous_visitor_is_sent_to_sign_in(client):
    response = client.get(CREATE)
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


# --- My enterprises and the dashboard ----------------------------------------------------------


def test_enterprise_list_shows_mine_with_completeness_and_not_others(client):
    mine = EnterpriseFactory(short_name="Mine Bio")
    EnterpriseFactory(short_name="Not Mine Bio")
    user = member_of(mine, "owner")
    member_of(mine, "member")  # a colleague: still one card, with my own role on it
    client.force_login(user)
    response = client.get(reverse("enterprise_list"))
    assert [s.role for s in response.context["summaries"]] == ["owner"]
    html = response.content.decode()
    assert "Mine Bio" in html
    assert mine.reference in html
    assert "Not Mine Bio" not in html
    assert "% complete" in html
    assert "Owner" in html


def test_empty_list_explains_what_a_profile_is_for(client):
    client.force_login(applicant())
    html = client.get(reverse("enterprise_list")).content.decode()
    assert "No enterprise yet" in html
    assert "every application, service request and investment" in html
    assert CREATE in html


def test_dashboard_lists_my_enterprises_in_a_fixed_number_of_queries(client):
    user = applicant()
    first = EnterpriseFactory(short_name="First Bio")
    Membership.objects.create(enterprise=first, user=user, role="owner")
    client.force_login(user)
    with CaptureQueriesContext(connection) as one:
        html = client.get(reverse("dashboard")).content.decode()
    assert "First Bio" in html and first.reference in html and "% complete" in html
    assert "Coming next" not in html

    for n in range(4):
        other = EnterpriseFactory(short_name=f"More Bio {n}")
        Membership.objects.create(enterprise=other, user=user, role="member")
        Document.objects.create(enterprise=other, doc_type="articles", title="Articles")
    with CaptureQueriesContext(connection) as five:
        html = client.get(reverse("dashboard")).content.decode()
    assert "More Bio 3" in html
    assert len(five) == len(one)


def test_header_links_for_applicants_only(client):
    client.force_login(applicant())
    html = client.get(reverse("dashboard")).content.decode()
    assert f'href="{reverse("enterprise_list")}"' in html
    assert "Cross-border consent" in html

    client.force_login(user_with_role(Role.REVIEWER))
    html = client.get(reverse("dashboard")).content.decode()
    assert f'href="{reverse("enterprise_list")}"' not in html
    assert "Cross-border consent" in html  # everyone may manage their own consent


# --- Profile view, edit, permissions -----------------------------------------------------------


@pytest.fixture
def enterprise():
    return EnterpriseFactory(
        short_name="Xihu Bio", description_en="We make antibodies.", description_zh="我们研发抗体。"
    )


@pytest.fixture
def owner(enterprise):
    return member_of(enterprise, "owner")


@pytest.mark.parametrize(
    ("name", "method", "extra"),
    [
        ("enterprise_detail", "get", ()),
        ("enterprise_edit", "get", ()),
        ("enterprise_edit", "post", ()),
        ("contact_list", "get", ()),
        ("contact_list", "post", ()),
        ("contact_remove", "post", ("contact",)),
    ],
)
def test_non_member_gets_404_and_nothing_changes(client, enterprise, name, method, extra):
    contact = ContactPerson.objects.create(enterprise=enterprise, name="Ms Wang", email="wang@example.com")
    args = [contact.pk] if extra else []
    outsider = member_of(EnterpriseFactory(), "owner")  # an owner elsewhere, with consent
    client.force_login(outsider)
    data = edit_data(enterprise, legal_name_en="Hijacked") if name == "enterprise_edit" else {}
    response = getattr(client, method)(url(name, enterprise, *args), data)
    assert response.status_code == 404
    enterprise.refresh_from_db()
    assert enterprise.legal_name_en != "Hijacked"
    assert ContactPerson.objects.filter(pk=contact.pk).exists()


def test_profile_shows_identifiers_residency_and_both_descriptions(client, enterprise, owner):
    client.force_login(owner)
    html = client.get(url("enterprise_detail", enterprise)).content.decode()
    assert enterprise.legal_name_en in html
    assert enterprise.uscc in html
    assert "Mainland data" in html
    assert "Biopharma" in html
    assert html.index("We make antibodies.") < html.index("我们研发抗体。")
    for section in ("contact_list", "member_list", "document_list", "product_list"):
        assert url(section, enterprise) in html
    assert 'aria-current="page">Profile<' in html


def test_profile_shows_the_description_in_the_active_language_first(client, enterprise, owner):
    client.force_login(owner)
    client.cookies["django_language"] = "zh-hans"
    html = client.get(url("enterprise_detail", enterprise)).content.decode()
    assert html.index("我们研发抗体。") < html.index("We make antibodies.")


def test_member_edits_the_profile_and_sees_the_change(client, enterprise):
    member = member_of(enterprise, "member")
    client.force_login(member)
    form = client.get(url("enterprise_edit", enterprise))
    assert form.status_code == 200
    response = client.post(
        url("enterprise_edit", enterprise),
        edit_data(enterprise, short_name="Xihu Antibody", annual_revenue_0="800000", annual_revenue_1="HKD"),
    )
    assert response.status_code == 302
    assert response["Location"] == url("enterprise_detail", enterprise)
    html = client.get(response["Location"]).content.decode()
    assert "Xihu Antibody" in html
    assert "HKD 800,000.00" in html
    assert "The profile is saved." in html
    event = AuditEvent.objects.get(action="enterprise.updated")
    assert "short_name" in event.changes


def test_website_typed_without_scheme_is_stored_as_https(client, enterprise, owner):
    client.force_login(owner)
    client.post(url("enterprise_edit", enterprise), edit_data(enterprise, website="www.xihu-bio.example"))
    enterprise.refresh_from_db()
    assert enterprise.website == "https://www.xihu-bio.example"


def test_edit_refuses_a_district_for_a_hong_kong_firm(client, enterprise, owner):
    client.force_login(owner)
    data = edit_data(enterprise, kind="hong_kong", uscc="", hk_br="87654321", district="330106")
    response = client.post(url("enterprise_edit", enterprise), data)
    assert response.status_code == 200
    assert errors(response, "district") == [
        "Hangzhou districts apply to mainland enterprises only: leave this empty for a Hong Kong or overseas "
        "enterprise."
    ]
    enterprise.refresh_from_db()
    assert enterprise.kind == "mainland"
    # The page header still shows the saved profile, not the refused values.
    assert response.context["enterprise"].kind == "mainland"


def test_edit_to_a_duplicate_uscc_is_a_field_error(client, enterprise, owner):
    other = EnterpriseFactory()
    client.force_login(owner)
    response = client.post(url("enterprise_edit", enterprise), edit_data(enterprise, uscc=other.uscc))
    assert errors(response, "uscc") == ["Another enterprise on the portal already has this Unified Social Credit Code."]
    enterprise.refresh_from_db()
    assert enterprise.uscc != other.uscc


def test_edit_without_consent_goes_to_the_consent_page_and_writes_nothing(client, enterprise):
    member = member_of(enterprise, "owner", consent=False)
    client.force_login(member)
    page = client.get(url("enterprise_edit", enterprise)).content.decode()
    assert "Saving changes to the profile needs your consent" in page

    response = client.post(url("enterprise_edit", enterprise), edit_data(enterprise, short_name="Changed"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("consent") + "?next=")
    assert url("enterprise_edit", enterprise).replace("/", "%2F") in response["Location"]
    enterprise.refresh_from_db()
    assert enterprise.short_name == "Xihu Bio"
    assert not AuditEvent.objects.filter(action="enterprise.updated").exists()


def test_completeness_lists_what_is_missing_and_rises_when_filled(client, enterprise, owner):
    client.force_login(owner)
    before = client.get(url("enterprise_detail", enterprise))
    html = before.content.decode()
    percent = before.context["completeness"].percent
    assert f"{percent}% complete" in html
    fix_website = f'<a href="{url("enterprise_edit", enterprise)}#id_website">Website</a>'
    assert fix_website in html
    assert f'<a href="{url("document_list", enterprise)}">Business licence document</a>' in html

    client.post(url("enterprise_edit", enterprise), edit_data(enterprise, website="https://xihu-bio.example"))
    after = client.get(url("enterprise_detail", enterprise))
    assert after.context["completeness"].percent > percent
    assert f"{after.context['completeness'].percent}% complete" in after.content.decode()
    assert fix_website not in after.content.decode()


# --- Contact persons ----------------------------------------------------------------------------


def contact_data(**changes):
    data = {"name": "Chen Jing", "title": "Head of BD", "email": "chen@example.com", "phone": "+86 571 8888 0000"}
    data.update(changes)
    return data


def test_contact_needs_the_attestation_checkbox(client, enterprise, owner):
    client.force_login(owner)
    response = client.post(url("contact_list", enterprise), contact_data())
    assert response.status_code == 200
    assert errors(response, "attest") == [
        "Only add a contact person who has read the notice and consented to cross-border transfer."
    ]
    assert not ContactPerson.objects.exists()
    assert "(version 2026-1)" in response.content.decode()


def test_adding_a_contact_records_their_consent(client, enterprise, owner):
    client.force_login(owner)
    response = client.post(url("contact_list", enterprise), contact_data(attest="on"))
    assert response.status_code == 302
    contact = ContactPerson.objects.get(enterprise=enterprise)
    consent = Consent.objects.get(contact=contact)
    assert consent.notice.version == "2026-1"
    assert consent.recorded_by == owner
    assert consent.withdrawn_at is None
    html = client.get(url("contact_list", enterprise)).content.decode()
    assert "Chen Jing" in html
    assert "Given on" in html and "(version 2026-1)" in html


def test_contact_with_a_bad_email_is_refused_on_the_field(client, enterprise, owner):
    client.force_login(owner)
    response = client.post(url("contact_list", enterprise), contact_data(email="not-an-address", attest="on"))
    assert errors(response, "email")
    assert not ContactPerson.objects.exists()


def test_contact_without_own_consent_goes_to_the_consent_page(client, enterprise):
    member = member_of(enterprise, "member", consent=False)
    client.force_login(member)
    response = client.post(url("contact_list", enterprise), contact_data(attest="on"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("consent"))
    assert not ContactPerson.objects.exists()


def test_removing_a_contact_deletes_their_data(client, enterprise, owner):
    client.force_login(owner)
    client.post(url("contact_list", enterprise), contact_data(attest="on"))
    contact = ContactPerson.objects.get()
    assert client.get(url("contact_remove", enterprise, contact.pk)).status_code == 405
    response = client.post(url("contact_remove", enterprise, contact.pk))
    assert response.status_code == 302
    assert not ContactPerson.objects.exists()
    assert not Consent.objects.filter(contact__isnull=False).exists()
    assert AuditEvent.objects.filter(action="contact.removed").exists()


def test_another_enterprises_contact_cannot_be_removed_through_mine(client, enterprise, owner):
    theirs = ContactPerson.objects.create(enterprise=EnterpriseFactory(), name="Other", email="o@example.com")
    client.force_login(owner)
    assert client.post(url("contact_remove", enterprise, theirs.pk)).status_code == 404
    assert ContactPerson.objects.filter(pk=theirs.pk).exists()


# --- Languages ------------------------------------------------------------------------------------


@pytest.mark.parametrize("language", ["zh-hant", "zh-hans"])
def test_pages_render_in_chinese(client, enterprise, owner, language):
    ContactPerson.objects.create(enterprise=enterprise, name="王小姐", email="wang@example.com")
    client.force_login(owner)
    client.cookies["django_language"] = language
    pages = [
        reverse("dashboard"),
        reverse("enterprise_list"),
        CREATE,
        url("enterprise_detail", enterprise),
        url("enterprise_edit", enterprise),
        url("contact_list", enterprise),
        reverse("consent"),
    ]
    for page in pages:
        response = client.get(page)
        assert response.status_code == 200, page
        assert f'<html lang="{language}">' in response.content.decode()
    step2 = step(client, "identity", IDENTITY)
    assert step2.status_code == 200
    assert f'<html lang="{language}">' in step2.content.decode()
