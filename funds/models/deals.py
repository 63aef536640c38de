"""A deal in the pipeline, its append-only stage log, its internal notes and documents, its
due-diligence checklist (drawn from ``DiligenceTemplateItem``s), and what the fund invested in
it and got back (``Investment``, ``Exit``, each with its ``CapitalTransaction``).

Nothing here is the enterprise's to read except the deal's stage as its own request's status
(``funds.display``): notes, documents, the checklist and the committee's votes are the fund's.
"""

import uuid
from pathlib import PurePath

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from hkhz_portal.core.validators import validate_multiline_text
from programs.models.applications import Trilingual, _text

from ..workflow import OPEN_STAGES, Source, Stage
from .fund import money


class Deal(models.Model):
    reference = models.CharField(_("reference"), max_length=20, unique=True, editable=False)
    fund = models.ForeignKey("funds.Fund", verbose_name=_("fund"), on_delete=models.PROTECT, related_name="deals")
    enterprise = models.ForeignKey(
        "enterprises.Enterprise", verbose_name=_("enterprise"), on_delete=models.PROTECT, related_name="deals"
    )
    stage = models.CharField(_("stage"), max_length=16, choices=Stage.choices, default=Stage.SOURCED)
    source = models.CharField(_("source"), max_length=16, choices=Source.choices)
    application = models.ForeignKey(
        "programs.Application",
        verbose_name=_("admission"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="deals",
    )
    amount_sought = money(_("amount sought"), null=True, blank=True)
    summary = models.TextField(_("summary"), validators=[validate_multiline_text])
    lead = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("deal lead"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="led_deals",
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("requested by"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    #: Why the deal was declined; the enterprise reads it on its own request.
    decline_reason = models.TextField(_("reason"), blank=True, validators=[validate_multiline_text])
    created_at = models.DateTimeField(_("sourced"), auto_now_add=True)
    stage_changed_at = models.DateTimeField(_("stage changed"), auto_now_add=True)

    class Meta:
        verbose_name = _("deal")
        verbose_name_plural = _("deals")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["fund", "stage", "-stage_changed_at"], name="deal_board_idx"),
            models.Index(fields=["enterprise", "-created_at"], name="deal_enterprise_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["fund", "enterprise"],
                condition=Q(stage__in=sorted(OPEN_STAGES)),
                name="deal_one_open_per_enterprise",
                violation_error_message=_("This enterprise already has a deal in the fund's pipeline."),
            )
        ]

    def __str__(self):
        return self.reference

    @property
    def reason(self) -> str:
        """Why the deal was declined, in the reader's language: a manager's words as written, the
        portal's own (a committee's rejection, ``services.committee.REJECTED_REASON``) translated."""
        return gettext(self.decline_reason) if self.decline_reason else ""


class DealStageChange(models.Model):
    """One step of a deal's life, append-only: the deal page's timeline reads these."""

    deal = models.ForeignKey(Deal, on_delete=models.CASCADE, related_name="stage_changes")
    transition = models.CharField(_("step"), max_length=32)
    from_stage = models.CharField(_("from"), max_length=16, choices=Stage.choices, blank=True)
    to_stage = models.CharField(_("to"), max_length=16, choices=Stage.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    note = models.TextField(_("reason"), blank=True, validators=[validate_multiline_text])
    created_at = models.DateTimeField(_("time"), auto_now_add=True)

    class Meta:
        verbose_name = _("deal stage change")
        verbose_name_plural = _("deal stage changes")
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["deal", "created_at"], name="deal_change_deal_idx")]

    def __str__(self):
        return f"{self.deal} {self.from_stage or '-'} → {self.to_stage}"


class DealNote(models.Model):
    """A fund manager's internal note on a deal: the fund's alone."""

    deal = models.ForeignKey(Deal, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("author"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    body = models.TextField(_("note"), validators=[validate_multiline_text])
    created_at = models.DateTimeField(_("written"), auto_now_add=True)

    class Meta:
        verbose_name = _("deal note")
        verbose_name_plural = _("deal notes")
        ordering = ["created_at", "id"]

    def __str__(self):
        return f"{self.deal} #{self.pk}"


class DiligenceArea(models.TextChoices):
    FINANCIAL = "financial", _("Financial")
    LEGAL = "legal", _("Legal")
    IP = "ip", _("Intellectual property")
    REGULATORY = "regulatory", _("Regulatory")
    TEAM = "team", _("Team")


class DiligenceTemplateItem(Trilingual):
    """One item of the due-diligence template of an area; each deal entering due diligence gets a
    copy of the active ones."""

    area = models.CharField(_("area"), max_length=16, choices=DiligenceArea.choices)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    title_en = _text(_("title"), _("English"))
    title_zh_hans = _text(_("title"), _("Simplified Chinese"))
    title_zh_hant = _text(_("title"), _("Traditional Chinese"))
    is_active = models.BooleanField(_("in use"), default=True, help_text=_("Items no longer in use are not copied."))

    class Meta:
        verbose_name = _("due-diligence template item")
        verbose_name_plural = _("due-diligence template")
        ordering = ["area", "order", "id"]

    def __str__(self):
        return self.title

    @property
    def title(self):
        return self.text("title")


class ItemStatus(models.TextChoices):
    TO_DO = "to_do", _("To do")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    FLAGGED = "flagged", _("Red flag")
    NOT_APPLICABLE = "not_applicable", _("Not applicable")


class DiligenceItem(Trilingual):
    """One item of a deal's due-diligence checklist: who owns it, where it stands, the evidence
    (``DealDocument``s) and a reviewer's sign-off (someone other than its owner)."""

    deal = models.ForeignKey(Deal, on_delete=models.CASCADE, related_name="checklist")
    area = models.CharField(_("area"), max_length=16, choices=DiligenceArea.choices)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    title_en = _text(_("title"), _("English"))
    title_zh_hans = _text(_("title"), _("Simplified Chinese"))
    title_zh_hant = _text(_("title"), _("Traditional Chinese"))
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="diligence_items",
    )
    status = models.CharField(_("status"), max_length=16, choices=ItemStatus.choices, default=ItemStatus.TO_DO)
    finding = models.TextField(_("finding"), blank=True, validators=[validate_multiline_text])
    signed_off_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("signed off by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    signed_off_at = models.DateTimeField(_("signed off"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("due-diligence item")
        verbose_name_plural = _("due-diligence checklist")
        ordering = ["deal", "area", "order", "id"]
        indexes = [models.Index(fields=["deal", "signed_off_at"], name="deal_item_signoff_idx")]

    def __str__(self):
        return self.title

    @property
    def title(self):
        return self.text("title")


def deal_document_path(document, filename):
    """Stored under an unguessable name; the original name is kept on the row for downloads."""
    suffix = PurePath(filename).suffix.lower()[:8]
    return f"deals/{document.deal.reference}/{uuid.uuid4().hex}{suffix}"


class DealDocument(models.Model):
    """A document of the deal's file, checked like every upload; evidence of a checklist item
    when ``item`` is set."""

    deal = models.ForeignKey(Deal, on_delete=models.CASCADE, related_name="documents")
    item = models.ForeignKey(
        DiligenceItem,
        verbose_name=_("checklist item"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="evidence",
    )
    file = models.FileField(upload_to=deal_document_path, max_length=255)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField(_("size"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        verbose_name = _("deal document")
        verbose_name_plural = _("deal documents")
        ordering = ["created_at", "id"]

    def __str__(self):
        return self.original_name


class Instrument(models.TextChoices):
    EQUITY = "equity", _("Equity")
    CONVERTIBLE_NOTE = "convertible_note", _("Convertible note")
    SAFE = "safe", _("Simple agreement for future equity (SAFE-like)")


class InvestmentKind(models.TextChoices):
    INITIAL = "initial", _("Initial investment")
    FOLLOW_ON = "follow_on", _("Follow-on")


def _percent(verbose_name):
    return models.DecimalField(
        verbose_name,
        max_digits=7,
        decimal_places=4,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )


class Investment(models.Model):
    """Money the fund put into a deal: at its closing, and each follow-on."""

    deal = models.ForeignKey(Deal, verbose_name=_("deal"), on_delete=models.PROTECT, related_name="investments")
    kind = models.CharField(_("kind"), max_length=16, choices=InvestmentKind.choices)
    instrument = models.CharField(_("instrument"), max_length=20, choices=Instrument.choices)
    amount = money(_("amount"))
    pre_money = money(
        _("pre-money valuation"),
        null=True,
        blank=True,
        help_text=_("For a convertible note or a SAFE, the valuation cap, if any."),
    )
    ownership_percent = _percent(_("ownership after the round (%)"))
    closed_on = models.DateField(_("closed on"))
    transaction = models.OneToOneField(
        "funds.CapitalTransaction", on_delete=models.PROTECT, related_name="investment", editable=False
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        verbose_name = _("investment")
        verbose_name_plural = _("investments")
        ordering = ["closed_on", "id"]
        constraints = [
            models.UniqueConstraint(fields=["deal"], condition=Q(kind="initial"), name="deal_one_initial_investment")
        ]

    def __str__(self):
        return f"{self.deal} {self.amount}"


class ExitKind(models.TextChoices):
    TRADE_SALE = "trade_sale", _("Trade sale")
    IPO = "ipo", _("Listing (IPO)")
    SECONDARY = "secondary", _("Secondary sale")
    BUYBACK = "buyback", _("Buy-back")
    WRITE_OFF = "write_off", _("Write-off")


class Exit(models.Model):
    """A full or partial exit from a portfolio company, with the proceeds (none for a write-off)."""

    deal = models.ForeignKey(Deal, verbose_name=_("deal"), on_delete=models.PROTECT, related_name="exits")
    kind = models.CharField(_("kind"), max_length=16, choices=ExitKind.choices)
    proceeds = money(_("proceeds"))
    stake_sold_percent = _percent(_("share of the holding sold (%)"))
    exited_on = models.DateField(_("date"))
    transaction = models.OneToOneField(
        "funds.CapitalTransaction",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="exit",
        editable=False,
    )
    note = models.TextField(_("note"), blank=True, validators=[validate_multiline_text])
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        verbose_name = _("exit")
        verbose_name_plural = _("exits")
        ordering = ["exited_on", "id"]

    def __str__(self):
        return f"{self.deal} {self.get_kind_display()}"
