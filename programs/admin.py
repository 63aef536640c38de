"""Setting up admission in the admin site: programmes, calls with their eligibility rules, and
forms kept in versions. A form version is edited (sections, then each section's questions)
until it is published, and read-only from then on: the "publish" action checks its structure
first, and "copy to a new version" starts the next one. Applications are shown only: they
change through the workflow's services, on the portal's pages.

Review and decision: a call's rubric (criteria, each score's meaning) is edited until the first
review of the call is submitted, and its panel here at any time; assignments, reviews, conflict
declarations, decisions, onboarding and exports are shown only, since they change through the
services (the reviewers' and officers' pages), which check who may act and audit each change."""

from django import forms
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.db.models import Exists, F, OuterRef
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from enterprises.admin import ReadOnlyInline
from enterprises.choices import DocumentType, Sector
from hkhz_portal.accounts.roles import Role
from hkhz_portal.core.admin import ReadOnlyAdmin
from hkhz_portal.core.errors import DomainError

from .answers import display_value, form_schema
from .choices import FieldKind, RuleKind
from .eligibility import check_label, explain
from .models import (
    Application,
    ApplicationForm,
    Call,
    ConflictDeclaration,
    Criterion,
    CriterionLevel,
    Decision,
    EligibilityRule,
    Export,
    FormField,
    FormSection,
    FormVersion,
    InfoRequest,
    Onboarding,
    PanelMember,
    Programme,
    Review,
    ReviewAssignment,
    Rubric,
    ScreeningCheck,
    StatusChange,
)
from .services import forms as form_services

TEXTS = ("en", "zh_hans", "zh_hant")


def trilingual(*prefixes):
    return [f"{prefix}_{variant}" for prefix in prefixes for variant in TEXTS]


@admin.register(Programme)
class ProgrammeAdmin(admin.ModelAdmin):
    list_display = ["name_en", "name_zh_hant", "kind", "unit", "duration_months"]
    list_filter = ["kind", "unit"]
    list_select_related = ["unit"]
    search_fields = ["slug", "name_en", "name_zh_hans", "name_zh_hant"]
    prepopulated_fields = {"slug": ["name_en"]}
    fieldsets = [
        (None, {"fields": ["unit", "kind", "slug", "duration_months"]}),
        (_("Name"), {"fields": trilingual("name")}),
        (_("Description"), {"fields": trilingual("description")}),
    ]


#: Rule kinds and what they need: a number N (with its greatest sensible value), or a list.
NUMBER_LIMITS = {
    RuleKind.MAX_COMPANY_AGE: None,
    RuleKind.MIN_FULL_TIME_STAFF: None,
    RuleKind.MIN_TECHNICAL_SHARE: 100,
    RuleKind.MIN_TECHNICAL_EQUITY: 100,
    RuleKind.MIN_COMPLETENESS: 100,
}
LIST_VALUES = {RuleKind.SECTOR_IN: Sector, RuleKind.REQUIRED_DOCUMENTS: DocumentType}


class EligibilityRuleForm(forms.ModelForm):
    """Says, on the rule's row, what its kind needs: N, a list of known values or a question."""

    class Meta:
        model = EligibilityRule
        fields = ["order", "kind", "number", "values", "field_key"]
        widgets = {"values": forms.TextInput(attrs={"size": 40})}

    def clean(self):
        data = super().clean()
        kind, number, values = data.get("kind"), data.get("number"), data.get("values")
        if kind in NUMBER_LIMITS:
            limit = NUMBER_LIMITS[kind]
            if number is None or number < 0:
                self.add_error("number", _("This rule needs N, zero or more."))
            elif limit is not None and number > limit:
                self.add_error("number", _("N is a percentage here: at most 100."))
        if kind in LIST_VALUES:
            choices = LIST_VALUES[kind]
            if not isinstance(values, list) or not values or not all(v in choices.values for v in values):
                self.add_error(
                    "values",
                    _("List the values this rule accepts, among: %(values)s.") % {"values": ", ".join(choices.values)},
                )
        if kind == RuleKind.HK_COMPANY and not data.get("field_key"):
            self.add_error("field_key", _('Name the yes/no question "will you set up a Hong Kong company?".'))
        return data


class EligibilityRuleInline(admin.TabularInline):
    model = EligibilityRule
    form = EligibilityRuleForm
    extra = 0


@admin.register(Call)
class CallAdmin(admin.ModelAdmin):
    list_display = ["title_en", "programme", "opens_at", "closes_at", "state", "form_version"]
    list_filter = ["programme"]
    list_select_related = ["programme", "form_version__form"]
    search_fields = ["slug", "title_en", "title_zh_hans", "title_zh_hant"]
    prepopulated_fields = {"slug": ["title_en"]}
    inlines = [EligibilityRuleInline]
    fieldsets = [
        (None, {"fields": ["programme", "slug", "form_version"]}),
        (_("Title"), {"fields": trilingual("title")}),
        (_("Summary"), {"fields": trilingual("summary")}),
        (
            _("When"),
            {
                "fields": ["opens_at", "closes_at"],
                "description": _(
                    "Enter Hong Kong time (UTC+8, the same as Hangzhou); the portal stores UTC and shows each "
                    "reader local time. Leave the closing time empty for rolling intake: applications all year."
                ),
            },
        ),
        (_("Capacity and review"), {"fields": ["capacity", "reviewers_per_application", "review_period_days"]}),
    ]

    @admin.display(description=_("state"))
    def state(self, call):
        return call.state().label

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "form_version":
            kwargs["queryset"] = FormVersion.objects.filter(published_at__isnull=False).select_related("form")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class FormVersionInline(admin.TabularInline):
    """The form's versions: a new one may be added here; each opens on its own page."""

    model = FormVersion
    fields = ["number", "published_at", "created_at"]
    readonly_fields = ["published_at", "created_at"]
    show_change_link = True
    extra = 0

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ApplicationForm)
class ApplicationFormAdmin(admin.ModelAdmin):
    list_display = ["name"]
    search_fields = ["name"]
    inlines = [FormVersionInline]


def _published(version) -> bool:
    return version is not None and version.is_published


class Frozen:
    """A record edited until ``frozen(obj)`` says it no longer changes, then shown only."""

    def frozen(self, obj) -> bool:
        raise NotImplementedError

    def has_change_permission(self, request, obj=None):
        return not self.frozen(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not self.frozen(obj) and super().has_delete_permission(request, obj)


class FrozenInline(Frozen):
    """An inline's rows, edited until their parent ``obj`` is frozen."""

    def has_add_permission(self, request, obj=None):
        return not self.frozen(obj) and super().has_add_permission(request, obj)


class UnpublishedOnly(FrozenInline):
    """Inlines of a form version's parts: editable until the version is published, then shown only."""

    def version_of(self, obj):
        return obj

    def frozen(self, obj) -> bool:
        return _published(self.version_of(obj))


class FormSectionInline(UnpublishedOnly, admin.StackedInline):
    model = FormSection
    extra = 0
    show_change_link = True
    fieldsets = [
        (None, {"fields": ["key", "order"]}),
        (_("Title"), {"fields": trilingual("title")}),
        (_("Help"), {"fields": trilingual("help"), "classes": ["collapse"]}),
        (_("Condition"), {"fields": ["show_if_field", "show_if_values"], "classes": ["collapse"]}),
    ]


@admin.register(FormVersion)
class FormVersionAdmin(Frozen, admin.ModelAdmin):
    """Sections are edited here and their questions on each section's page (its "Change" link)."""

    list_display = ["__str__", "form", "number", "published_at"]
    list_filter = ["form"]
    list_select_related = ["form"]
    readonly_fields = ["published_at", "problems"]
    inlines = [FormSectionInline]
    actions = ["publish", "copy"]

    def get_fields(self, request, obj=None):
        return ["form", "number", "published_at", "problems"] if obj else ["form", "number"]

    def get_readonly_fields(self, request, obj=None):
        return [*self.readonly_fields, "form", "number"] if obj else []

    def frozen(self, obj) -> bool:
        return _published(obj)

    @admin.display(description=_("before publishing"))
    def problems(self, version):
        if version.is_published:
            return _("Published: this version no longer changes. Copy it to make the next one.")
        problems = form_services.structure_problems(version)
        if not problems:
            return _("No problems found: this version can be published.")
        return format_html("<ul>{}</ul>", format_html_join("", "<li>{}</li>", ((p,) for p in problems)))

    def _each(self, request, queryset, act):
        for version in queryset.select_related("form").order_by("form", "number"):
            try:
                done = act(version)
            except form_services.FormProblems as error:
                self.message_user(request, f"{version}: {error.message}", messages.ERROR)
                for problem in error.problems:
                    self.message_user(request, problem, messages.ERROR)
            except DomainError as error:
                self.message_user(request, f"{version}: {error.message}", messages.ERROR)
            else:
                self.message_user(request, done, messages.SUCCESS)

    @admin.action(description=_("Publish the selected form versions"), permissions=["change"])
    def publish(self, request, queryset):
        def act(version):
            form_services.publish_version(actor=request.user, version=version)
            return _("%(version)s is published: calls can now use it.") % {"version": version}

        self._each(request, queryset, act)

    @admin.action(description=_("Copy the selected form versions to a new version"), permissions=["add"])
    def copy(self, request, queryset):
        def act(version):
            copy = form_services.copy_version(actor=request.user, version=version)
            url = reverse("admin:programs_formversion_change", args=[copy.pk])
            return format_html(
                '{} <a href="{}">{}</a>',
                _("%(version)s was copied to version %(number)s.") % {"version": version, "number": copy.number},
                url,
                _("Edit the new version"),
            )

        self._each(request, queryset, act)


class FormFieldInline(UnpublishedOnly, admin.StackedInline):
    """The section's questions. A repeating group's columns are questions of the same section
    whose "column of group" is the group."""

    model = FormField
    fk_name = "section"
    extra = 0
    fieldsets = [
        (None, {"fields": ["key", "order", "kind", "required", "group"]}),
        (_("Label"), {"fields": trilingual("label")}),
        (_("Help"), {"fields": trilingual("help"), "classes": ["collapse"]}),
        (
            _("Choices and limits"),
            {
                "fields": [
                    "choices",
                    "max_length",
                    "max_words",
                    "min_value",
                    "max_value",
                    "document_type",
                    "min_rows",
                    "max_rows",
                ],
                "classes": ["collapse"],
            },
        ),
        (_("Condition"), {"fields": ["show_if_field", "show_if_values"], "classes": ["collapse"]}),
    ]

    def version_of(self, obj):
        return obj.version if obj is not None else None

    def get_queryset(self, request):
        """In form order, each group's columns right after the group."""
        return (
            super()
            .get_queryset(request)
            .order_by(
                Coalesce("group__order", "order"),
                Coalesce("group_id", "id"),
                F("group").asc(nulls_first=True),
                "order",
                "id",
            )
        )

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        group = formset.form.base_fields.get("group")
        if group is not None:
            groups = FormField.objects.filter(kind=FieldKind.GROUP)
            group.queryset = groups.filter(section=obj) if obj is not None else groups.none()
        return formset


@admin.register(FormSection)
class FormSectionAdmin(Frozen, admin.ModelAdmin):
    list_display = ["title_en", "version", "key", "order"]
    list_filter = ["version__form"]
    list_select_related = ["version__form"]
    inlines = [FormFieldInline]
    fieldsets = [(None, {"fields": ["version", "key", "order"]}), *FormSectionInline.fieldsets[1:]]

    def get_readonly_fields(self, request, obj=None):
        return ["version"] if obj else []

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "version":
            kwargs["queryset"] = FormVersion.objects.filter(published_at__isnull=True).select_related("form")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def frozen(self, obj) -> bool:
        return _published(obj and obj.version)


class StatusChangeInline(ReadOnlyInline):
    model = StatusChange
    fields = readonly_fields = [
        "created_at",
        "transition",
        "from_status",
        "to_status",
        "actor",
        "note",
        "internal_note",
    ]


class ScreeningCheckInline(ReadOnlyInline):
    model = ScreeningCheck
    fields = readonly_fields = ["run", "check_name", "passed", "reason"]

    @admin.display(description=_("check"))
    def check_name(self, screening_check):
        return check_label(screening_check.rule)

    @admin.display(description=_("reason"))
    def reason(self, screening_check):
        return explain(screening_check.code, screening_check.params)


class InfoRequestInline(ReadOnlyInline):
    model = InfoRequest
    fk_name = "application"
    fields = readonly_fields = ["created_at", "requested_by", "message", "fields", "due_at", "responded_at", "response"]


@admin.register(Application)
class ApplicationAdmin(ReadOnlyAdmin):
    """Shown only: an application changes through the workflow (the applicant's and the
    officers' pages), which checks who may act and records every step."""

    list_display = ["reference", "enterprise", "call", "status", "submitted_at", "flagged"]
    list_filter = ["status", "flagged", "call"]
    list_select_related = ["enterprise", "call"]
    search_fields = ["reference", "enterprise__legal_name_en", "enterprise__legal_name_zh", "uscc", "hk_br"]
    fields = [
        "reference",
        "call",
        "enterprise",
        "form_version",
        "status",
        "created_by",
        "created_at",
        "submitted_at",
        "info_due_at",
        "flagged",
        "answers_shown",
    ]
    readonly_fields = fields
    inlines = [StatusChangeInline, ScreeningCheckInline, InfoRequestInline]

    @admin.display(description=_("answers"))
    def answers_shown(self, application):
        """Each answer under its question's label, as the form version it was written in has it."""
        answers = application.answers
        titles = {d.pk: d.display_title for d in application.enterprise.documents.all()}

        def shown(q, value):
            if q.kind != FieldKind.GROUP:
                return display_value(q, value, documents=titles)
            return "; ".join(
                ", ".join(f"{c.label}: {display_value(c, row[c.key])}" for c in q.columns if c.key in row)
                for row in value
            )

        questions = form_schema(application.form_version).questions.values()
        rows = ((q.label, shown(q, answers[q.key])) for q in questions if q.key in answers)
        return format_html("<dl>{}</dl>", format_html_join("", "<dt>{}</dt><dd>{}</dd>", rows))


# --- Review and decision ----------------------------------------------------------------------


def _submitted_reviews(call):
    return Review.objects.filter(assignment__application__call=call, submitted_at__isnull=False)


def _scored(rubric) -> bool:
    """Whether a review of the rubric's call has been submitted: the rubric no longer changes."""
    if rubric is None or rubric.pk is None:
        return False
    if hasattr(rubric, "scored"):  # annotated by RubricAdmin's list
        return rubric.scored
    return _submitted_reviews(rubric.call_id).exists()


class UnscoredOnly:
    """A rubric and its parts change until a review of the call is submitted: from then on they are
    what the reviews were scored against, the same for every application."""

    def rubric_of(self, obj):
        return obj

    def frozen(self, obj) -> bool:
        return _scored(self.rubric_of(obj))

    @admin.display(description=_("changes"))
    def changes(self, obj):
        if self.frozen(obj):
            return _(
                "Reviews of this call have been scored against this rubric, so it no longer changes: every "
                "application is scored on the same criteria, weights and levels."
            )
        return _("Editable until the first review of the call is submitted; read-only from then on.")


class OfCriterion:
    def rubric_of(self, obj):
        return obj.rubric if obj is not None else None


class CriterionInline(UnscoredOnly, FrozenInline, admin.StackedInline):
    """The rubric's criteria; each one's levels are edited on its own page (its "Change" link)."""

    model = Criterion
    extra = 0
    show_change_link = True
    fieldsets = [
        (None, {"fields": ["key", "order", "weight"]}),
        (_("Name"), {"fields": trilingual("name")}),
        (_("What is assessed"), {"fields": trilingual("description"), "classes": ["collapse"]}),
    ]


@admin.register(Rubric)
class RubricAdmin(UnscoredOnly, Frozen, admin.ModelAdmin):
    list_display = ["call", "scale_min", "scale_max", "scored"]
    list_select_related = ["call"]
    search_fields = ["call__slug", "call__title_en", "call__title_zh_hans", "call__title_zh_hant"]
    inlines = [CriterionInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(scored=Exists(_submitted_reviews(OuterRef("call"))))

    def get_fields(self, request, obj=None):
        return ["call", "scale_min", "scale_max", "changes"] if obj else ["call", "scale_min", "scale_max"]

    def get_readonly_fields(self, request, obj=None):
        return ["call", "changes"] if obj else []

    @admin.display(description=_("scored"), boolean=True)
    def scored(self, rubric):
        return rubric.scored

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "call":
            kwargs["queryset"] = Call.objects.filter(rubric__isnull=True)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class CriterionLevelInline(OfCriterion, UnscoredOnly, FrozenInline, admin.TabularInline):
    """What each score of the criterion means, so that every reviewer reads the scale alike."""

    model = CriterionLevel
    extra = 0
    fields = ["score", *trilingual("description")]


@admin.register(Criterion)
class CriterionAdmin(OfCriterion, UnscoredOnly, Frozen, admin.ModelAdmin):
    """A criterion of a rubric, with the meaning of each score."""

    list_display = ["name_en", "rubric", "key", "weight", "order"]
    list_filter = ["rubric__call"]
    list_select_related = ["rubric__call"]
    search_fields = ["key", "name_en", "name_zh_hans", "name_zh_hant"]
    inlines = [CriterionLevelInline]

    def get_fieldsets(self, request, obj=None):
        first = ["rubric", "key", "order", "weight", "changes"] if obj else ["rubric", "key", "order", "weight"]
        return [(None, {"fields": first}), *CriterionInline.fieldsets[1:]]

    def get_readonly_fields(self, request, obj=None):
        return ["rubric", "changes"] if obj else []

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "rubric":
            scored = _submitted_reviews(OuterRef("call"))
            kwargs["queryset"] = Rubric.objects.filter(~Exists(scored)).select_related("call")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class PanelMemberForm(forms.ModelForm):
    sectors = forms.MultipleChoiceField(
        label=_("sectors of expertise"),
        choices=Sector.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Assignment prefers a reviewer whose sectors include the applying enterprise's."),
    )

    class Meta:
        model = PanelMember
        fields = ["call", "reviewer", "sectors"]


@admin.register(PanelMember)
class PanelMemberAdmin(admin.ModelAdmin):
    """A call's panel: the reviewers the worker assigns from, and officers by hand."""

    form = PanelMemberForm
    list_display = ["reviewer", "call", "expertise", "added_at"]
    list_filter = ["call"]
    list_select_related = ["reviewer", "call"]
    search_fields = ["reviewer__email", "reviewer__full_name", "call__slug", "call__title_en"]

    @admin.display(description=_("sectors of expertise"))
    def expertise(self, member):
        return ", ".join(str(Sector(s).label) for s in member.sectors)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "reviewer":
            reviewers = get_user_model().objects.filter(groups__name=Role.REVIEWER, is_active=True)
            kwargs["queryset"] = reviewers.order_by("full_name", "email")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(ConflictDeclaration)
class ConflictDeclarationAdmin(ReadOnlyAdmin):
    """Shown only: reviewers declare their conflicts on their pages (audited), and each keeps them
    off the enterprise for good."""

    list_display = ["created_at", "reviewer", "enterprise", "organisation", "reason"]
    list_select_related = ["reviewer", "enterprise"]
    search_fields = ["reviewer__email", "reviewer__full_name", "organisation", "enterprise__legal_name_en"]


@admin.register(ReviewAssignment)
class ReviewAssignmentAdmin(ReadOnlyAdmin):
    """Shown only: the worker and the officers assign and replace reviewers on the portal's pages,
    where conflicts are checked and every change audited."""

    list_display = ["application", "reviewer", "status", "due_on", "assigned_at", "assigned_by", "expertise_match"]
    list_filter = ["status", "expertise_match", "application__call"]
    list_select_related = ["application", "reviewer", "assigned_by"]
    search_fields = ["application__reference", "reviewer__email", "reviewer__full_name"]
    fields = readonly_fields = [
        "application",
        "reviewer",
        "status",
        "assigned_by",
        "assigned_at",
        "due_on",
        "expertise_match",
        "declared_at",
        "ended_at",
        "end_reason",
    ]


@admin.register(Review)
class ReviewAdmin(ReadOnlyAdmin):
    """Shown only: written by the reviewer on the review page."""

    list_display = ["application", "reviewer", "total", "recommendation", "submitted_at"]
    list_filter = ["recommendation", "assignment__application__call"]
    list_select_related = ["assignment__application", "assignment__reviewer"]
    search_fields = ["assignment__application__reference", "assignment__reviewer__email"]
    fields = readonly_fields = [
        "assignment",
        "scores_shown",
        "total",
        "recommendation",
        "comment_to_officer",
        "comment_to_applicant",
        "submitted_at",
        "updated_at",
    ]

    @admin.display(description=_("application"), ordering="assignment__application__reference")
    def application(self, review):
        return review.assignment.application

    @admin.display(description=_("reviewer"))
    def reviewer(self, review):
        return review.assignment.reviewer

    @admin.display(description=_("scores"))
    def scores_shown(self, review):
        """Each criterion's score under its name, in the rubric's order."""
        criteria = Criterion.objects.filter(rubric__call__applications__assignments=review.assignment_id)
        rows = ((c.name, review.scores.get(c.key, "–")) for c in criteria)
        return format_html("<dl>{}</dl>", format_html_join("", "<dt>{}</dt><dd>{}</dd>", rows))


@admin.register(Decision)
class DecisionAdmin(ReadOnlyAdmin):
    """Shown only: officers decide on the portal's pages; the portal offers freed places itself."""

    list_display = ["application", "outcome", "decider", "decided_at", "space_kind", "area_m2", "waitlist_position"]
    list_filter = ["outcome", "application__call"]
    list_select_related = ["application", "decided_by"]
    search_fields = ["application__reference", "application__enterprise_name_en"]

    @admin.display(description=_("decided by"))
    def decider(self, decision):
        return decision.decided_by or _("the portal (a place freed on the waiting list)")


@admin.register(Onboarding)
class OnboardingAdmin(ReadOnlyAdmin):
    """Shown only: officers record the formalities on the portal's pages."""

    list_display = ["application", "tenancy_signed_on", "company_registered_on", "moved_in_on", "is_complete"]
    list_filter = ["application__call"]
    list_select_related = ["application"]
    search_fields = ["application__reference", "application__enterprise_name_en"]

    @admin.display(description=_("complete"), boolean=True)
    def is_complete(self, onboarding):
        return onboarding.complete


@admin.register(Export)
class ExportAdmin(ReadOnlyAdmin):
    """Shown only, without the file: it holds personal data, downloaded by the unit's officers on
    the portal, where each download is written in the export log."""

    list_display = ["created_at", "call", "format", "status", "progress", "rows", "requested_by"]
    list_filter = ["status", "format"]
    list_select_related = ["call", "requested_by"]
    fields = readonly_fields = [
        "call",
        "unit",
        "requested_by",
        "format",
        "status",
        "progress",
        "rows",
        "created_at",
        "finished_at",
    ]


# The service centres' models, whose admin shares this module's helpers.
from .centres import admin as centres_admin  # noqa: E402, F401
