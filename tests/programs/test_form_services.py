"""Publishing a form version checks its structure first; copying one starts the next version,
and applications written under the old one keep displaying and validating under it."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from enterprises.services.documents import upload_document
from hkhz_portal.accounts.roles import Role
from hkhz_portal.core.errors import DomainError
from hkhz_portal.core.models import AuditEvent
from programs.answers import display_value, form_schema
from programs.audit_actions import AuditAction
from programs.choices import FieldKind
from programs.models import ApplicationForm, FormField, FormSection, FormVersion
from programs.services import applications as svc
from programs.services.forms import FormProblems, copy_version, publish_version
from tests.factories import EnterpriseFactory, member_of, user_with_role
from tests.files import pdf

from .factories import CallFactory, build_form, good_answers, texts

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin():
    return user_with_role(Role.ADMIN)


@pytest.fixture
def version():
    return build_form(publish=False)


def field(version, key):
    return FormField.objects.get(section__version=version, key=key)


def problems_of(version, admin) -> list[str]:
    with pytest.raises(FormProblems) as refused:
        publish_version(actor=admin, version=version)
    version.refresh_from_db()
    assert version.published_at is None
    assert not AuditEvent.objects.filter(action=AuditAction.FORM_PUBLISHED).exists()
    return refused.value.problems


def test_a_sound_version_is_published_and_audited(version, admin):
    publish_version(actor=admin, version=version)
    version.refresh_from_db()
    assert version.is_published
    event = AuditEvent.objects.get(action=AuditAction.FORM_PUBLISHED)
    assert (event.actor, event.changes) == (admin, {"form": "Biomedical incubation form", "number": 1})
    with pytest.raises(DomainError) as again:
        publish_version(actor=admin, version=version)
    assert again.value.status == 409


def test_two_questions_with_one_key_are_refused(version, admin):
    FormField.objects.filter(pk=field(version, "plan").pk).update(key="summary")
    assert problems_of(version, admin) == ["Question “summary”: another question of this version has the same key."]


def test_a_condition_must_name_an_earlier_question(version, admin):
    # "modality" is in the section after "hk_setup_date": a condition cannot look ahead.
    FormField.objects.filter(pk=field(version, "hk_setup_date").pk).update(
        show_if_field="modality", show_if_values=["device"]
    )
    FormSection.objects.filter(version=version, key="team").update(show_if_field="nowhere", show_if_values=["x"])
    assert problems_of(version, admin) == [
        "Question “hk_setup_date”: shows only after the question “modality”, which is not an earlier question "
        "of this version.",
        "Section “team”: shows only after the question “nowhere”, which is not an earlier question of this version.",
    ]


def test_a_condition_must_use_answers_its_question_can_have(version, admin):
    FormField.objects.filter(pk=field(version, "device_class").pk).update(show_if_values=["implant"])
    FormField.objects.filter(pk=field(version, "hk_setup_date").pk).update(show_if_values=["yes"])
    assert problems_of(version, admin) == [
        'Question “hk_setup_date”: “hk_company_planned” cannot be answered "yes" (it takes true, false).',
        'Question “device_class”: “modality” cannot be answered "implant" (it takes "biologic", "device", "software").',
    ]


def test_a_condition_reads_only_choice_and_yes_no_questions(version, admin):
    FormField.objects.filter(pk=field(version, "device_class").pk).update(show_if_field="summary", show_if_values=["x"])
    assert problems_of(version, admin) == [
        "Question “device_class”: a condition can read only a choice or yes/no question; “summary” is neither."
    ]


def test_group_columns_and_document_questions_are_checked(version, admin):
    FormField.objects.filter(pk=field(version, "business_plan").pk).update(document_type="")
    FormField.objects.filter(pk=field(version, "equity").pk).update(kind=FieldKind.DOCUMENT)
    FormField.objects.filter(pk=field(version, "role").pk).update(show_if_field="name", show_if_values=["x"])
    team = FormSection.objects.get(version=version, key="team")
    FormField.objects.create(section=team, key="advisers", kind=FieldKind.GROUP, order=5, **texts("label", "A"))
    assert problems_of(version, admin) == [
        "Question “team”, column “role”: a column cannot have a condition.",
        "Question “team”, column “equity”: a column cannot be a group or a document.",
        "Question “team”, column “equity”: say which type of document it asks for.",
        "Question “business_plan”: say which type of document it asks for.",
        "Question “advisers”: a repeating group needs at least one column.",
    ]


def test_an_empty_version_cannot_be_published(admin):
    empty = FormVersion.objects.create(form=ApplicationForm.objects.create(name="Empty"), number=1)
    assert problems_of(empty, admin) == ["The form has no questions."]


def test_a_copy_is_a_new_unpublished_version_with_every_part(admin):
    original = build_form()
    copy = copy_version(actor=admin, version=original)

    assert (copy.form_id, copy.number, copy.published_at) == (original.form_id, 2, None)
    assert structure(form_schema(copy)) == structure(form_schema(original))
    team = FormField.objects.get(section__version=copy, key="team")
    assert list(team.columns.values_list("key", flat=True)) == ["name", "role", "full_time", "technical", "equity"]
    assert {c.section_id for c in team.columns.all()} == {team.section_id}
    assert (
        FormField.objects.filter(section__version=original).count()
        == FormField.objects.filter(section__version=copy).count()
    )
    event = AuditEvent.objects.get(action=AuditAction.FORM_COPIED)
    assert event.changes == {"form": "Biomedical incubation form", "from": 1, "number": 2}
    assert copy_version(actor=admin, version=original).number == 3


def structure(schema) -> list:
    return [(s.key, s.show_if_field, [(q.key, q.kind, q.show_if_field) for q in s.questions]) for s in schema.sections]


def test_applications_under_version_1_keep_displaying_and_validating_after_version_2(admin):
    call = CallFactory()
    enterprise = EnterpriseFactory(founded_on=timezone.localdate() - datetime.timedelta(days=200))
    owner = member_of(enterprise, "owner")
    upload = SimpleUploadedFile("plan.pdf", pdf(), content_type="application/pdf")
    plan = upload_document(enterprise, upload, actor=owner, doc_type="business_plan").document
    application = svc.start_application(actor=owner, call=call, enterprise=enterprise)
    svc.save_answers(actor=owner, application=application, answers=good_answers(plan.pk))
    v1 = call.form_version

    v2 = copy_version(actor=admin, version=v1)
    FormField.objects.filter(section__version=v2, key="plan").delete()
    modality = FormField.objects.get(section__version=v2, key="modality")
    modality.choices = [{"value": "drug", "en": "Drug"}, {"value": "device", "en": "Device"}]
    modality.save()
    publish_version(actor=admin, version=v2)
    call.form_version = v2
    call.save()

    application.refresh_from_db()
    assert application.form_version == v1
    schema = form_schema(application.form_version)
    assert "plan" in schema.questions
    assert display_value(schema.questions["modality"], application.answers["modality"]) == "Biologic"
    assert svc.submission_problems(application).ok
    svc.submit(actor=owner, application=application, declaration=True)
    application.refresh_from_db()
    assert application.answers["plan"] == good_answers(plan.pk)["plan"]
    # A new application of the call is written under version 2.
    other = EnterpriseFactory()
    newer = svc.start_application(actor=member_of(other, "owner"), call=call, enterprise=other)
    assert newer.form_version == v2
    assert "plan" not in form_schema(newer.form_version).questions
