"""Priority investment rights: a platform enterprise's ``FinancingRound`` gives each fund a
``PriorityWindow``, with the round's terms frozen in it, that ends exactly once: exercised,
waived or expired. An offer to others on better terms (``RoundOffer``) after a waiver or an
expiry opens a new window, ``revived_from`` the ended one."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from hkhz_portal.core.validators import validate_multiline_text, validate_plain_text

from .deals import Instrument
from .fund import money


class FinancingRound(models.Model):
    enterprise = models.ForeignKey(
        "enterprises.Enterprise", verbose_name=_("enterprise"), on_delete=models.PROTECT, related_name="rounds"
    )
    name = models.CharField(
        _("round"), max_length=100, validators=[validate_plain_text], help_text=_("For example “Series A”.")
    )
    amount_sought = money(_("amount sought"))
    pre_money = money(_("pre-money valuation"))
    instrument = models.CharField(_("instrument"), max_length=20, choices=Instrument.choices)
    terms = models.TextField(
        _("other terms"),
        blank=True,
        validators=[validate_multiline_text],
        help_text=_("Liquidation preference, board seats, anything else investors are offered."),
    )
    closing_target = models.DateField(_("target closing date"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        verbose_name = _("financing round")
        verbose_name_plural = _("financing rounds")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["enterprise", "-created_at"], name="round_enterprise_idx")]

    def __str__(self):
        return self.name


class RoundOffer(models.Model):
    """The enterprise offering its round to other investors, on the terms it states."""

    round = models.ForeignKey(FinancingRound, on_delete=models.CASCADE, related_name="offers")
    amount = money(_("amount offered"))
    pre_money = money(_("pre-money valuation"))
    instrument = models.CharField(_("instrument"), max_length=20, choices=Instrument.choices)
    terms = models.TextField(_("other terms"), blank=True, validators=[validate_multiline_text])
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        verbose_name = _("offer to other investors")
        verbose_name_plural = _("offers to other investors")
        ordering = ["created_at", "id"]

    def __str__(self):
        return f"{self.round}: {self.pre_money}"


class WindowState(models.TextChoices):
    OPEN = "open", _("Open")
    EXERCISED = "exercised", _("Exercised")
    WAIVED = "waived", _("Waived")
    EXPIRED = "expired", _("Expired")


class PriorityWindow(models.Model):
    fund = models.ForeignKey("funds.Fund", verbose_name=_("fund"), on_delete=models.PROTECT, related_name="windows")
    round = models.ForeignKey(FinancingRound, verbose_name=_("round"), on_delete=models.PROTECT, related_name="windows")
    state = models.CharField(_("state"), max_length=16, choices=WindowState.choices, default=WindowState.OPEN)
    notice_received_at = models.DateTimeField(_("notice received"))
    ends_at = models.DateTimeField(_("ends"))
    #: The round's terms when the window opened, frozen: amount_sought, pre_money (each
    #: {"amount": "…", "currency": "…"}), instrument, terms, closing_target.
    terms = models.JSONField(_("frozen terms"), editable=False)
    revived_from = models.OneToOneField(
        "self",
        verbose_name=_("revives"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="revival",
        editable=False,
    )
    ended_at = models.DateTimeField(_("ended"), null=True, blank=True, editable=False)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("ended by"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    decision = models.TextField(
        _("decision"), blank=True, validators=[validate_multiline_text], help_text=_("The fund's recorded decision.")
    )
    commitment = money(_("commitment"), null=True, blank=True)
    deal = models.ForeignKey(
        "funds.Deal", verbose_name=_("deal"), on_delete=models.SET_NULL, null=True, blank=True, related_name="windows"
    )

    class Meta:
        verbose_name = _("priority window")
        verbose_name_plural = _("priority windows")
        ordering = ["ends_at", "id"]
        indexes = [
            models.Index(fields=["ends_at"], condition=Q(state="open"), name="window_open_ends_idx"),
            models.Index(fields=["fund", "state", "ends_at"], name="window_fund_state_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["fund", "round"], condition=Q(state="open"), name="window_one_open_per_round"
            ),
            models.CheckConstraint(
                condition=Q(state="open", ended_at__isnull=True) | ~Q(state="open") & Q(ended_at__isnull=False),
                name="window_ended_once",
            ),
            models.CheckConstraint(
                condition=Q(state="exercised", commitment__isnull=False) | ~Q(state="exercised"),
                name="window_exercise_commits",
            ),
        ]

    def __str__(self):
        return f"{self.round} ({self.get_state_display()})"


class WindowReminder(models.Model):
    """A reminder sent to the fund that a window ends in ``days_before`` days: each is sent once."""

    window = models.ForeignKey(PriorityWindow, on_delete=models.CASCADE, related_name="reminders")
    days_before = models.PositiveSmallIntegerField()
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("window reminder")
        verbose_name_plural = _("window reminders")
        constraints = [models.UniqueConstraint(fields=["window", "days_before"], name="window_reminder_once")]

    def __str__(self):
        return f"{self.window} −{self.days_before}d"
