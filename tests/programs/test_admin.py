"""The admission set-up in the admin site: every page renders; a form version is edited until it
is published and read-only after; publishing checks the structure; copying starts the next
version; calls take only published versions and sensible rules; applications are shown only."""

import datetime

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.urls import reverse
from django.utils import timezone

from hkhz_portal.core.models import AuditEvent
from programs.audit_actions import AuditAction
from programs.models import Application, Call, FormField, FormSection, FormVersion, ScreeningCheck
from programs.services import applications as svc
from tests.factories import EnterpriseFactory, member_of

from .factories import CallFactory, ProgrammeFactory, build_form, park_rules

pytestmark = pytest.mark.django_db


def messages_of(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


def posted(response) -> dict:
    """What the change page's form sends as it stands: the main form and every inline row."""
    data = {}

    def add(form):
        for bound in form:
            value = bound.value()
            if value is None:
                continue
            if isinstance(value, list | tuple) and not isinstance(value, str):
                data[bound.html_name] = [str(v) for v in value]
            elif isinstance(value, bool):
                if value:
                    data[bound.html_name] = "on"
            else:
                data[bound.html_name] = (
                    bound.field.prepare_value(value) if hasattr(bound.field, "prepare_value") else value
                )

    add(response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        add(formset.management_form)
        for form in formset.forms:
            add(form)
    return data


@pytest.fixture
def draft_version():
    return build_form("Technology incubation form", publish=False)


@pytest.fixture
def application():
    call = CallFactory()
    park_rules(call)
    enterprise = EnterpriseFactory()
    owner = member_of(enterprise, "owner")
    return svc.start_application(actor=owner, call=call, enterprise=enterprise)


def test_every_admission_page_renders(admin_site, application, draft_version):
    call = application.call
    section = FormSection.objects.filter(version=draft_version).first()
    pages = [
        ("programme", call.programme_id),
        ("call", call.pk),
        ("applicationform", call.form_version.form_id),
        ("formversion", call.form_version_id),
        ("formversion", draft_version.pk),
        ("formsection", section.pk),
        ("application", application.pk),
    ]
    for model, pk in pages:
        for url in (
            reverse(f"admin:programs_{model}_changelist"),
            reverse(f"admin:programs_{model}_change", args=[pk]),
        ):
            response = admin_site.get(url)
            assert response.status_code == 200, url
    for model in ("programme", "call", "applicationform", "formversion", "formsection"):
        assert admin_site.get(reverse(f"admin:programs_{model}_add")).status_code == 200, model


def test_an_unpublished_version_lists_what_keeps_it_from_publication(admin_site, draft_version):
    FormField.objects.filter(section__version=draft_version, key="business_plan").update(document_type="")
    page = admin_site.get(reverse("admin:programs_formversion_change", args=[draft_version.pk])).content.decode()
    assert "Question “business_plan”: say which type of document it asks for." in page


def run_action(admin_site, action, *versions):
    return admin_site.post(
        reverse("admin:programs_formversion_changelist"),
        {"action": action, ACTION_CHECKBOX_NAME: [v.pk for v in versions], "index": 0},
        follow=True,
    )


def test_publishing_a_faulty_version_shows_its_problems_and_publishes_nothing(admin_site, draft_version):
    FormField.objects.filter(section__version=draft_version, key="device_class").update(show_if_values=["implant"])
    shown = messages_of(run_action(admin_site, "publish", draft_version))
    assert any("cannot be published until its problems are fixed" in m for m in shown)
    assert any('cannot be answered "implant"' in m for m in shown)
    draft_version.refresh_from_db()
    assert not draft_version.is_published


def test_publishing_then_the_version_is_read_only(admin_site, draft_version):
    shown = messages_of(run_action(admin_site, "publish", draft_version))
    assert shown == ["Technology incubation form, version 1 is published: calls can now use it."]
    draft_version.refresh_from_db()
    assert draft_version.is_published
    assert AuditEvent.objects.get(action=AuditAction.FORM_PUBLISHED).actor == admin_site.admin

    section = FormSection.objects.filter(version=draft_version).first()
    version_url = reverse("admin:programs_formversion_change", args=[draft_version.pk])
    section_url = reverse("admin:programs_formsection_change", args=[section.pk])
    page = admin_site.get(section_url).content.decode()
    assert 'name="fields-0-label_en"' not in page  # questions shown, not editable
    assert admin_site.post(section_url, {"key": "hacked", "title_en": "Hacked"}).status_code == 403
    assert admin_site.post(version_url, {}).status_code == 403
    deleted = admin_site.post(reverse("admin:programs_formversion_delete", args=[draft_version.pk]), {"post": "yes"})
    assert deleted.status_code == 403
    section.refresh_from_db()
    assert section.key != "hacked"
    # Publishing again is refused with a message.
    assert any("already published" in m for m in messages_of(run_action(admin_site, "publish", draft_version)))


def test_copying_makes_an_editable_next_version(admin_site):
    published = build_form()
    response = run_action(admin_site, "copy", published)
    copy = FormVersion.objects.get(form=published.form, number=2)
    assert any("was copied to version 2" in m for m in messages_of(response))
    assert not copy.is_published
    assert AuditEvent.objects.filter(action=AuditAction.FORM_COPIED).count() == 1

    section = FormSection.objects.get(version=copy, key="company")
    url = reverse("admin:programs_formsection_change", args=[section.pk])
    data = posted(admin_site.get(url))
    summary = next(k for k, v in data.items() if k.endswith("-key") and v == "summary")
    data[summary.replace("-key", "-label_en")] = "What does the company do, in one line?"
    response = admin_site.post(url, data)
    assert response.status_code == 302, response.context and response.context["errors"]
    assert FormField.objects.get(section=section, key="summary").label_en == "What does the company do, in one line?"
    assert FormField.objects.get(section__version=published, key="summary").label_en == "One-line summary"


def test_a_call_takes_only_published_versions_and_rules_with_what_they_need(admin_site, draft_version):
    published = build_form()
    programme = ProgrammeFactory()
    add = reverse("admin:programs_call_add")
    response = admin_site.get(add)
    assert list(response.context["adminform"].form.fields["form_version"].queryset) == [published]
    assert "Enter Hong Kong time" in response.content.decode()
    opens = timezone.localtime(timezone.now() + datetime.timedelta(days=1))
    data = {
        "programme": programme.pk,
        "slug": "tech-2027",
        "form_version": published.pk,
        "title_en": "Technology incubation 2027",
        "title_zh_hans": "科技培育 2027",
        "title_zh_hant": "科技培育 2027",
        "opens_at_0": opens.strftime("%Y-%m-%d"),
        "opens_at_1": opens.strftime("%H:%M:%S"),
        "capacity": 10,
        "reviewers_per_application": 3,
        "review_period_days": 14,
        "rules-TOTAL_FORMS": 2,
        "rules-INITIAL_FORMS": 0,
        "rules-0-order": 1,
        "rules-0-kind": "min_technical_share",
        "rules-0-number": "150",
        "rules-0-values": "[]",
        "rules-1-order": 2,
        "rules-1-kind": "sector_in",
        "rules-1-values": '["biotech-ish"]',
    }
    refused = admin_site.post(add, data)
    assert refused.status_code == 200
    text = refused.content.decode()
    assert "N is a percentage here: at most 100." in text
    assert "List the values this rule accepts" in text
    assert not Call.objects.filter(slug="tech-2027").exists()

    data.update({"rules-0-number": "50", "rules-1-values": '["biopharma", "medical_devices"]'})
    assert admin_site.post(add, data).status_code == 302
    call = Call.objects.get(slug="tech-2027")
    assert call.is_rolling
    assert abs(call.opens_at - opens) < datetime.timedelta(seconds=1)
    assert list(call.rules.values_list("kind", flat=True)) == ["min_technical_share", "sector_in"]

    data.update({"slug": "tech-draft", "form_version": draft_version.pk, "rules-TOTAL_FORMS": 0})
    assert admin_site.post(add, data).status_code == 200
    assert not Call.objects.filter(slug="tech-draft").exists()


def test_applications_are_shown_only(admin_site, application):
    answers = {"summary": "Gene therapy for haemophilia", "modality": "device", "device_class": "iii"}
    svc.save_answers(actor=application.created_by, application=application, answers=answers)
    ScreeningCheck.objects.create(
        application=application,
        run=1,
        rule="max_company_age",
        passed=False,
        code="age_too_old",
        params={"years": "8.8", "max": "2"},
    )
    url = reverse("admin:programs_application_change", args=[application.pk])
    page = admin_site.get(url).content.decode()
    assert application.reference in page
    assert "<dt>One-line summary</dt><dd>Gene therapy for haemophilia</dd>" in page
    assert "<dt>Device class</dt><dd>Class III</dd>" in page
    assert "Company age at most N years" in page
    assert "The company is 8.8 years old; the call allows at most 2." in page
    assert admin_site.post(url, {"status": "in_review"}).status_code == 403
    assert admin_site.get(reverse("admin:programs_application_add")).status_code == 403
    delete = admin_site.post(reverse("admin:programs_application_delete", args=[application.pk]), {"post": "yes"})
    assert delete.status_code == 403
    assert Application.objects.get(pk=application.pk).status == "draft"
