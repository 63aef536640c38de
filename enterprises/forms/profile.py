"""Forms of the enterprise profile: the three steps of the create wizard, the edit page, contacts.

The identifier validators live on the model fields (``enterprises/identifiers.py``); the forms
normalise what people type (spaces, hyphens, the printed BR certificate number) before they run,
and add the rules that depend on the kind of enterprise.
"""

from django import forms
from django.db import models
from django.forms import BoundField
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from djmoney.forms.widgets import MoneyWidget
from phonenumber_field.formfields import PhoneNumberField

from hkhz_portal.core.forms import DateInput, OneErrorPerFieldMixin, label_empty_choices

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
    "legal_name_zh": _(
        "Mainland firms: required, the registered name as on the business licence, for example "
        "“杭州示例生物科技有限公司”."
    ),
    "annual_revenue": _(
        "Last financial year, in the currency chosen beside the amount. Leave empty if there is none yet."
    ),
    "rd_spend": _("Last financial year, in the currency chosen beside the amount."),
    "website": _("For example https://www.example.com"),
}


#: What an empty choice asks for, instead of "---------".
EMPTY_CHOICES = {
    "kind": _("Choose where it is registered"),
    "sector": _("Choose a sector"),
    "district": _("Choose a district"),
    "stage": _("Choose a stage"),
    "headcount": _("Choose a headcount"),
}

#: Fields that only some kinds of enterprise have (``Enterprise.clean`` refuses them for any other
#: kind): pages show them once that kind is chosen (static/js/portal.js), the server checks them all.
FIELDS_OF_KINDS = {"uscc": [Kind.MAINLAND], "hk_br": [Kind.HONG_KONG], "hk_cr": [Kind.HONG_KONG]}
#: Fields ``Enterprise.clean`` requires of some kinds of enterprise only: marked required for them.
REQUIRED_FOR_KINDS = {"legal_name_zh": [Kind.MAINLAND], "uscc": [Kind.MAINLAND], "hk_br": [Kind.HONG_KONG]}


class AmountAndCurrencyWidget(MoneyWidget):
    """An amount with its currency select beside it. The amount is the field's input: the label
    points at it and the field's help and error describe it; the currency select is named
    "Currency" and its unit is there to read."""

    use_fieldset = False

    def id_for_label(self, id_):
        return f"{id_}_0" if id_ else id_

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        currency = context["widget"]["subwidgets"][1]["attrs"]
        currency.pop("aria-invalid", None)
        currency.pop("aria-describedby", None)
        return context


def amount_and_currency(field) -> None:
    """Give a djmoney form field the ``AmountAndCurrencyWidget``, its inputs styled and named."""
    amount, currency = field.widget.widgets
    amount.attrs.update({"class": "money-amount", "inputmode": "decimal"})
    currency.attrs.update({"class": "money-currency", "aria-label": _("Currency")})
    field.widget = AmountAndCurrencyWidget(
        amount_widget=amount, currency_widget=currency, default_currency=field.widget.default_currency
    )


def profile_formfield(field, **kwargs):
    """A website typed without a scheme is https (Django 6's default, chosen here already)."""
    if isinstance(field, models.URLField):
        kwargs.setdefault("assume_scheme", "https")
    return field.formfield(**kwargs)


class MarkedBoundField(BoundField):
    """A required field's label ends with an asterisk, read out as "required". A field required
    of some kinds of enterprise only (``data-required-kinds``) has the mark too, which
    static/js/portal.js shows only for those kinds once one is chosen."""

    def label_tag(self, contents=None, attrs=None, label_suffix=None, tag=None):
        conditional = "data-required-kinds" in self.field.widget.attrs
        if not (self.field.required or conditional):
            return super().label_tag(contents, attrs, label_suffix, tag)
        contents = contents or self.label
        if label_suffix is None:
            label_suffix = self.field.label_suffix if self.field.label_suffix is not None else self.form.label_suffix
        # The mark follows the colon ("Name: *"), as Django would add it: not after punctuation.
        if label_suffix and contents and contents[-1] not in gettext(":?.!"):
            contents = format_html("{}{}", contents, label_suffix)
        contents = format_html(
            '{}<span class="required-mark"{}> <span aria-hidden="true">*</span>'
            '<span class="visually-hidden">{}</span></span>',
            contents,
            mark_safe(" data-required-mark") if conditional and not self.field.required else "",
            _("required"),
        )
        return super().label_tag(contents, attrs, "", tag)


class RequiredMarkMixin:
    """Labels of required fields carry an asterisk (``MarkedBoundField``)."""

    bound_field_class = MarkedBoundField


class ProfileFieldsMixin(RequiredMarkMixin, OneErrorPerFieldMixin):
    """Widgets, help texts and the identifier and kind rules, shared by every profile form."""

    def setup_fields(self):
        for name, text in HELP_TEXTS.items():
            if name in self.fields:
                self.fields[name].help_text = text
        if "founded_on" in self.fields:
            self.fields["founded_on"].widget = DateInput()
        for name in ("registered_address", "description_en", "description_zh"):
            if name in self.fields:
                self.fields[name].widget.attrs["rows"] = 3 if name == "registered_address" else 5
        if "description_zh" in self.fields:
            self.fields["description_zh"].widget.attrs["lang"] = "zh"
        if "legal_name_zh" in self.fields:
            self.fields["legal_name_zh"].widget.attrs["lang"] = "zh"
        for name in MONEY_FIELDS:
            if name in self.fields:
                amount_and_currency(self.fields[name])
        label_empty_choices(self, EMPTY_CHOICES)
        if "kind" in self.fields:
            self.fields["kind"].label = _("Registered in")
            self.fields["kind"].widget.attrs["data-kind-select"] = ""
        for name, kinds in FIELDS_OF_KINDS.items():
            if name in self.fields:
                self.fields[name].widget.attrs["data-kinds"] = " ".join(kinds)
        for name, kinds in REQUIRED_FOR_KINDS.items():
            if name in self.fields:
                self.fields[name].widget.attrs["data-required-kinds"] = " ".join(kinds)
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
    """Step 1. The kind comes first: it decides which identifiers follow."""

    field_order = ["kind", *(name for name in IDENTITY_FIELDS if name != "kind")]

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


#: How to give a phone number, by the region it is read in (``Enterprise.phone_region``).
PHONE_HELP = {
    "HK": _("As you dial it in Hong Kong (for example 2123 4567), or with + and the country code."),
    "CN": _("As you dial it in the mainland (for example 138 0013 8000), or with + and the country code."),
    None: _("With + and the country code, for example +44 20 7946 0958."),
}


class ContactForm(RequiredMarkMixin, forms.ModelForm):
    """A contact person; the member attests that the person read the current notice and consented.

    The phone number is read in the enterprise's region (``region``) and stored in international form.
    """

    attest = forms.BooleanField(
        required=True,
        # A statement to confirm, not a value to fill in: no required mark after its sentence.
        bound_field_class=BoundField,
        error_messages={
            "required": _("Only add a contact person who has read the notice and consented to cross-border transfer.")
        },
    )

    class Meta:
        model = ContactPerson
        fields = ["name", "title", "email", "phone"]

    def __init__(self, *args, notice_version="", region=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attest"].label = _(
            "I confirm this person has read the cross-border notice (version %(version)s) and consented "
            "to the transfer of their personal data between the mainland and Hong Kong."
        ) % {"version": notice_version}
        self.fields["phone"] = PhoneNumberField(
            region=region,
            required=False,
            label=_("Phone"),
            help_text=PHONE_HELP[region],
            error_messages={
                "invalid": _(
                    "This is not a phone number we can read: check the digits, or give it with + and the country code."
                )
            },
            widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
        )

    @property
    def person_fields(self) -> list:
        """The fields about the person (the attestation is rendered on its own, box first)."""
        return [self[name] for name in self.Meta.fields]

    @property
    def contact_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}
