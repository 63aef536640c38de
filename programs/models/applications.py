"""Admission to Hong Kong Science Park: programmes, calls, forms as data, applications.

A call's form is a published ``FormVersion``: sections and fields kept as rows an
administrator edits in the Django admin. A published version never changes; a new one is a
copy (``services.forms.copy_version``), so every application keeps displaying and
validating under the version it was written in. The state machine is ``workflow.py``; every
change of state goes through ``services.applications``.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from enterprises.choices import DocumentType, HangzhouDistrict, Sector
from hkhz_portal.core.i18n import in_active_language, language_variant
from hkhz_portal.core.validators import validate_multiline_text, validate_plain_text

from ..choices import CallState, FieldKind, ProgrammeKind, RuleKind
from ..workflow import Status


def _text(label, language, *, long=False, blank=False):
    verbose = format_lazy("{} ({})", label, language)
    if long:
        return models.TextField(verbose, blank=blank, validators=[validate_multiline_text])
    return models.CharField(verbose, max_length=300, blank=blank, validators=[validate_plain_text])


class Trilingual(models.Model):
    """Texts kept in English, Simplified and Traditional Chinese; ``text("name")`` gives the reader's."""

    class Meta:
        abstract = True

    def text(self, prefix: str) -> str:
        return in_active_language(self, prefix) or getattr(self, f"{prefix}_en")


class Programme(Trilingual):
    unit = models.ForeignKey(
        "accounts.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="programmes"
    )
    slug = models.SlugField(_("short name in links"), unique=True)
    kind = models.CharField(_("kind"), max_length=32, choices=ProgrammeKind.choices)
    name_en = _text(_("name"), _("English"))
    name_zh_hans = _text(_("name"), _("Simplified Chinese"))
    name_zh_hant = _text(_("name"), _("Traditional Chinese"))
    description_en = _text(_("description"), _("English"), long=True, blank=True)
    description_zh_hans = _text(_("description"), _("Simplified Chinese"), long=True, blank=True)
    description_zh_hant = _text(_("description"), _("Traditional Chinese"), long=True, blank=True)
    duration_months = models.PositiveSmallIntegerField(
        _("duration (months)"), null=True, blank=True, help_text=_("How long an admitted enterprise stays.")
    )

    class Meta:
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")
        ordering = ["slug"]

    def __str__(self):
        return self.name

    @property
    def name(self):
        return self.text("name")


class ApplicationForm(models.Model):
    """A form kept in versions; calls use one published version of it."""

    name = models.CharField(_("name"), max_length=200, validators=[validate_plain_text])

    class Meta:
        verbose_name = _("application form")
        verbose_name_plural = _("application forms")
        ordering = ["name"]

    def __str__(self):
        return self.name


class FormVersion(models.Model):
    form = models.ForeignKey(ApplicationForm, verbose_name=_("form"), on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    published_at = models.DateTimeField(_("published"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("form version")
        verbose_name_plural = _("form versions")
        ordering = ["form", "-number"]
        constraints = [models.UniqueConstraint(fields=["form", "number"], name="form_version_unique_number")]

    def __str__(self):
        return _("%(form)s, version %(number)s") % {"form": self.form, "number": self.number}

    @property
    def is_published(self):
        return self.published_at is not None


class FormPart(Trilingual):
    """A section or a question of a form version: help in three languages, and shown (so possibly
    required) only when an earlier answer has one of the given values; read-only once published."""

    help_en = _text(_("help"), _("English"), long=True, blank=True)
    help_zh_hans = _text(_("help"), _("Simplified Chinese"), long=True, blank=True)
    help_zh_hant = _text(_("help"), _("Traditional Chinese"), long=True, blank=True)

    show_if_field = models.SlugField(
        _("show only if the answer to"),
        blank=True,
        help_text=_("The key of an earlier question; leave empty to always show."),
    )
    show_if_values = models.JSONField(
        _("is one of"),
        default=list,
        blank=True,
        help_text=_('The answers that show this, as a list: ["yes"], ["biologic", "device"], [true].'),
    )

    class Meta:
        abstract = True

    @property
    def help(self):
        return self.text("help")

    def guard_published(self, version):
        if version is not None and version.is_published:
            raise ValidationError(_("A published form version cannot change: make a new version instead."))


class FormSection(FormPart):
    version = models.ForeignKey(
        FormVersion, verbose_name=_("form version"), on_delete=models.CASCADE, related_name="sections"
    )
    key = models.SlugField(_("key"))
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    title_en = _text(_("title"), _("English"))
    title_zh_hans = _text(_("title"), _("Simplified Chinese"))
    title_zh_hant = _text(_("title"), _("Traditional Chinese"))

    class Meta:
        verbose_name = _("form section")
        verbose_name_plural = _("form sections")
        ordering = ["version", "order", "id"]
        constraints = [models.UniqueConstraint(fields=["version", "key"], name="form_section_unique_key")]

    def __str__(self):
        return self.title

    @property
    def title(self):
        return self.text("title")

    def clean(self):
        self.guard_published(getattr(self, "version", None))


class FormField(FormPart):
    """One question. A repeating group's columns are fields whose ``group`` is the group field."""

    section = models.ForeignKey(FormSection, verbose_name=_("section"), on_delete=models.CASCADE, related_name="fields")
    group = models.ForeignKey(
        "self",
        verbose_name=_("column of group"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="columns",
        limit_choices_to={"kind": FieldKind.GROUP},
    )
    key = models.SlugField(_("key"), help_text=_("Unique in the form version; rules and conditions refer to it."))
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    kind = models.CharField(_("type"), max_length=20, choices=FieldKind.choices)
    label_en = _text(_("label"), _("English"))
    label_zh_hans = _text(_("label"), _("Simplified Chinese"))
    label_zh_hant = _text(_("label"), _("Traditional Chinese"))
    required = models.BooleanField(_("required"), default=False, help_text=_("When shown."))
    choices = models.JSONField(
        _("choices"),
        default=list,
        blank=True,
        help_text=_(
            "For choice questions, a list of choices, each with its value and labels: "
            '[{"value": "biologic", "en": "Biologic", "zh_hans": "生物制品", "zh_hant": "生物製品"}]'
        ),
    )
    max_length = models.PositiveIntegerField(_("most characters"), null=True, blank=True)
    max_words = models.PositiveIntegerField(_("most words"), null=True, blank=True)
    min_value = models.DecimalField(_("least value"), max_digits=16, decimal_places=2, null=True, blank=True)
    max_value = models.DecimalField(_("greatest value"), max_digits=16, decimal_places=2, null=True, blank=True)
    document_type = models.CharField(_("document type"), max_length=32, choices=DocumentType.choices, blank=True)
    min_rows = models.PositiveSmallIntegerField(_("least rows"), null=True, blank=True)
    max_rows = models.PositiveSmallIntegerField(_("most rows"), null=True, blank=True)

    class Meta:
        verbose_name = _("form field")
        verbose_name_plural = _("form fields")
        ordering = ["section", "order", "id"]

    def __str__(self):
        return self.label

    @property
    def label(self):
        return self.text("label")

    def clean(self):
        section = getattr(self, "section", None)
        self.guard_published(section.version if section else None)
        errors = {}
        choices_ok = self.choices and all(isinstance(c, dict) and c.get("value") for c in self.choices)
        if self.kind in (FieldKind.CHOICE, FieldKind.MULTIPLE_CHOICE) and not choices_ok:
            errors["choices"] = _('Give each choice a "value" and its labels.')
        if self.kind == FieldKind.DOCUMENT and not self.document_type:
            errors["document_type"] = _("Say which type of document this question asks for.")
        if self.group_id and self.kind in (FieldKind.GROUP, FieldKind.DOCUMENT):
            errors["kind"] = _("A group's column cannot be a group or a document.")
        if self.group_id and section and self.group.section_id != section.pk:
            errors["group"] = _("A column belongs to a group of the same section.")
        if self.min_value is not None and self.max_value is not None and self.min_value > self.max_value:
            errors["max_value"] = _("The greatest value is below the least value.")
        if errors:
            raise ValidationError(errors)


class Call(Trilingual):
    """A round of applications to a programme, or rolling intake when it has no closing time."""

    programme = models.ForeignKey(
        Programme, verbose_name=_("programme"), on_delete=models.PROTECT, related_name="calls"
    )
    slug = models.SlugField(_("short name in links"), unique=True)
    title_en = _text(_("title"), _("English"))
    title_zh_hans = _text(_("title"), _("Simplified Chinese"))
    title_zh_hant = _text(_("title"), _("Traditional Chinese"))
    summary_en = _text(_("summary"), _("English"), long=True, blank=True)
    summary_zh_hans = _text(_("summary"), _("Simplified Chinese"), long=True, blank=True)
    summary_zh_hant = _text(_("summary"), _("Traditional Chinese"), long=True, blank=True)
    opens_at = models.DateTimeField(_("opens"), help_text=_("Hong Kong time."))
    closes_at = models.DateTimeField(
        _("closes"), null=True, blank=True, help_text=_("Hong Kong time. Leave empty for rolling intake all year.")
    )
    capacity = models.PositiveIntegerField(_("places"), validators=[MinValueValidator(1)])
    reviewers_per_application = models.PositiveSmallIntegerField(
        _("reviewers per application"), default=3, validators=[MinValueValidator(1), MaxValueValidator(9)]
    )
    review_period_days = models.PositiveSmallIntegerField(
        _("review period (Hong Kong working days)"), default=10, validators=[MinValueValidator(1)]
    )
    form_version = models.ForeignKey(
        FormVersion,
        verbose_name=_("form version"),
        on_delete=models.PROTECT,
        related_name="calls",
        limit_choices_to={"published_at__isnull": False},
    )
    #: When the beat announced that the call opened, and that it closes soon (each once).
    opened_announced_at = models.DateTimeField(null=True, blank=True, editable=False)
    closing_announced_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("call")
        verbose_name_plural = _("calls")
        ordering = ["-opens_at", "slug"]
        indexes = [models.Index(fields=["opens_at", "closes_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_at__isnull=True) | Q(closes_at__gt=models.F("opens_at")),
                name="call_closes_after_it_opens",
            )
        ]

    def __str__(self):
        return self.title

    @property
    def title(self):
        return self.text("title")

    @property
    def summary(self):
        return self.text("summary")

    @property
    def is_rolling(self):
        return self.closes_at is None

    def state(self, now=None) -> CallState:
        now = now or timezone.now()
        if now < self.opens_at:
            return CallState.UPCOMING
        if self.closes_at is not None and now >= self.closes_at:
            return CallState.CLOSED
        return CallState.OPEN

    def is_open(self, now=None) -> bool:
        return self.state(now) == CallState.OPEN

    def clean(self):
        if self.closes_at and self.opens_at and self.closes_at <= self.opens_at:
            raise ValidationError({"closes_at": _("A call closes after it opens.")})
        version = getattr(self, "form_version", None) if self.form_version_id else None
        if version is not None and not version.is_published:
            raise ValidationError({"form_version": _("A call uses a published form version.")})


class EligibilityRule(models.Model):
    """One rule of a call, evaluated by ``programs.eligibility``. Which settings a rule reads
    depends on its kind: ``number`` for the N of "at least N", ``values`` for a list."""

    call = models.ForeignKey(Call, verbose_name=_("call"), on_delete=models.CASCADE, related_name="rules")
    kind = models.CharField(_("rule"), max_length=32, choices=RuleKind.choices)
    number = models.DecimalField(_("N"), max_digits=8, decimal_places=2, null=True, blank=True)
    values = models.JSONField(
        _("list"),
        default=list,
        blank=True,
        help_text=_('Sectors or document types, as a list: ["biopharma", "medical_devices"].'),
    )
    field_key = models.SlugField(
        _("question"),
        blank=True,
        help_text=_(
            "The form question the rule reads: the team group (full-time staff, technical share and equity) "
            'or the yes/no question "will set up a Hong Kong company".'
        ),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("eligibility rule")
        verbose_name_plural = _("eligibility rules")
        ordering = ["call", "order", "id"]

    def __str__(self):
        return self.get_kind_display()


class Application(models.Model):
    """An enterprise's application to a call. The columns after ``answers`` are copied from the
    enterprise when the application is submitted, so that the officer queue filters, sorts and
    searches real indexed columns."""

    reference = models.CharField(_("reference"), max_length=20, unique=True, editable=False)
    call = models.ForeignKey(Call, verbose_name=_("call"), on_delete=models.PROTECT, related_name="applications")
    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="applications", editable=False)
    unit = models.ForeignKey("accounts.Unit", on_delete=models.PROTECT, related_name="applications", editable=False)
    enterprise = models.ForeignKey(
        "enterprises.Enterprise", verbose_name=_("enterprise"), on_delete=models.PROTECT, related_name="applications"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("started by"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    form_version = models.ForeignKey(FormVersion, on_delete=models.PROTECT, related_name="applications", editable=False)
    status = models.CharField(_("status"), max_length=24, choices=Status.choices, default=Status.DRAFT)
    answers = models.JSONField(_("answers"), default=dict, blank=True)
    created_at = models.DateTimeField(_("started"), auto_now_add=True)
    saved_at = models.DateTimeField(_("last saved"), auto_now_add=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    status_changed_at = models.DateTimeField(_("status changed"), auto_now_add=True)
    #: When a worker last took this application for screening; the sweep re-enqueues stale ones.
    screening_enqueued_at = models.DateTimeField(null=True, blank=True, editable=False)
    #: Where answering a request for information returns the application to.
    return_status = models.CharField(max_length=24, choices=Status.choices, blank=True, editable=False)
    info_due_at = models.DateTimeField(_("information due"), null=True, blank=True)
    flagged = models.BooleanField(_("flagged by screening"), default=False)
    enterprise_name_en = models.CharField(_("enterprise"), max_length=200, blank=True, editable=False)
    enterprise_name_zh = models.CharField(_("enterprise (Chinese)"), max_length=200, blank=True, editable=False)
    #: Names, reference and identifiers in one normalised form (``core.search``) for the queue's search box.
    search_text = models.TextField(blank=True, editable=False)
    sector = models.CharField(_("sector"), max_length=32, choices=Sector.choices, blank=True, editable=False)
    district = models.CharField(
        _("district"), max_length=6, choices=HangzhouDistrict.choices, blank=True, editable=False
    )
    uscc = models.CharField(_("USCC"), max_length=18, blank=True, editable=False)
    hk_br = models.CharField(_("BR number"), max_length=8, blank=True, editable=False)
    #: When a worker was last asked to assign reviewers; the sweep asks again for stale ones.
    assignment_enqueued_at = models.DateTimeField(null=True, blank=True, editable=False)
    #: How many reviewers the last assignment could not find (the officers were told why).
    reviewers_missing = models.PositiveSmallIntegerField(default=0, editable=False)
    #: When the officer closed the reviews: from then on no review changes.
    reviews_closed_at = models.DateTimeField(_("reviews closed"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["unit", "-submitted_at", "-id"], name="application_queue_idx"),
            # The queue's other sort orders and its call filter (programs.queue.SORTS).
            models.Index(fields=["unit", "-status_changed_at", "-id"], name="application_changed_idx"),
            models.Index(fields=["unit", "enterprise_name_en", "id"], name="application_name_idx"),
            models.Index(fields=["call", "-submitted_at", "-id"], name="application_call_queue_idx"),
            models.Index(fields=["unit", "status", "-submitted_at", "-id"], name="application_queue_status_idx"),
            models.Index(fields=["call", "status"], name="application_call_status_idx"),
            models.Index(fields=["unit", "sector", "-submitted_at"], name="application_sector_idx"),
            models.Index(fields=["unit", "district", "-submitted_at"], name="application_district_idx"),
            models.Index(fields=["enterprise", "programme", "status"], name="application_enterprise_idx"),
            models.Index(fields=["uscc"], name="application_uscc_idx"),
            models.Index(fields=["hk_br"], name="application_br_idx"),
            models.Index(fields=["status", "status_changed_at"], name="application_sweep_idx"),
            models.Index(
                fields=["assignment_enqueued_at"],
                condition=Q(assignment_enqueued_at__isnull=False),
                name="application_assigning_idx",
            ),
            models.Index(fields=["unit", "-submitted_at"], condition=Q(flagged=True), name="application_flagged_idx"),
            models.Index(
                fields=["unit", "info_due_at"], condition=Q(info_due_at__isnull=False), name="application_due_idx"
            ),
        ]
        constraints = [
            # One live application per enterprise and call: two tabs starting one give one draft.
            models.UniqueConstraint(
                fields=["enterprise", "call"],
                condition=~Q(status=Status.WITHDRAWN),
                name="application_one_per_enterprise_and_call",
            )
        ]

    def __str__(self):
        return self.reference

    @property
    def is_overdue(self):
        return self.info_due_at is not None and self.info_due_at < timezone.now()

    @property
    def enterprise_name(self) -> str:
        """The enterprise's name as submitted, in the reader's script: Chinese for Chinese readers
        when there is a Chinese name (as ``Enterprise.local_name``)."""
        if language_variant() != "en" and self.enterprise_name_zh:
            return self.enterprise_name_zh
        return self.enterprise_name_en


class StatusChange(models.Model):
    """One step of an application's life, append-only: who moved it, from where, to where, and why."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="status_changes")
    transition = models.CharField(_("step"), max_length=32)
    from_status = models.CharField(_("from"), max_length=24, choices=Status.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=24, choices=Status.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    note = models.TextField(_("note to the applicant"), blank=True)
    internal_note = models.TextField(_("internal note"), blank=True)
    created_at = models.DateTimeField(_("time"), auto_now_add=True)

    class Meta:
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["application", "created_at"])]

    def __str__(self):
        return f"{self.application} {self.from_status or '-'} → {self.to_status}"


class ScreeningCheck(models.Model):
    """The outcome of one screening check in one run, with its reason kept as a code and its
    figures, so that it reads in each reader's language (``programs.eligibility.explain``)."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="screening_checks")
    run = models.PositiveIntegerField(_("run"))
    rule = models.CharField(_("check"), max_length=32)
    passed = models.BooleanField(_("passed"))
    code = models.CharField(max_length=48)
    params = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("screening check")
        verbose_name_plural = _("screening checks")
        ordering = ["application", "-run", "id"]
        constraints = [
            models.UniqueConstraint(fields=["application", "run", "rule"], name="screening_check_once_per_run")
        ]

    def __str__(self):
        return f"{self.application} #{self.run} {self.rule}: {'pass' if self.passed else 'fail'}"


class InfoRequest(models.Model):
    """An officer's request for more information: the message, the questions reopened, the deadline."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="info_requests")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    message = models.TextField(_("message"), validators=[validate_multiline_text])
    fields = models.JSONField(_("questions reopened"), default=list, blank=True)
    due_at = models.DateTimeField(_("due"))
    created_at = models.DateTimeField(_("requested"), auto_now_add=True)
    responded_at = models.DateTimeField(_("answered"), null=True, blank=True)
    response = models.TextField(_("answer"), blank=True, validators=[validate_multiline_text])
    documents = models.ManyToManyField("enterprises.Document", blank=True, related_name="+")
    #: When the applicant was reminded that the deadline is near, and told (with the unit's
    #: officers) that it has passed: each reminder goes out once (``services.reminders``).
    reminded_at = models.DateTimeField(null=True, blank=True, editable=False)
    overdue_reminded_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("request for information")
        verbose_name_plural = _("requests for information")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["due_at"], condition=Q(responded_at__isnull=True), name="info_request_open_idx")
        ]

    def __str__(self):
        return f"{self.application}: {self.due_at:%Y-%m-%d}"
