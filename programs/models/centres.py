"""The service centres: their catalogue (``Service``, each with its fulfilment steps and an
``SLAPolicy``) and the enterprises' ``ServiceRequest``s, with the append-only log of their
states, their message thread and their rating.

A request keeps a snapshot of the SLA policy in force when it was made (``sla``), and the
figures of its two clocks as of the last recomputation (``centres.services.recompute_clocks``),
so that the centre's queue filters and sorts on indexed columns; the clocks themselves are
always recomputed from the state log (``centres.sla.clocks``).
"""

import uuid
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from djmoney.models.fields import MoneyField

from enterprises.choices import CURRENCIES, DocumentType
from enterprises.models import validate_not_negative
from hkhz_portal.core.calendars import Calendar
from hkhz_portal.core.validators import validate_multiline_text, validate_plain_text

from ..centres.workflow import PauseReason, State
from .applications import Trilingual, _text


class ServiceCategory(models.TextChoices):
    COMPANY_SETUP = "company_setup", _("Company set-up")
    BANK_ACCOUNT = "bank_account", _("Bank account")
    REGULATORY_FILING = "regulatory_filing", _("Regulatory filing")
    TALENT_VISAS = "talent_visas", _("Talent and visas")
    IP = "ip", _("Intellectual property")
    LEGAL_TAX = "legal_tax", _("Legal and tax")
    SPACE = "space", _("Office and lab space")
    INVESTOR_MATCHMAKING = "investor_matchmaking", _("Investor matchmaking")
    POLICY_SUBSIDIES = "policy_subsidies", _("Policy and subsidies")


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


class ClockName(models.TextChoices):
    RESPONSE = "response", _("First response")
    RESOLUTION = "resolution", _("Resolution")


class ClockLevel(models.TextChoices):
    """Where a clock stood at its last recomputation."""

    OK = "ok", _("On time")
    AT_RISK = "at_risk", _("At risk")
    BREACHED = "breached", _("Breached")


def _hours(verbose_name, help_text):
    return models.DecimalField(
        verbose_name,
        max_digits=6,
        decimal_places=2,
        validators=[MinValueValidator(0.25), MaxValueValidator(9999)],
        help_text=help_text,
    )


class SLAPolicy(models.Model):
    """A centre's service level: first-response and resolution targets in business hours, on
    the centre's calendar (public holidays, and on the mainland's its make-up working weekends)
    and its working hours (``WorkingPeriod``: a lunch break is the gap between two periods)."""

    unit = models.ForeignKey(
        "accounts.Unit", verbose_name=_("centre"), on_delete=models.PROTECT, related_name="sla_policies"
    )
    name = models.CharField(_("name"), max_length=120, validators=[validate_plain_text])
    calendar = models.CharField(
        _("calendar"),
        max_length=2,
        choices=[(Calendar.HK, _("Hong Kong public holidays")), (Calendar.CN, _("Mainland holidays and make-up days"))],
    )
    first_response_hours = _hours(_("first response (business hours)"), _("From the request to the first answer."))
    resolution_hours = _hours(_("resolution (business hours)"), _("From the request to its completion."))
    at_risk_percent = models.PositiveSmallIntegerField(
        _("at risk at (%)"),
        default=80,
        validators=[MinValueValidator(1), MaxValueValidator(99)],
        help_text=_("The assignee and the centre's lead are reminded when this share of a target has passed."),
    )

    class Meta:
        verbose_name = _("SLA policy")
        verbose_name_plural = _("SLA policies")
        ordering = ["unit", "name"]

    def __str__(self):
        return self.name

    def clean(self):
        if self.first_response_hours and self.resolution_hours and self.first_response_hours > self.resolution_hours:
            raise ValidationError({"first_response_hours": _("The first response cannot be due after the resolution.")})


class WorkingPeriod(models.Model):
    """One stretch of a weekday's working hours, e.g. Monday 09:00–12:30."""

    policy = models.ForeignKey(SLAPolicy, on_delete=models.CASCADE, related_name="periods")
    weekday = models.PositiveSmallIntegerField(_("weekday"), choices=Weekday.choices)
    starts = models.TimeField(_("from"))
    ends = models.TimeField(_("until"))

    class Meta:
        verbose_name = _("working period")
        verbose_name_plural = _("working hours")
        ordering = ["policy", "weekday", "starts"]
        constraints = [models.CheckConstraint(condition=Q(ends__gt=models.F("starts")), name="working_period_order")]

    def __str__(self):
        return f"{self.get_weekday_display()} {self.starts:%H:%M}–{self.ends:%H:%M}"

    def clean(self):
        if self.starts is not None and self.ends is not None and self.ends <= self.starts:
            raise ValidationError({"ends": _("A working period ends after it starts.")})


class Service(Trilingual):
    """One service in a centre's catalogue."""

    unit = models.ForeignKey(
        "accounts.Unit", verbose_name=_("centre"), on_delete=models.PROTECT, related_name="services"
    )
    slug = models.SlugField(_("short name in links"), unique=True)
    category = models.CharField(_("category"), max_length=32, choices=ServiceCategory.choices)
    name_en = _text(_("name"), _("English"))
    name_zh_hans = _text(_("name"), _("Simplified Chinese"))
    name_zh_hant = _text(_("name"), _("Traditional Chinese"))
    description_en = _text(_("description"), _("English"), long=True)
    description_zh_hans = _text(_("description"), _("Simplified Chinese"), long=True)
    description_zh_hant = _text(_("description"), _("Traditional Chinese"), long=True)
    fee = MoneyField(
        _("fee"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        default_currency="HKD",
        currency_choices=CURRENCIES,
        validators=[validate_not_negative],
        help_text=_("Leave empty for a free service."),
    )
    required_documents = models.JSONField(
        _("documents needed"), default=list, blank=True, help_text=_("The document types the request must carry.")
    )
    sla_policy = models.ForeignKey(SLAPolicy, verbose_name=_("SLA policy"), on_delete=models.PROTECT, related_name="+")
    is_active = models.BooleanField(_("offered"), default=True, help_text=_("Withdrawn services take no new requests."))
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("service")
        verbose_name_plural = _("services")
        ordering = ["unit", "order", "slug"]
        indexes = [models.Index(fields=["unit", "category"], name="service_unit_category_idx")]

    def __str__(self):
        return self.name

    @property
    def name(self):
        return self.text("name")

    @property
    def description(self):
        return self.text("description")

    def clean(self):
        unknown = [value for value in self.required_documents or [] if value not in DocumentType.values]
        if not isinstance(self.required_documents, list) or unknown:
            raise ValidationError({"required_documents": _("List document types the portal knows.")})
        if self.sla_policy_id and self.unit_id and self.sla_policy.unit_id != self.unit_id:
            raise ValidationError({"sla_policy": _("Choose one of this centre's SLA policies.")})


class ServiceStep(Trilingual):
    """One step of a service's fulfilment checklist, with its own target."""

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="steps")
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    title_en = _text(_("title"), _("English"))
    title_zh_hans = _text(_("title"), _("Simplified Chinese"))
    title_zh_hant = _text(_("title"), _("Traditional Chinese"))
    target_hours = _hours(_("target (business hours)"), _("Counted from the request, like the resolution target."))

    class Meta:
        verbose_name = _("fulfilment step")
        verbose_name_plural = _("fulfilment steps")
        ordering = ["service", "order", "id"]

    def __str__(self):
        return self.title

    @property
    def title(self):
        return self.text("title")


class ServiceRequest(models.Model):
    reference = models.CharField(_("reference"), max_length=20, unique=True, editable=False)
    service = models.ForeignKey(Service, verbose_name=_("service"), on_delete=models.PROTECT, related_name="requests")
    unit = models.ForeignKey("accounts.Unit", on_delete=models.PROTECT, related_name="service_requests", editable=False)
    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name=_("enterprise"),
        on_delete=models.PROTECT,
        related_name="service_requests",
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("requested by"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assignee"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_service_requests",
    )
    state = models.CharField(_("state"), max_length=24, choices=State.choices, default=State.REQUESTED)
    details = models.TextField(_("details"), validators=[validate_multiline_text])
    documents = models.ManyToManyField(
        "enterprises.DocumentVersion", verbose_name=_("documents"), blank=True, related_name="+"
    )
    #: The SLA policy in force when the request was made (``centres.sla.Policy.to_json``).
    sla = models.JSONField(editable=False)
    created_at = models.DateTimeField(_("requested"), auto_now_add=True)
    state_changed_at = models.DateTimeField(_("state changed"), auto_now_add=True)
    first_response_at = models.DateTimeField(_("first response"), null=True, blank=True, editable=False)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True, editable=False)
    # The clocks as of their last recomputation: the wall-clock moments a running clock reaches
    # its at-risk share and its target (empty when paused or stopped), and its level then.
    response_level = models.CharField(
        _("first response"), max_length=10, choices=ClockLevel.choices, default=ClockLevel.OK, editable=False
    )
    response_risk_at = models.DateTimeField(null=True, editable=False)
    response_due_at = models.DateTimeField(null=True, editable=False)
    resolution_level = models.CharField(
        _("resolution"), max_length=10, choices=ClockLevel.choices, default=ClockLevel.OK, editable=False
    )
    resolution_risk_at = models.DateTimeField(null=True, editable=False)
    resolution_due_at = models.DateTimeField(null=True, editable=False)
    #: The business seconds the resolution clock had left at its last recomputation (negative: over).
    resolution_left = models.BigIntegerField(default=0, editable=False)
    #: A fresh value makes earlier rating links useless (they carry it, signed).
    rating_nonce = models.UUIDField(default=uuid.uuid4, editable=False)

    #: The columns keeping the clocks' figures as of their last recomputation.
    CLOCK_FIELDS = (
        "response_level",
        "response_risk_at",
        "response_due_at",
        "resolution_level",
        "resolution_risk_at",
        "resolution_due_at",
        "resolution_left",
    )

    class Meta:
        verbose_name = _("service request")
        verbose_name_plural = _("service requests")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["unit", "state", "-created_at"], name="srv_queue_idx"),
            models.Index(fields=["unit", "-created_at", "-id"], name="srv_unit_created_idx"),
            models.Index(fields=["assignee", "state"], name="srv_assignee_idx"),
            models.Index(fields=["enterprise", "-created_at"], name="srv_enterprise_idx"),
            models.Index(fields=["service", "state"], name="srv_service_idx"),
            models.Index(fields=["unit", "resolution_due_at"], name="srv_resolution_due_idx"),
            models.Index(
                fields=["response_risk_at"], condition=Q(response_risk_at__isnull=False), name="srv_response_risk_idx"
            ),
            models.Index(
                fields=["resolution_risk_at"],
                condition=Q(resolution_risk_at__isnull=False),
                name="srv_resolution_risk_idx",
            ),
        ]

    def __str__(self):
        return self.reference


class RequestStateChange(models.Model):
    """One step of a request's life, append-only: the SLA clock is recomputed from these."""

    request = models.ForeignKey(ServiceRequest, on_delete=models.CASCADE, related_name="state_changes")
    transition = models.CharField(_("step"), max_length=32)
    from_state = models.CharField(_("from"), max_length=24, choices=State.choices, blank=True)
    to_state = models.CharField(_("to"), max_length=24, choices=State.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    pause_reason = models.CharField(_("waiting on"), max_length=24, choices=PauseReason.choices, blank=True)
    note = models.TextField(_("reason"), blank=True, validators=[validate_multiline_text])
    created_at = models.DateTimeField(_("time"), auto_now_add=True)

    class Meta:
        verbose_name = _("request state change")
        verbose_name_plural = _("request state changes")
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["request", "created_at"], name="srv_change_request_idx")]

    def __str__(self):
        return f"{self.request} {self.from_state or '-'} → {self.to_state}"


class RequestStep(Trilingual):
    """A request's copy of one fulfilment step of its service, checked off by the centre."""

    request = models.ForeignKey(ServiceRequest, on_delete=models.CASCADE, related_name="steps")
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    title_en = _text(_("title"), _("English"))
    title_zh_hans = _text(_("title"), _("Simplified Chinese"))
    title_zh_hant = _text(_("title"), _("Traditional Chinese"))
    target_hours = models.DecimalField(_("target (business hours)"), max_digits=6, decimal_places=2)
    done_at = models.DateTimeField(_("done"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("done by"), on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("request step")
        verbose_name_plural = _("request steps")
        ordering = ["request", "order", "id"]

    def __str__(self):
        return self.title

    @property
    def title(self):
        return self.text("title")


class RequestMessage(models.Model):
    """A message in a request's thread. An internal note is the centre's alone: no page, API
    answer or e-mail of the enterprise's ever carries one."""

    request = models.ForeignKey(ServiceRequest, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("author"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    from_centre = models.BooleanField(_("from the centre"), default=False)
    internal = models.BooleanField(_("internal note"), default=False)
    body = models.TextField(_("message"), validators=[validate_multiline_text])
    created_at = models.DateTimeField(_("sent"), auto_now_add=True)

    class Meta:
        verbose_name = _("request message")
        verbose_name_plural = _("request messages")
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["request", "internal", "created_at"], name="srv_message_idx")]
        constraints = [
            models.CheckConstraint(condition=Q(internal=False) | Q(from_centre=True), name="srv_note_from_centre")
        ]

    def __str__(self):
        return f"{self.request} #{self.pk}"


def attachment_path(attachment, filename):
    """Stored under an unguessable name; the original name is kept on the row for downloads."""
    suffix = PurePath(filename).suffix.lower()[:8]
    return f"service-requests/{attachment.message.request.reference}/{uuid.uuid4().hex}{suffix}"


class RequestAttachment(models.Model):
    """A file sent with a message: uploaded with it (checked like every upload), or a version of
    one of the enterprise's library documents."""

    message = models.ForeignKey(RequestMessage, on_delete=models.CASCADE, related_name="attachments")
    version = models.ForeignKey(
        "enterprises.DocumentVersion", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    file = models.FileField(upload_to=attachment_path, max_length=255, blank=True)
    original_name = models.CharField(_("file name"), max_length=255, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    size = models.PositiveBigIntegerField(_("size"), default=0)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["message", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(version__isnull=True) & ~Q(file="")) | (Q(version__isnull=False) & Q(file="")),
                name="srv_attachment_one_source",
            )
        ]

    def __str__(self):
        return self.name

    @property
    def name(self) -> str:
        return self.version.original_name if self.version_id else self.original_name


class ServiceRating(models.Model):
    """The enterprise's rating of a completed request, given once."""

    request = models.OneToOneField(ServiceRequest, on_delete=models.CASCADE, related_name="rating")
    score = models.PositiveSmallIntegerField(_("rating"), validators=[MinValueValidator(1), MaxValueValidator(5)])
    comment = models.TextField(_("comment"), blank=True, validators=[validate_multiline_text])
    rated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("rated by"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    #: Given through the signed link of the completion e-mail, without signing in.
    by_link = models.BooleanField(_("through the e-mail's link"), default=False)
    created_at = models.DateTimeField(_("rated"), auto_now_add=True)

    class Meta:
        verbose_name = _("service rating")
        verbose_name_plural = _("service ratings")
        constraints = [models.CheckConstraint(condition=Q(score__gte=1, score__lte=5), name="srv_rating_range")]

    def __str__(self):
        return f"{self.request}: {self.score}"


class SLAReminder(models.Model):
    """A reminder sent about one clock of one request reaching one level: each is sent once."""

    request = models.ForeignKey(ServiceRequest, on_delete=models.CASCADE, related_name="sla_reminders")
    clock = models.CharField(max_length=10, choices=ClockName.choices)
    level = models.CharField(max_length=10, choices=ClockLevel.choices)
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("SLA reminder")
        verbose_name_plural = _("SLA reminders")
        constraints = [
            models.UniqueConstraint(fields=["request", "clock", "level"], name="srv_reminder_once"),
        ]

    def __str__(self):
        return f"{self.request} {self.clock} {self.level}"
