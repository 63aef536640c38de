"""The form engine as an applicant meets it on the pages: each field type's bad input is a
message on that field; conditional questions show, are required and are dropped as declared;
a group's rows and cells; answers written under version 1 after version 2 is published."""

import pytest
from django.utils import timezone

from programs.choices import FieldKind
from programs.models import FormField, FormSection, FormVersion
from programs.services import applications as svc
from tests.factories import EnterpriseFactory, member_of

from .factories import good_answers, texts
from .pages import applicant_with_enterprise, business_plan, draft, open_call

pytestmark = pytest.mark.django_db


@pytest.fixture
def setting():
    call = open_call()
    user, enterprise = applicant_with_enterprise()
    return user, enterprise, draft(user, enterprise, call)


def error_of(html: str, name: str) -> str:
    marker = f'id="id_{name}_error">'
    assert marker in html, f"no error on {name}"
    start = html.index(marker) + len(marker)
    return html[start : html.index("<", start)]


def step(client, application, section, data):
    return client.post(f"/applications/{application.reference}/edit/{section}/", {**data, "go": "save"})


@pytest.mark.parametrize(
    ("section", "data", "field", "message"),
    [
        ("company", {"summary": "x" * 121}, "summary", "Keep to 120 characters: this has 121."),
        ("company", {"summary": "Hello\x07"}, "summary", None),
        ("company", {"staff_worldwide": "many"}, "staff_worldwide", "Enter a number."),
        ("company", {"staff_worldwide": "-3"}, "staff_worldwide", "Enter 0 or more."),
        ("company", {"funding_sought_0": "12.345", "funding_sought_1": "HKD"}, "funding_sought", None),
        ("company", {"funding_sought_0": "100", "funding_sought_1": "EUR"}, "funding_sought", None),
        ("company", {"hk_company_planned": "maybe"}, "hk_company_planned", "Answer yes or no."),
        (
            "company",
            {"hk_company_planned": "yes", "hk_setup_date": "31/12/2026"},
            "hk_setup_date",
            "Enter a date as YYYY-MM-DD.",
        ),
        ("product", {"modality": "plutonium"}, "modality", "Choose one of the choices given."),
        ("product", {"markets": ["cn", "mars"]}, "markets", "Choose among the choices given."),
        ("product", {"plan": "word " * 51}, "plan", "Keep to 50 words: this has 51."),
        ("team", {"team": "1", "team-0-name": "Chen", "team-0-full_time": "sometimes"}, "team-0-full_time", None),
        ("team", {"team": "1", "team-0-name": "Chen", "team-0-equity": "150"}, "team-0-equity", None),
    ],
)
def test_each_field_types_bad_input_is_a_message_on_that_field(client, setting, section, data, field, message):
    user, _enterprise, application = setting
    client.force_login(user)
    response = step(client, application, section, data)
    assert response.status_code == 400
    shown = error_of(response.content.decode(), field)
    assert shown
    if message:
        assert shown == message
    application.refresh_from_db()
    if field.startswith("team-"):  # the refused cell is not kept in its row
        _group, index, column = field.split("-")
        rows = application.answers.get("team", [])
        assert len(rows) <= int(index) or column not in rows[int(index)]
    else:
        assert field not in application.answers


def test_a_document_question_takes_only_the_enterprises_current_documents_of_its_type(client, setting):
    user, enterprise, application = setting
    other = EnterpriseFactory()
    stranger = member_of(other, role="owner")
    foreign = business_plan(stranger, other)
    client.force_login(user)
    response = step(client, application, "team", {"business_plan": str(foreign.pk)})
    assert "Choose a current document of the type asked for" in error_of(response.content.decode(), "business_plan")
    own = business_plan(user, enterprise)
    assert step(client, application, "team", {"business_plan": str(own.pk)}).status_code == 302
    application.refresh_from_db()
    assert application.answers["business_plan"] == own.pk


def test_a_conditional_question_is_required_only_when_shown_and_its_hidden_answer_is_dropped(client, setting):
    user, _enterprise, application = setting
    client.force_login(user)
    html = client.get(f"/applications/{application.reference}/edit/company/").content.decode()
    assert 'id="q-hk_setup_date" data-show-if="hk_company_planned" data-show-values="[&quot;yes&quot;]" hidden' in html

    step(client, application, "company", {"hk_company_planned": "no", "hk_setup_date": "2027-01-15"})
    application.refresh_from_db()
    assert application.answers["hk_company_planned"] is False and "hk_setup_date" not in application.answers
    review = client.get(f"/applications/{application.reference}/review/").content.decode()
    assert "#q-hk_setup_date" not in review

    step(client, application, "company", {"hk_company_planned": "yes"})
    review = client.get(f"/applications/{application.reference}/review/").content.decode()
    assert "#q-hk_setup_date" in review
    html = client.get(f"/applications/{application.reference}/edit/company/").content.decode()
    assert 'data-show-values="[&quot;yes&quot;]">' in html  # shown now, without the hidden attribute

    step(client, application, "product", {"modality": "device"})
    review = client.get(f"/applications/{application.reference}/review/").content.decode()
    assert "#q-device_class" in review


def test_a_group_needs_its_least_rows_refuses_too_many_and_reports_each_cell(client, setting):
    user, _enterprise, application = setting
    client.force_login(user)
    step(client, application, "team", {"team": "1"})  # the one row left empty
    review = client.get(f"/applications/{application.reference}/review/").content.decode()
    assert f'href="/applications/{application.reference}/edit/team/#q-team">The team · Team members</a>' in review

    rows = {"team": "21"}
    for i in range(21):
        rows.update({f"team-{i}-name": f"Person {i}", f"team-{i}-full_time": "yes", f"team-{i}-technical": "no"})
    response = step(client, application, "team", rows)
    assert error_of(response.content.decode(), "team") == "Add at most 20 rows."

    cells = {"team": "2", "team-0-name": "Chen", "team-0-full_time": "yes", "team-0-technical": "yes"}
    cells.update({"team-1-role": "CTO", "team-1-equity": "abc"})
    response = step(client, application, "team", cells)
    html = response.content.decode()
    assert error_of(html, "team-1-equity") == "Enter a number."
    application.refresh_from_db()
    assert application.answers["team"][0] == {"name": "Chen", "full_time": True, "technical": True}
    review = client.get(f"/applications/{application.reference}/review/").content.decode()
    assert "Team members, row 2: Name" in review and "#id_team-1-name" in review


def copy_version(version) -> FormVersion:
    """Version 2 of the form: the same rows copied, one label changed and a new required question."""
    new = FormVersion.objects.create(form=version.form, number=version.number + 1)
    for section in version.sections.all():
        fields = list(section.fields.order_by("group_id", "order"))
        section.pk, section.version = None, new
        section.save()
        groups = {}
        for field in fields:
            old_pk = field.pk
            field.pk, field.section = None, section
            field.group_id = groups.get(field.group_id)
            if field.key == "summary":
                field.label_en = "Elevator pitch"
            field.save()
            groups[old_pk] = field.pk
        if section.key == "company":
            FormField.objects.create(
                section=section,
                key="revenue",
                kind=FieldKind.MONEY,
                order=9,
                required=True,
                **texts("label", "Revenue"),
            )
    new.published_at = timezone.now()
    new.save(update_fields=["published_at"])
    return new


def test_version_one_answers_still_display_and_validate_after_version_two(client, setting):
    user, enterprise, application = setting
    call = application.call
    answers = good_answers(business_plan(user, enterprise).pk)
    svc.save_answers(actor=user, application=application, answers=answers)
    call.form_version = copy_version(application.form_version)
    call.save(update_fields=["form_version"])
    assert FormSection.objects.filter(version=call.form_version).count() == 3
    client.force_login(user)

    review = client.get(f"/applications/{application.reference}/review/").content.decode()
    assert "Every answer is complete" in review and "Revenue" not in review
    assert "One-line summary" in review and "Elevator pitch" not in review
    client.post(f"/applications/{application.reference}/review/", {"declaration": "on"})
    status = client.get(f"/applications/{application.reference}/").content.decode()
    assert "One-line summary" in status and "Antibody therapies for liver cancer" in status
    assert "HKD 5,000,000.00" in status and '<td data-label="Equity %">40</td>' in status
    assert f"/enterprises/{enterprise.reference}/documents/{answers['business_plan']}/v1/" in status


@pytest.mark.parametrize(
    ("language", "shown"), [("en", "Mainland China, United States"), ("zh-hant", "中國內地、美國")]
)
def test_a_multiple_choice_answer_reads_as_a_list_in_the_readers_language(language, shown):
    from django.utils import translation

    from programs.answers import display_value, form_schema
    from tests.programs.factories import build_form

    markets = form_schema(build_form()).questions["markets"]
    with translation.override(language):
        assert display_value(markets, ["cn", "us"]) == shown
