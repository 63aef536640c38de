"""A fund and its capital: every figure (committed, called, invested, remaining) is a sum of its
``CapitalTransaction``s in the fund's currency, each converted once, when recorded, at the rate
stored with it."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from djmoney.models.fields import MoneyField

from enterprises.choices import CURRENCIES
from enterprises.models import validate_not_negative
from hkhz_portal.core.validators import validate_multiline_text, validate_plain_text
from programs.models.applications import Trilingual, _text

#: Money is kept to the cent, in amounts up to a hundred trillion.
MONEY_DIGITS = {"max_digits": 16, "decimal_places": 2}


def money(verbose_name, **kwargs):
    """A Money field of the fund's kind: to the cent, never negative, in one of the portal's currencies."""
    return MoneyField(
        verbose_name,
        **MONEY_DIGITS,
        default_currency="CNY",
        currency_choices=CURRENCIES,
        validators=[validate_not_negative],
        **kwargs,
    )


class Fund(Trilingual):
    """A fund the portal runs: its managers and committee members are the staff of its ``unit``."""

    unit = models.ForeignKey("accounts.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="funds")
    slug = models.SlugField(_("short name in links"), unique=True)
    name_en = _text(_("name"), _("English"))
    name_zh_hans = _text(_("name"), _("Simplified Chinese"))
    name_zh_hant = _text(_("name"), _("Traditional Chinese"))
    currency = models.CharField(_("currency"), max_length=3, choices=CURRENCIES)
    target_size = money(_("target size"))
    vintage = models.PositiveSmallIntegerField(
        _("vintage"),
        validators=[MinValueValidator(2000), MaxValueValidator(2100)],
        help_text=_("The year of first close."),
    )
    quorum = models.PositiveSmallIntegerField(
        _("quorum"),
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(50)],
        help_text=_("How many members without a conflict must vote for a committee decision to stand."),
    )
    majority_percent = models.PositiveSmallIntegerField(
        _("majority (%)"),
        default=50,
        validators=[MinValueValidator(50), MaxValueValidator(99)],
        help_text=_("A deal is approved when more than this share of the votes for or against are for it."),
    )
    chair_casting_vote = models.BooleanField(
        _("the chair has a casting vote"),
        default=True,
        help_text=_("On a tie the chair decides; otherwise a tie rejects the deal."),
    )
    window_days = models.PositiveSmallIntegerField(
        _("priority window (days)"),
        default=30,
        validators=[MinValueValidator(1), MaxValueValidator(365)],
        help_text=_("How long the fund has to exercise its priority right, from the notice of a financing round."),
    )
    window_business_days = models.BooleanField(
        _("count the window in working days"),
        default=False,
        help_text=_("Working days on the enterprise's calendar (Hong Kong or mainland), not calendar days."),
    )

    class Meta:
        verbose_name = _("fund")
        verbose_name_plural = _("funds")
        ordering = ["slug"]

    def __str__(self):
        return self.name

    @property
    def name(self):
        return self.text("name")

    def clean(self):
        if self.target_size is not None and self.currency and str(self.target_size.currency) != self.currency:
            raise ValidationError({"target_size": _("State the target size in the fund's currency.")})


class TransactionKind(models.TextChoices):
    COMMITMENT = "commitment", _("Commitment")
    CALL = "call", _("Capital call")
    INVESTMENT = "investment", _("Investment")
    DISTRIBUTION = "distribution", _("Exit proceeds")


class CapitalTransaction(models.Model):
    """One movement of the fund's capital. ``amount`` is in the currency it was paid in;
    ``fund_amount`` is the same in the fund's currency, converted at ``fx_rate`` (the fund's
    currency for one unit of the amount's) and rounded to the cent once, when recorded."""

    fund = models.ForeignKey(Fund, verbose_name=_("fund"), on_delete=models.PROTECT, related_name="transactions")
    kind = models.CharField(_("kind"), max_length=16, choices=TransactionKind.choices)
    deal = models.ForeignKey(
        "funds.Deal",
        verbose_name=_("deal"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="transactions",
    )
    counterparty = models.CharField(
        _("counterparty"),
        max_length=200,
        blank=True,
        validators=[validate_plain_text],
        help_text=_("The investor committing or called, or the buyer paying exit proceeds."),
    )
    amount = money(_("amount"))
    fx_rate = models.DecimalField(
        _("exchange rate"),
        max_digits=18,
        decimal_places=8,
        default=1,
        validators=[MinValueValidator(0)],
        help_text=_("The fund's currency for one unit of the amount's currency; 1 when they are the same."),
    )
    fund_amount = models.DecimalField(_("in the fund's currency"), **MONEY_DIGITS, editable=False)
    value_date = models.DateField(_("value date"))
    note = models.TextField(_("note"), blank=True, validators=[validate_multiline_text])
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        verbose_name = _("capital transaction")
        verbose_name_plural = _("capital transactions")
        ordering = ["value_date", "id"]
        indexes = [models.Index(fields=["fund", "kind", "value_date"], name="fund_txn_kind_date_idx")]
        constraints = [
            models.CheckConstraint(condition=Q(fx_rate__gt=0), name="fund_txn_rate_positive"),
            models.CheckConstraint(condition=Q(fund_amount__gte=0), name="fund_txn_amount_not_negative"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.amount}"
