"""Forms of the enterprise profile: the three steps of the create wizard, the edit page, contacts.

The identifier validators live on the model fields (``enterprises/identifiers.py``); the forms
normalise what people type (spaces, hyphens, the printed BR certificate number) before they run,
and add the rules that depend on the kind of enterprise.
"""

from django import forms
from django.db import models
from django.utils.translation import gettext_lazy as _

from hkhz_portal.core.forms import OneErrorPerFieldMixin

from ..choices import Kind
from ..identifiers import IDENTIFIERS
from ..models import (
    DISTRICT_NOT_MAINLAND,
    DUPLICATE_MESSAGES,
    FIGURES_FIELDS,
    IDENTITY_FIELDS,
    LOCATION_FIELDS,
    ContactPerson,
    Enterprise,
)

MONEY_FIELDS = ("annual_revenue", "rd_spend")

#: The currency a new profile's amounts start in, by kind of enterprise.
CURRENCY_BY_KIND = {Kind.MAINLAND: "CNY", Kind.HONG_KONG: "HKD", Kind.OVERSEAS: "USD"}
CITY_BY_KIND = {Kind.MAINLAND: _("Hangzhou"), Kind.HONG_KONG: _("Hong Kong")}

HELP_TEXTS = {
    "legal_name_en": _("As registered, for example “Hangzhou Example Biotech Co., Ltd.”."),
    "legal_name_zh": _("As registered, for example “杭州示例生物科技有限公司”."),
    "short_name": _("How the enterprise is usually called; shown in lists."),
    "kind": _("Where the enterprise is registered. It decides which identifier we ask for."),
    "uscc": _("Mainland firms: the 18-character code printed on the business licence."),
    "hk_br": _(
        "Hong Kong firms: the 8-digit Business Registration number, or the full number printed on the "
        "certificate (for example 12345678-000-01-26-7)."
    ),
    "hk_cr": _(
        "Hong Kong companies incorporated up to 22 December 2023: the 7-digit Companies Registry number. Optional."
    ),
    "district": _("Mainland firms registered in Hangzhou only."),
    "annual_revenue": _("Last financial year. Leave empty if there is none yet."),
    "rd_spend": _("Last financial year."),
    "website": _("For example https://www.example.com"),
}


def profile_formfield(field, **kwargs):
    """A website typed without a scheme is https (Django 6's default, chosen here already)."""
    if isinstance(field, models.URLField):
        kwargs.setdefault("assume_scheme", "https")
    return field.formfield(**kwargs)


def name_money_parts(field) -> None:
    """Give the amount and the currency of a money field each its own accessible name: Django
    points a two-part widget's ``<label>`` at neither part (here and in the admin)."""
    amount, currency = field.widget.widgets
    amount.attrs["aria-label"] = field.label
    currency.attrs["aria-label"] = _("Currency")


class ProfileFieldsMixin(OneErrorPerFieldMixin):
    """Widgets, help texts and the identifier and kind rules, shared by every profile form."""

    def setup_fields(self):
        for name, text in HELP_TEXTS.items():
            if name in self.fields:
                self.fields[name].help_text = text
        if "founded_on" in self.fields:
            self.fields["founded_on"].widget = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
        for name in ("registered_address", "description_en", "description_zh"):
            if name in self.fields:
                self.fields[name].widget.attrs["rows"] = 3 if name == "registered_address" else 5
        if "description_zh" in self.fields:
            self.fields["description_zh"].widget.attrs["lang"] = "zh"
        if "legal_name_zh" in self.fields:
            self.fields["legal_name_zh"].widget.attrs["lang"] = "zh"
        for name in MONEY_FIELDS:
            if name in self.fields:
                name_money_parts(self.fields[name])
                amount, currency = self.fields[name].widget.widgets
                amount.attrs.update({"class": "money-amount", "inputmode": "decimal"})
                currency.attrs["class"] = "money-currency"
        if "granted_patents" in self.fields:
            self.fields["granted_patents"].widget.attrs["min"] = 0
        if "district" in self.fields:
            self.fields["district"].label = _("District (Hangzhou)")

    # Identifiers: normalised first, then checked by the validators of identifiers.py, so a
    # mistyped code gets one precise message (and a printed BR number fits the 8-digit column).

    def _clean_identifier(self, name):
        normalize, validate = IDENTIFIERS[name]
        value = normalize(self.cleaned_data.get(name)) or None
        if value:
            validate(value)
        return value

    def clean_uscc(self):
        return self._clean_identifier("uscc")

    def clean_hk_br(self):
        return self._clean_identifier("hk_br")

    def clean_hk_cr(self):
        return self._clean_identifier("hk_cr")


class IdentifierFields(forms.ModelForm):
    """The identifier fields take what people paste (spaces, hyphens, the printed BR number);
    the model's 18/8/7-character limits apply after normalising."""

    uscc = forms.CharField(
        label=_("Unified Social Credit Code"),
        max_length=40,
        required=False,
        error_messages={"unique": DUPLICATE_MESSAGES["uscc"]},
    )
    hk_br = forms.CharField(
        label=_("Hong Kong Business Registration number"),
        max_length=40,
        required=False,
        error_messages={"unique": DUPLICATE_MESSAGES["hk_br"]},
    )
    hk_cr = forms.CharField(
        label=_("Companies Registry number"),
        max_length=20,
        required=False,
        error_messages={"unique": DUPLICATE_MESSAGES["hk_cr"]},
    )


class IdentityStepForm(ProfileFieldsMixin, IdentifierFields):
    class Meta:
        model = Enterprise
        fields = IDENTITY_FIELDS

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.setup_fields()


class LocationStepForm(ProfileFieldsMixin, forms.ModelForm):
    """Step 2. The district is asked only of mainland firms (the kind comes from step 1)."""

    class Meta:
        model = Enterprise
        fields = LOCATION_FIELDS

    def __init__(self, *args, kind=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = kind
        if kind != Kind.MAINLAND:
            del self.fields["district"]
        self.setup_fields()

    @property
    def asks_district(self):
        return "district" in self.fields


class FiguresStepForm(ProfileFieldsMixin, forms.ModelForm):
    class Meta:
        model = Enterprise
        fields = FIGURES_FIELDS
        formfield_callback = profile_formfield

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.setup_fields()


class EnterpriseForm(ProfileFieldsMixin, IdentifierFields):
    """The edit page: every profile field on one page, grouped as in the wizard."""

    FIELDSETS = (
        (_("Identity"), IDENTITY_FIELDS),
        (_("Location and profile"), LOCATION_FIELDS),
        (_("Figures and description"), FIGURES_FIELDS),
    )

    class Meta:
        model = Enterprise
        fields = IDENTITY_FIELDS + LOCATION_FIELDS + FIGURES_FIELDS
        formfield_callback = profile_formfield

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.setup_fields()
        self.fields["district"].help_text = DISTRICT_NOT_MAINLAND

    def fieldsets(self):
        return [(legend, [self[name] for name in names]) for legend, names in self.FIELDSETS]


class ContactForm(forms.ModelForm):
    """A contact person; the member attests that the person read the current notice and consented."""

    attest = forms.BooleanField(
        required=True,
        error_messages={
            "required": _("Only add a contact person who has read the notice and consented to cross-border transfer.")
        },
    )

    class Meta:
        model = ContactPerson
        fields = ["name", "title", "email", "phone"]

    def __init__(self, *args, notice_version="", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attest"].label = _(
            "I confirm this person has read the cross-border notice (version %(version)s) and consented "
            "to the transfer of their personal data between the mainland and Hong Kong."
        ) % {"version": notice_version}
        self.fields["phone"].widget.attrs.update({"type": "tel", "autocomplete": "off"})

    @property
    def person_fields(self) -> list:
        """The fields about the person (the attestation is rendered on its own, box first)."""
        return [self[name] for name in self.Meta.fields]

    @property
    def contact_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}
