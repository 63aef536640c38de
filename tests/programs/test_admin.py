"""The admission set-up in the admin site: every page renders; a form version is edited until it
is published and read-only after; publishing checks the structure; copying starts the next
version; calls take only published versions and sensible rules; applications are shown only.
Review and decision: a rubric is edited until a review of its call is submitted, a panel at any
time; assignments, reviews, conflicts, decisions, onboarding and exports are shown only; their
lists take the same number of queries however many rows they show."""

import datetime
from decimal import Decimal
from itertools import count

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from enterprises.models import HongKongEntity
from hkhz_portal.accounts.roles import Role
from hkhz_portal.core.models import AuditEvent
from programs.audit_actions import AuditAction
from programs.choices import ExportFormat, Outcome, SpaceKind
from programs.models import (
    Application,
    Call,
    CriterionLevel,
    Export,
    FormField,
    FormSection,
    FormVersion,
    PanelMember,
    ScreeningCheck,
)
from programs.services import applications as svc
from programs.services import decisions, reviews
from tests.factories import EnterpriseFactory, member_of, user_with_role

from .factories import (
    CallFactory,
    ProgrammeFactory,
    build_form,
    in_review,
    officer_of,
    park_rules,
    review,
    reviewed,
    reviewer,
    rubric_for,
)

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


# --- Review and decision ----------------------------------------------------------------------

_panelists = count(1)


def panel(call, n=3):
    """``n`` reviewers on ``call``'s panel, at a mail domain no applicant shares (a shared one is a
    detected conflict of interest)."""
    members = [reviewer(email=f"panelist{next(_panelists)}@reviewers.example.org") for _ in range(n)]
    for member in members:
        PanelMember.objects.create(call=call, reviewer=member, sectors=["biopharma", "medical_devices"])
    return members


def decided_application(call, officer):
    """One more application of ``call`` all the way: reviewed, approved, onboarding with its Hong
    Kong company recorded; with a conflict of interest declared and an export asked for."""
    application = reviewed(call)
    decisions.decide(
        actor=officer,
        application=application,
        outcome=Outcome.APPROVE,
        space_kind=SpaceKind.WET_LAB,
        area_m2=Decimal("45"),
        move_in_on=timezone.localdate(),
        term_months=48,
    )
    decisions.accept_offer(actor=application.created_by, application=application)
    n = Application.objects.count()
    decisions.record_onboarding(
        actor=officer,
        application=application,
        tenancy_signed_on=timezone.localdate(),
        company_name=f"Test Biotech {n} (Hong Kong) Limited",
        hk_br=f"{76_000_000 + n}",
        company_registered_on=timezone.localdate(),
    )
    # An organisation no factory enterprise's name contains: "Test Biotech 1" would also name
    # "Hangzhou Test Biotech 12", and keep its reviewer off that enterprise's application.
    reviews.declare_organisation(
        actor=application.assignments.first().reviewer, organisation=f"Kowloon Advisory {n}", reason="I advise it."
    )
    Export.objects.create(call=call, unit=call.programme.unit, requested_by=officer, format=ExportFormat.XLSX)
    return application


@pytest.fixture
def decided():
    call = CallFactory()
    rubric_for(call)
    panel(call)
    return decided_application(call, officer_of(call))


EDITABLE = ["rubric", "criterion", "panelmember"]
SHOWN_ONLY = ["conflictdeclaration", "reviewassignment", "review", "decision", "onboarding", "export"]


def pages_of(application):
    """(model, one of its objects' id) for each review and decision page."""
    assignment = application.assignments.first()
    return [
        ("programs", "rubric", application.call.rubric.pk),
        ("programs", "criterion", application.call.rubric.criteria.first().pk),
        ("programs", "panelmember", application.call.panel.first().pk),
        ("programs", "conflictdeclaration", assignment.reviewer.conflicts.first().pk),
        ("programs", "reviewassignment", assignment.pk),
        ("programs", "review", assignment.review.pk),
        ("programs", "decision", application.decisions.get().pk),
        ("programs", "onboarding", application.onboarding.pk),
        ("programs", "export", application.call.exports.first().pk),
        ("enterprises", "hongkongentity", HongKongEntity.objects.get(enterprise=application.enterprise).pk),
        ("enterprises", "enterprise", application.enterprise_id),
    ]


def test_every_review_and_decision_page_renders_and_the_records_are_shown_only(admin_site, decided):
    for app, model, pk in pages_of(decided):
        for url in (reverse(f"admin:{app}_{model}_changelist"), reverse(f"admin:{app}_{model}_change", args=[pk])):
            assert admin_site.get(url).status_code == 200, url
    for model in EDITABLE:
        assert admin_site.get(reverse(f"admin:programs_{model}_add")).status_code == 200, model
    for model in [*SHOWN_ONLY, "hongkongentity"]:
        app = "enterprises" if model == "hongkongentity" else "programs"
        assert admin_site.get(reverse(f"admin:{app}_{model}_add")).status_code == 403, model
    for app, model, pk in pages_of(decided):
        if model in SHOWN_ONLY or model == "hongkongentity":
            assert admin_site.post(reverse(f"admin:{app}_{model}_change", args=[pk]), {}).status_code == 403, model

    review_page = admin_site.get(reverse("admin:programs_review_change", args=[pages_of(decided)[5][2]]))
    assert "<dt>Science</dt><dd>4</dd>" in review_page.content.decode()
    enterprise_page = admin_site.get(reverse("admin:enterprises_enterprise_change", args=[decided.enterprise_id]))
    assert HongKongEntity.objects.get(enterprise=decided.enterprise).hk_br in enterprise_page.content.decode()


def test_review_and_decision_lists_take_the_same_queries_however_many_rows(admin_site, decided):
    def queries():
        counts = {}
        for app, model, _pk in pages_of(decided):
            with CaptureQueriesContext(connection) as captured:
                assert admin_site.get(reverse(f"admin:{app}_{model}_changelist")).status_code == 200
            counts[model] = len(captured)
        return counts

    before = queries()
    call = CallFactory(programme=decided.call.programme)
    rubric_for(call)
    panel(call)
    decided_application(call, officer_of(call))
    decided_application(decided.call, officer_of(decided.call))
    assert queries() == before


def test_a_rubric_changes_until_a_review_of_its_call_is_submitted(admin_site):
    call = CallFactory()
    rubric = rubric_for(call)
    panel(call)
    criterion = rubric.criteria.get(key="team")
    rubric_url = reverse("admin:programs_rubric_change", args=[rubric.pk])
    criterion_url = reverse("admin:programs_criterion_change", args=[criterion.pk])

    page = admin_site.get(rubric_url)
    assert "Editable until the first review of the call is submitted" in page.content.decode()
    data = posted(page)
    weight = next(k for k, v in data.items() if k.endswith("-key") and v == "team").replace("-key", "-weight")
    data[weight] = "0.50"
    assert admin_site.post(rubric_url, data).status_code == 302
    criterion.refresh_from_db()
    assert criterion.weight == Decimal("0.50")

    application = in_review(call)
    reviews.assign_reviewers(application.pk)
    review(application.assignments.first(), {"science": 4, "team": 4, "market": 3}, submit=False)
    assert 'name="criteria-0-weight"' in admin_site.get(rubric_url).content.decode()  # a draft changes nothing

    review(application.assignments.first(), {"science": 4, "team": 4, "market": 3})
    for url in (rubric_url, criterion_url):
        page = admin_site.get(url).content.decode()
        assert "Reviews of this call have been scored against this rubric, so it no longer changes" in page
        assert 'name="criteria-0-weight"' not in page and 'name="levels-0-description_en"' not in page
        assert admin_site.post(url, data).status_code == 403
    assert (
        admin_site.post(reverse("admin:programs_criterion_delete", args=[criterion.pk]), {"post": "yes"}).status_code
        == 403
    )
    criterion.refresh_from_db()
    assert criterion.weight == Decimal("0.50")
    # New criteria go to rubrics still unscored only.
    add = admin_site.get(reverse("admin:programs_criterion_add"))
    assert rubric not in add.context["adminform"].form.fields["rubric"].queryset


def test_a_level_is_a_score_on_the_rubrics_scale(admin_site):
    rubric = rubric_for(CallFactory())
    criterion = rubric.criteria.get(key="science")
    url = reverse("admin:programs_criterion_change", args=[criterion.pk])
    data = posted(admin_site.get(url))
    data["levels-0-score"] = "7"
    refused = admin_site.post(url, data)
    assert refused.status_code == 200
    assert "Give a score on the rubric&#x27;s scale, from 1 to 5." in refused.content.decode()
    assert not CriterionLevel.objects.filter(criterion=criterion, score=7).exists()


def test_a_panel_member_is_a_reviewer_with_sectors_ticked(admin_site):
    call = CallFactory()
    expert = reviewer(email="expert@reviewers.example.org")
    applicant = user_with_role(Role.APPLICANT)
    add = reverse("admin:programs_panelmember_add")
    choices = admin_site.get(add).context["adminform"].form.fields["reviewer"].queryset
    assert expert in choices and applicant not in choices
    data = {"call": call.pk, "reviewer": expert.pk, "sectors": ["biopharma", "medical_devices"]}
    assert admin_site.post(add, data).status_code == 302
    assert PanelMember.objects.get(call=call, reviewer=expert).sectors == ["biopharma", "medical_devices"]
    listed = admin_site.get(reverse("admin:programs_panelmember_changelist") + f"?call__id__exact={call.pk}")
    assert "Biopharma, Medical devices" in listed.content.decode()
    assert admin_site.post(add, {**data, "reviewer": applicant.pk}).status_code == 200  # not a reviewer: refused
    assert not PanelMember.objects.filter(reviewer=applicant).exists()
