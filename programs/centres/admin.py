"""The service centres in the admin site (``programs.admin`` imports this module last).

SLA policies with their working hours, and the catalogue's services with their fulfilment steps,
are edited here. Requests and ratings are shown only: a request changes through the centres'
services (its pages and the API), which check who may act and keep its log, clocks and thread.
"""

from itertools import pairwise

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.template.defaultfilters import floatformat
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.timezone import localtime
from django.utils.translation import gettext_lazy as _

from enterprises.admin import ReadOnlyInline
from enterprises.choices import DocumentType
from hkhz_portal.accounts.models import Unit
from hkhz_portal.accounts.roles import CENTRES
from hkhz_portal.core.admin import ReadOnlyAdmin

from ..admin import trilingual
from ..models import (
    ClockLevel,
    ClockName,
    RequestMessage,
    RequestStateChange,
    RequestStep,
    Service,
    ServiceRating,
    ServiceRequest,
    ServiceStep,
    SLAPolicy,
    Weekday,
    WorkingPeriod,
)
from . import sla


class CentreUnit:
    """Offers the centres only as a record's unit."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "unit":
            kwargs["queryset"] = Unit.objects.filter(kind__in=CENTRES)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class WorkingPeriodFormSet(forms.BaseInlineFormSet):
    """A week the SLA clock can count in: whole minutes, and on each weekday periods apart from
    one another (the gap between two is the lunch break), at least one in the week."""

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        kept = [form for form in self.forms if form.cleaned_data and not form.cleaned_data.get("DELETE")]
        by_day = {}
        for form in kept:
            data = form.cleaned_data
            period = (data["starts"], data["ends"])
            if any(time.second or time.microsecond for time in period):
                form.add_error("starts", _("Give the times in whole minutes."))
                continue
            by_day.setdefault(data["weekday"], []).append(period)
        if not kept:
            raise ValidationError(_("Give the policy at least one working period."))
        for weekday, periods in by_day.items():
            times = [time for period in sorted(periods) for time in period]
            if any(earlier >= later for earlier, later in pairwise(times)):
                raise ValidationError(
                    _(
                        "The periods of %(day)s overlap or touch: leave a gap between them (the lunch break), "
                        "or make them one period."
                    )
                    % {"day": Weekday(weekday).label}
                )


class WorkingPeriodInline(admin.TabularInline):
    model = WorkingPeriod
    formset = WorkingPeriodFormSet
    fields = ["weekday", "starts", "ends"]
    extra = 0


@admin.register(SLAPolicy)
class SLAPolicyAdmin(CentreUnit, admin.ModelAdmin):
    list_display = ["name", "unit", "calendar", "first_response_hours", "resolution_hours", "at_risk_percent", "week"]
    list_filter = ["unit", "calendar"]
    list_select_related = ["unit"]
    search_fields = ["name"]
    inlines = [WorkingPeriodInline]
    fieldsets = [
        (None, {"fields": ["unit", "name", "calendar"]}),
        (
            _("Targets"),
            {
                "fields": ["first_response_hours", "resolution_hours", "at_risk_percent"],
                "description": _(
                    "Business hours on the calendar and working hours below. Each request keeps the policy in "
                    "force when it was made: a change applies to new requests."
                ),
            },
        ),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("periods")

    @admin.display(description=_("working hours"))
    def week(self, policy):
        return ", ".join(str(period) for period in policy.periods.all())


SERVICE_FIELDS = ["unit", "slug", "category", "sla_policy", "fee", "required_documents", "is_active", "order"]


class ServiceForm(forms.ModelForm):
    required_documents = forms.MultipleChoiceField(
        label=Service._meta.get_field("required_documents").verbose_name,
        help_text=Service._meta.get_field("required_documents").help_text,
        choices=DocumentType.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    class Meta:
        model = Service
        fields = [*SERVICE_FIELDS, *trilingual("name"), *trilingual("description")]


class ServiceStepFormSet(forms.BaseInlineFormSet):
    """Each step's target is counted from the request, like the resolution target: no later."""

    def clean(self):
        super().clean()
        policy = self.instance.sla_policy if self.instance.sla_policy_id else None
        if policy is None or any(self.errors):
            return
        for form in self.forms:
            hours = form.cleaned_data.get("target_hours") if form.cleaned_data else None
            if hours is not None and not form.cleaned_data.get("DELETE") and hours > policy.resolution_hours:
                form.add_error(
                    "target_hours",
                    _("At most the SLA policy's resolution target, %(hours)s business hours.")
                    % {"hours": floatformat(policy.resolution_hours, -2)},
                )


class ServiceStepInline(admin.TabularInline):
    model = ServiceStep
    formset = ServiceStepFormSet
    fields = ["order", *trilingual("title"), "target_hours"]
    extra = 0


@admin.register(Service)
class ServiceAdmin(CentreUnit, admin.ModelAdmin):
    form = ServiceForm
    list_display = ["name_en", "unit", "category", "fee", "sla_policy", "is_active", "order"]
    list_filter = ["unit", "category", "is_active"]
    list_select_related = ["unit", "sla_policy"]
    search_fields = ["slug", *trilingual("name")]
    prepopulated_fields = {"slug": ["name_en"]}
    inlines = [ServiceStepInline]
    fieldsets = [
        (None, {"fields": SERVICE_FIELDS}),
        (_("Name"), {"fields": trilingual("name")}),
        (_("Description"), {"fields": trilingual("description")}),
    ]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "sla_policy":
            kwargs["queryset"] = SLAPolicy.objects.select_related("unit")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class RequestStateChangeInline(ReadOnlyInline):
    model = RequestStateChange
    fields = readonly_fields = ["created_at", "transition", "from_state", "to_state", "actor", "pause_reason", "note"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("actor")


class RequestMessageInline(ReadOnlyInline):
    """The whole thread, the centre's internal notes too."""

    model = RequestMessage
    fields = readonly_fields = ["created_at", "author", "from_centre", "internal", "body", "files"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("author").prefetch_related("attachments__version")

    @admin.display(description=_("attachments"))
    def files(self, message):
        return ", ".join(attachment.name for attachment in message.attachments.all())


class RequestStepInline(ReadOnlyInline):
    model = RequestStep
    fields = readonly_fields = ["order", "step_title", "target_hours", "done_at", "done_by"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("done_by")

    @admin.display(description=_("title"))
    def step_title(self, step):
        return step.title


class ServiceRatingInline(ReadOnlyInline):
    model = ServiceRating
    fields = readonly_fields = ["score", "comment", "rated_by", "by_link", "created_at"]


class ClockLevelFilter(admin.SimpleListFilter):
    """Requests by where one of their clocks stood at its last recomputation."""

    def lookups(self, request, model_admin):
        return ClockLevel.choices

    def queryset(self, request, queryset):
        return queryset.filter(**{self.parameter_name: self.value()}) if self.value() else queryset


class ResponseLevelFilter(ClockLevelFilter):
    title = ClockName.RESPONSE.label
    parameter_name = "response_level"


class ResolutionLevelFilter(ClockLevelFilter):
    title = ClockName.RESOLUTION.label
    parameter_name = "resolution_level"


def _clock(service_request, name: ClockName) -> str:
    """A clock's level as of its last recomputation, and when it falls due if it runs."""
    level = getattr(service_request, f"get_{name}_level_display")()
    due = getattr(service_request, f"{name}_due_at")
    if due is None:
        return level
    return _("%(level)s, due %(due)s") % {"level": level, "due": date_format(localtime(due), "DATETIME_FORMAT")}


@admin.register(ServiceRequest)
class ServiceRequestAdmin(ReadOnlyAdmin):
    """Shown only: a request moves through the centres' services (its pages and the API), which
    check who may take each step and keep its log, clocks and thread."""

    list_display = [
        "reference",
        "service",
        "enterprise",
        "state",
        "assignee",
        "response_clock",
        "resolution_clock",
        "created_at",
    ]
    list_filter = ["unit", "state", ResponseLevelFilter, ResolutionLevelFilter, "service"]
    list_select_related = ["service", "enterprise", "assignee"]
    search_fields = ["reference", "enterprise__legal_name_en", "enterprise__legal_name_zh"]
    date_hierarchy = "created_at"
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "reference",
                    "service",
                    "unit",
                    "enterprise",
                    "requested_by",
                    "assignee",
                    "state",
                    "details",
                    "documents_shown",
                ]
            },
        ),
        (_("Dates"), {"fields": ["created_at", "state_changed_at", "first_response_at", "closed_at"]}),
        (
            _("SLA clocks"),
            {
                "fields": ["response_clock", "resolution_clock", "resolution_hours_left", "policy_shown"],
                "description": _("As of their last recomputation, from the request's state log."),
            },
        ),
    ]
    readonly_fields = [field for _title, options in fieldsets for field in options["fields"]]
    inlines = [RequestStateChangeInline, RequestMessageInline, RequestStepInline, ServiceRatingInline]

    @admin.display(description=_("documents"))
    def documents_shown(self, service_request):
        versions = service_request.documents.select_related("document")
        return ", ".join(str(version) for version in versions) or "–"

    @admin.display(description=ClockName.RESPONSE.label, ordering="response_level")
    def response_clock(self, service_request):
        return _clock(service_request, ClockName.RESPONSE)

    @admin.display(description=ClockName.RESOLUTION.label, ordering="resolution_level")
    def resolution_clock(self, service_request):
        return _clock(service_request, ClockName.RESOLUTION)

    @admin.display(description=_("resolution: business hours left"))
    def resolution_hours_left(self, service_request):
        return f"{service_request.resolution_left / 3600:.1f}"

    @admin.display(description=_("SLA policy in force when requested"))
    def policy_shown(self, service_request):
        policy = sla.Policy.from_json(service_request.sla)
        days = (
            (Weekday(day).label, ", ".join(f"{opens:%H:%M}–{closes:%H:%M}" for opens, closes in periods))
            for day, periods in sorted(policy.hours.items())
            if periods
        )
        hours = {
            "first_response": policy.first_response.total_seconds() / 3600,
            "resolution": policy.resolution.total_seconds() / 3600,
        }
        return format_html(
            "<p>{}</p><dl>{}</dl>",
            _(
                "%(calendar)s; first response %(first_response)g business hours, resolution %(resolution)g "
                "business hours."
            )
            % {"calendar": dict(SLAPolicy._meta.get_field("calendar").choices)[policy.calendar], **hours},
            format_html_join("", "<dt>{}</dt><dd>{}</dd>", days),
        )


@admin.register(ServiceRating)
class ServiceRatingAdmin(ReadOnlyAdmin):
    """Shown only: given once by the enterprise, on the request's page or through the signed link."""

    list_display = ["request", "service", "score", "by_link", "created_at"]
    list_filter = ["score", "by_link", "request__unit"]
    list_select_related = ["request__service"]
    search_fields = ["request__reference", "comment"]
    fields = readonly_fields = ["request", "score", "comment", "rated_by", "by_link", "created_at"]

    @admin.display(description=_("service"))
    def service(self, rating):
        return rating.request.service
