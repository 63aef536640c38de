"""Review and decision: a call's rubric and panel, reviewers' assignments and reviews, conflicts
of interest, the officer's decisions, onboarding to admission, and exports of a call.

Every change goes through ``services.reviews`` and ``services.decisions``; the ranking is
computed from the submitted reviews (``programs.ranking``), never stored.
"""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from enterprises.choices import Sector
from hkhz_portal.core.calendars import working_days_between
from hkhz_portal.core.validators import validate_multiline_text, validate_plain_text

from ..choices import (
    ACTIVE_ASSIGNMENTS,
    OWED_ASSIGNMENTS,
    AssignmentStatus,
    ExportFormat,
    ExportStatus,
    Outcome,
    Recommendation,
    SpaceKind,
)
from .applications import Application, Call, Trilingual, _text


class Rubric(models.Model):
    """How a call's applications are scored: criteria with weights, on one scale."""

    call = models.OneToOneField(Call, verbose_name=_("call"), on_delete=models.CASCADE, related_name="rubric")
    scale_min = models.PositiveSmallIntegerField(_("lowest score"), default=1)
    scale_max = models.PositiveSmallIntegerField(
        _("highest score"), default=5, validators=[MinValueValidator(2), MaxValueValidator(10)]
    )

    class Meta:
        verbose_name = _("rubric")
        verbose_name_plural = _("rubrics")
        constraints = [
            models.CheckConstraint(condition=Q(scale_max__gt=models.F("scale_min")), name="rubric_scale_ascends")
        ]

    def __str__(self):
        return str(self.call)

    @property
    def scale(self) -> range:
        return range(self.scale_min, self.scale_max + 1)

    def clean(self):
        if self.scale_max is not None and self.scale_min is not None and self.scale_max <= self.scale_min:
            raise ValidationError({"scale_max": _("The highest score is above the lowest.")})


class Criterion(Trilingual):
    rubric = models.ForeignKey(Rubric, verbose_name=_("rubric"), on_delete=models.CASCADE, related_name="criteria")
    key = models.SlugField(_("key"), max_length=40)
    name_en = _text(_("name"), _("English"))
    name_zh_hans = _text(_("name"), _("Simplified Chinese"))
    name_zh_hant = _text(_("name"), _("Traditional Chinese"))
    description_en = _text(_("what is assessed"), _("English"), long=True, blank=True)
    description_zh_hans = _text(_("what is assessed"), _("Simplified Chinese"), long=True, blank=True)
    description_zh_hant = _text(_("what is assessed"), _("Traditional Chinese"), long=True, blank=True)
    weight = models.DecimalField(
        _("weight"), max_digits=5, decimal_places=2, validators=[MinValueValidator(Decimal("0.01"))]
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        ordering = ["rubric", "order", "id"]
        constraints = [models.UniqueConstraint(fields=["rubric", "key"], name="criterion_key_once_per_rubric")]

    def __str__(self):
        return self.name

    @property
    def name(self):
        return self.text("name")

    @property
    def description(self):
        return self.text("description")


class CriterionLevel(Trilingual):
    """What one score of a criterion means, so that every reviewer reads the scale alike."""

    criterion = models.ForeignKey(
        Criterion, verbose_name=_("criterion"), on_delete=models.CASCADE, related_name="levels"
    )
    score = models.PositiveSmallIntegerField(_("score"))
    description_en = _text(_("meaning"), _("English"))
    description_zh_hans = _text(_("meaning"), _("Simplified Chinese"))
    description_zh_hant = _text(_("meaning"), _("Traditional Chinese"))

    class Meta:
        verbose_name = _("level")
        verbose_name_plural = _("levels")
        ordering = ["criterion", "score"]
        constraints = [models.UniqueConstraint(fields=["criterion", "score"], name="level_once_per_criterion")]

    def __str__(self):
        return f"{self.criterion}: {self.score}"

    @property
    def description(self):
        return self.text("description")

    def clean(self):
        rubric = self.criterion.rubric if self.criterion_id else None
        if rubric is not None and self.score is not None and self.score not in rubric.scale:
            raise ValidationError(
                {
                    "score": _("Give a score on the rubric's scale, from %(low)s to %(high)s.")
                    % {"low": rubric.scale_min, "high": rubric.scale_max}
                }
            )


class PanelMember(models.Model):
    """A reviewer on a call's panel, with the sectors they know best."""

    call = models.ForeignKey(Call, verbose_name=_("call"), on_delete=models.CASCADE, related_name="panel")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("reviewer"), on_delete=models.CASCADE, related_name="panels"
    )
    sectors = models.JSONField(
        _("sectors of expertise"),
        default=list,
        blank=True,
        help_text=_('As a list: ["biopharma", "medical_devices"].'),
    )
    added_at = models.DateTimeField(_("added"), auto_now_add=True)

    class Meta:
        verbose_name = _("panel member")
        verbose_name_plural = _("panel members")
        ordering = ["call", "reviewer__full_name", "id"]
        constraints = [models.UniqueConstraint(fields=["call", "reviewer"], name="panel_member_once_per_call")]

    def __str__(self):
        return f"{self.call}: {self.reviewer}"

    def clean(self):
        unknown = set(self.sectors or []) - set(Sector.values) if isinstance(self.sectors, list) else {"?"}
        if unknown:
            raise ValidationError({"sectors": _("Name sectors from the portal's list of sectors.")})


class ConflictDeclaration(models.Model):
    """A conflict of interest a reviewer declared: with an enterprise (handing back its application)
    or with an organisation they named in advance. Either keeps them off that enterprise for good."""

    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("reviewer"), on_delete=models.CASCADE, related_name="conflicts"
    )
    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name=_("enterprise"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    organisation = models.CharField(_("organisation"), max_length=200, blank=True, validators=[validate_plain_text])
    #: ``organisation`` in the searched form of enterprise names (``core.search``), for matching.
    organisation_key = models.CharField(max_length=200, blank=True, editable=False)
    reason = models.TextField(_("reason"), blank=True, validators=[validate_multiline_text])
    created_at = models.DateTimeField(_("declared"), auto_now_add=True)

    class Meta:
        verbose_name = _("conflict of interest")
        verbose_name_plural = _("conflicts of interest")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(enterprise__isnull=False) | ~Q(organisation=""), name="conflict_names_someone"
            )
        ]

    def __str__(self):
        return f"{self.reviewer}: {self.enterprise or self.organisation}"


class ReviewAssignment(models.Model):
    """One reviewer asked to review one application. A reviewer reviews an application once:
    handed back or replaced, the assignment stays as the record and someone else is assigned."""

    application = models.ForeignKey(
        Application, verbose_name=_("application"), on_delete=models.CASCADE, related_name="assignments"
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewer"),
        on_delete=models.PROTECT,
        related_name="review_assignments",
    )
    status = models.CharField(
        _("status"), max_length=24, choices=AssignmentStatus.choices, default=AssignmentStatus.AWAITING_DECLARATION
    )
    #: ``None``: assigned by the portal's worker.
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    assigned_at = models.DateTimeField(_("assigned"), auto_now_add=True)
    due_on = models.DateField(_("due"))
    expertise_match = models.BooleanField(_("matching expertise"), default=False)
    declared_at = models.DateTimeField(_("conflict declaration"), null=True, blank=True)
    ended_at = models.DateTimeField(_("ended"), null=True, blank=True)
    end_reason = models.TextField(_("why it ended"), blank=True)
    #: Each reminder goes out once (``services.reminders``).
    reminded_at = models.DateTimeField(null=True, blank=True, editable=False)
    overdue_reminded_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("review assignment")
        verbose_name_plural = _("review assignments")
        ordering = ["due_on", "id"]
        indexes = [
            models.Index(fields=["reviewer", "status", "due_on"], name="assignment_reviewer_idx"),
            models.Index(fields=["application", "status"], name="assignment_application_idx"),
            models.Index(fields=["status", "due_on"], name="assignment_due_idx"),
        ]
        constraints = [models.UniqueConstraint(fields=["application", "reviewer"], name="assignment_once_per_reviewer")]

    def __str__(self):
        return f"{self.application} · {self.reviewer}"

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_ASSIGNMENTS

    @property
    def is_owed(self) -> bool:
        """The reviewer still owes the review: not submitted, not ended."""
        return self.status in OWED_ASSIGNMENTS

    @property
    def is_overdue(self) -> bool:
        """Owed and past its due date (as the reminders count: ``services.reminders``)."""
        return self.is_owed and self.due_on < timezone.localdate()

    @property
    def working_days_left(self) -> int | None:
        """Hong Kong working days from today to the due date while the review is owed and not
        overdue (0: due today), else ``None``."""
        if not self.is_owed or self.is_overdue:
            return None
        return working_days_between(timezone.localdate(), self.due_on, "HK")


class Review(models.Model):
    """A reviewer's scores and comments. Saved as often as the reviewer likes; ``submitted_at``
    marks it in, after which the reviewer sees the other reviews; it stays editable until the
    officer closes the reviews (``Application.reviews_closed_at``)."""

    assignment = models.OneToOneField(
        ReviewAssignment, verbose_name=_("assignment"), on_delete=models.CASCADE, related_name="review"
    )
    #: ``{criterion key: score}`` on the rubric's scale.
    scores = models.JSONField(_("scores"), default=dict, blank=True)
    #: The weighted mean of the scores, on the rubric's scale; set once every criterion is scored.
    total = models.DecimalField(_("weighted score"), max_digits=6, decimal_places=3, null=True, blank=True)
    recommendation = models.CharField(_("recommendation"), max_length=24, choices=Recommendation.choices, blank=True)
    comment_to_officer = models.TextField(_("comment to the officer"), blank=True, validators=[validate_multiline_text])
    comment_to_applicant = models.TextField(
        _("comment to the applicant"), blank=True, validators=[validate_multiline_text]
    )
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    updated_at = models.DateTimeField(_("last saved"), auto_now=True)

    class Meta:
        verbose_name = _("review")
        verbose_name_plural = _("reviews")
        ordering = ["assignment", "id"]

    def __str__(self):
        return str(self.assignment)


class Decision(models.Model):
    """An officer's decision on a reviewed application, or the portal's offer of a freed place to
    the next on the waiting list. The latest is the application's decision; earlier ones stay as
    the record (a waitlisted application offered a place has two)."""

    application = models.ForeignKey(
        Application, verbose_name=_("application"), on_delete=models.CASCADE, related_name="decisions"
    )
    outcome = models.CharField(_("decision"), max_length=16, choices=Outcome.choices)
    #: ``None``: the portal offered a freed place from the waiting list.
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("decided by"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided"), auto_now_add=True)
    conditions = models.TextField(_("conditions"), blank=True, validators=[validate_multiline_text])
    reasons = models.TextField(_("reasons for the applicant"), blank=True, validators=[validate_multiline_text])
    internal_note = models.TextField(_("internal note"), blank=True, validators=[validate_multiline_text])
    space_kind = models.CharField(_("space"), max_length=16, choices=SpaceKind.choices, blank=True)
    area_m2 = models.DecimalField(
        _("area (m²)"),
        max_digits=7,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("1")), MaxValueValidator(Decimal("10000"))],
    )
    move_in_on = models.DateField(_("move-in date"), null=True, blank=True)
    term_months = models.PositiveSmallIntegerField(
        _("programme term (months)"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(120)]
    )
    waitlist_position = models.PositiveIntegerField(_("place on the waiting list"), null=True, blank=True)

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        ordering = ["-decided_at", "-id"]
        indexes = [models.Index(fields=["application", "-decided_at"], name="decision_latest_idx")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(outcome=Outcome.APPROVE)
                | Q(area_m2__isnull=False, move_in_on__isnull=False, term_months__isnull=False) & ~Q(space_kind=""),
                name="decision_approval_allocates_space",
            ),
            models.CheckConstraint(
                condition=~Q(outcome=Outcome.WAITLIST) | Q(waitlist_position__isnull=False),
                name="decision_waitlist_has_place",
            ),
        ]

    def __str__(self):
        return f"{self.application}: {self.get_outcome_display()}"


class Onboarding(models.Model):
    """The formalities between approval and admission, each recorded when done."""

    application = models.OneToOneField(
        Application, verbose_name=_("application"), on_delete=models.CASCADE, related_name="onboarding"
    )
    tenancy_signed_on = models.DateField(_("tenancy agreement signed"), null=True, blank=True)
    company_registered_on = models.DateField(_("Hong Kong company registered"), null=True, blank=True)
    moved_in_on = models.DateField(_("moved in"), null=True, blank=True)
    started_at = models.DateTimeField(_("started"), auto_now_add=True)

    #: The formalities' dates, in the order they are usually done.
    STEPS = ("tenancy_signed_on", "company_registered_on", "moved_in_on")

    class Meta:
        verbose_name = _("onboarding")
        verbose_name_plural = _("onboardings")

    def __str__(self):
        return str(self.application)

    @property
    def complete(self) -> bool:
        return all(getattr(self, step) for step in self.STEPS)


def export_path(export, filename: str) -> str:
    return f"exports/{export.unit_id}/{filename}"


class Export(models.Model):
    """A call's applications and scores as a file, built by a worker; personal data, so each one is
    written in the export log and only the unit's officers download it."""

    call = models.ForeignKey(Call, verbose_name=_("call"), on_delete=models.CASCADE, related_name="exports")
    unit = models.ForeignKey("accounts.Unit", on_delete=models.CASCADE, related_name="+", editable=False)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("requested by"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    format = models.CharField(_("format"), max_length=8, choices=ExportFormat.choices)
    status = models.CharField(_("status"), max_length=8, choices=ExportStatus.choices, default=ExportStatus.QUEUED)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    rows = models.PositiveIntegerField(_("rows"), default=0)
    file = models.FileField(upload_to=export_path, max_length=255, blank=True)
    created_at = models.DateTimeField(_("requested"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    #: When the export last showed life: requested, sent again by the sweep, or a worker's progress.
    #: Unfinished and silent for ``SCREENING_STALE_AFTER``, its worker is taken for dead: the sweep
    #: sends it again and it is built from scratch (``services.exports``).
    heartbeat_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("export")
        verbose_name_plural = _("exports")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.call} ({self.get_format_display()})"
