"""The staff directory's search form (GET): free text, facets and page size."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ..choices import HangzhouDistrict, Kind, Sector, Stage

PAGE_SIZES = (25, 50, 100)
DEFAULT_PAGE_SIZE = PAGE_SIZES[0]


def _any(choices):
    return [("", _("Any")), *choices]


class DirectorySearchForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=200,
        help_text=_("Name in English or Chinese, Unified Social Credit Code or BR number."),
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )
    sector = forms.ChoiceField(label=_("Sector"), choices=_any(Sector.choices), required=False)
    district = forms.ChoiceField(label=_("District"), choices=_any(HangzhouDistrict.choices), required=False)
    stage = forms.ChoiceField(label=_("Stage"), choices=_any(Stage.choices), required=False)
    kind = forms.ChoiceField(label=_("Kind"), choices=_any(Kind.choices), required=False)
    per_page = forms.TypedChoiceField(
        label=_("Rows per page"),
        choices=[(n, n) for n in PAGE_SIZES],
        coerce=int,
        required=False,
        empty_value=DEFAULT_PAGE_SIZE,
    )

    def filters(self) -> dict:
        """The valid part of the search; a bad value (e.g. an unknown page size) falls back to the default."""
        data = self.cleaned_data if self.is_bound else {}
        return {
            "q": data.get("q", ""),
            "sector": data.get("sector", ""),
            "district": data.get("district", ""),
            "stage": data.get("stage", ""),
            "kind": data.get("kind", ""),
        }

    def page_size(self) -> int:
        data = self.cleaned_data if self.is_bound else {}
        return data.get("per_page") or DEFAULT_PAGE_SIZE
