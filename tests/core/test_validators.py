"""One check for every name and free text: no control characters, no text that only looks empty.
Refused alike by the validator, the page forms, the API and the services."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from enterprises.services import regulatory
from hkhz_portal.accounts.roles import Role
from hkhz_portal.core.validators import validate_multiline_text, validate_plain_text
from tests.factories import EnterpriseFactory, member_of, user_with_role

CONTROL = {
    "NUL": "Lakeside\x00Bio",
    "bell": "Lakeside\x07Bio",
    "escape": "\x1b[31mLakeside",
    "DEL": "Lakeside\x7f",
    "C1 control": "Lakeside\x85Bio",
    "lone surrogate": "Lakeside\ud800",
}
INVISIBLE = {
    "zero-width space": "\u200b",
    "zero-width joiners": "\u200c\u200d",
    "left-to-right mark": "\u200e",
    "right-to-left override": "\u202e",
    "isolates": "\u2066\u2069",
    "byte-order mark": "\ufeff",
    "word joiner and spaces": " \u2060 ",
    "Hangul filler": "\u3164",
    "ideographic space": "\u3000",
}
VALID = [
    "杭州湖畔生物科技有限公司",
    "Lakeside Bio（湖畔）— R&D “phase II”, 100% 🚀",
    "家庭 👨\u200d👩\u200d👧 ok",  # joiners inside an emoji sequence are part of visible text
    "Ümit Çelik-O'Brien",
    "مرحبا\u200f",  # a direction mark beside visible text
]


REFUSED = [(text, "control_character") for text in CONTROL.values()] + [
    (text, "invisible_text") for text in INVISIBLE.values()
]


@pytest.mark.parametrize(("text", "code"), REFUSED, ids=[*CONTROL, *INVISIBLE])
def test_control_characters_and_text_that_only_looks_empty_are_refused(text, code):
    for validate in (validate_plain_text, validate_multiline_text):
        with pytest.raises(ValidationError) as refused:
            validate(text)
        assert refused.value.code == code


def test_line_breaks_and_tabs_belong_to_multi_line_text_only():
    text = "88 Jiangnan Avenue\r\nBinjiang\tHangzhou"
    validate_multiline_text(text)
    with pytest.raises(ValidationError):
        validate_plain_text(text)
    with pytest.raises(ValidationError):
        validate_multiline_text("\r\n\t")


@pytest.mark.parametrize("text", VALID)
def test_real_names_pass(text):
    validate_plain_text(text)
    validate_multiline_text(text)


# --- Every way in --------------------------------------------------------------------------------


@pytest.fixture
def enterprise():
    return EnterpriseFactory()


@pytest.fixture
def owner(enterprise, client):
    user = member_of(enterprise, "owner")
    client.force_login(user)
    return user


def edit_data(enterprise, **changes):
    data = {
        "legal_name_en": enterprise.legal_name_en,
        "legal_name_zh": enterprise.legal_name_zh,
        "kind": enterprise.kind,
        "uscc": enterprise.uscc,
        "district": enterprise.district,
        "sector": enterprise.sector,
        "annual_revenue_1": "CNY",
        "rd_spend_1": "CNY",
        "granted_patents": "0",
    }
    data.update(changes)
    return data


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("legal_name_en", "\u200b\u200b"),
        ("short_name", "Lakeside\x07"),
        ("city", "Hang\nzhou"),
        ("description_en", "\u202e"),
        ("registered_address", "88 Jiangnan Avenue\x1b"),
    ],
)
def test_the_profile_page_puts_the_refusal_on_the_field(client, enterprise, owner, field, value):
    response = client.post(
        reverse("enterprise_edit", args=[enterprise.reference]), edit_data(enterprise, **{field: value})
    )
    assert response.status_code == 200
    assert response.context["form"].errors[field]
    enterprise.refresh_from_db()
    assert getattr(enterprise, field) != value


@pytest.mark.django_db
def test_the_profile_page_keeps_chinese_text_with_punctuation_and_emoji(client, enterprise, owner):
    description = "抗体药物发现（自身免疫）——第二期！🚀\r\n第二行。"
    response = client.post(
        reverse("enterprise_edit", args=[enterprise.reference]),
        edit_data(enterprise, short_name="湖畔生物 🌊", description_zh=description),
    )
    assert response.status_code == 302
    enterprise.refresh_from_db()
    assert (enterprise.short_name, enterprise.description_zh) == ("湖畔生物 🌊", description)


@pytest.mark.django_db
def test_the_contacts_page_refuses_an_invisible_name(client, enterprise, owner):
    response = client.post(
        reverse("contact_list", args=[enterprise.reference]),
        {"name": "\ufeff", "email": "someone@example.com", "attest": "on"},
    )
    assert response.status_code == 200
    assert "Enter visible text" in response.context["form"].errors["name"][0]
    assert not enterprise.contacts.exists()


@pytest.mark.django_db
def test_the_account_profile_refuses_a_control_character_in_the_name(client):
    user = user_with_role(Role.APPLICANT, full_name="Ho Wing")
    client.force_login(user)
    response = client.post(reverse("profile"), {"full_name": "Ho\x1bWing", "preferred_language": "en"})
    assert response.status_code == 200
    assert response.context["form"].errors["full_name"]
    user.refresh_from_db()
    assert user.full_name == "Ho Wing"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        ("", {"legal_name_en": "\u200b\u2060"}, "legal_name_en"),
        ("", {"description_zh": "\x07"}, "description_zh"),
        ("products/", {"name": "\u202e\u202c", "modality": "biologic"}, "name"),
        ("products/", {"name": "QT\x1b-11", "modality": "biologic"}, "name"),
    ],
)
def test_the_api_answers_400_naming_the_field(client, enterprise, owner, path, body, field):
    url = f"/api/v1/enterprises/{enterprise.reference}/{path}"
    send = client.patch if not path else client.post
    response = send(url, body, content_type="application/json")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert field in response.json()["errors"]


@pytest.mark.django_db
def test_the_api_keeps_chinese_text_with_emoji(client, enterprise, owner):
    url = f"/api/v1/enterprises/{enterprise.reference}/products/"
    response = client.post(
        url, {"name": "湖畔一号（QT-11）💉", "modality": "biologic"}, content_type="application/json"
    )
    assert response.status_code == 201
    assert response.json()["name"] == "湖畔一号（QT-11）💉"


@pytest.mark.django_db
def test_services_refuse_it_too(enterprise, owner):
    with pytest.raises(ValidationError) as refused:
        regulatory.save_product(enterprise, actor=owner, name="\u200b", modality="biologic")
    assert "name" in refused.value.message_dict
    assert not enterprise.products.exists()


@pytest.mark.django_db
def test_the_documents_page_refuses_an_invisible_title(client, enterprise, owner, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    pdf = SimpleUploadedFile("licence.pdf", b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n", "application/pdf")
    response = client.post(
        reverse("document_upload", args=[enterprise.reference]),
        {"doc_type": "business_licence", "title": "\u200b\u200b", "file": pdf},
    )
    assert response.status_code == 200
    assert "Enter visible text" in response.context["upload_form"].errors["title"][0]
    assert not enterprise.documents.exists()
