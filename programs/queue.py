"""The officer queue: its search box, its filters and sorting, as one GET form; and what every
staff queue shares (``ListForm``, ``CappedPaginator``, ``compact_reference``), which the service
centres' queue (``programs.centres.queue``) builds on.

The search box takes free text (a reference, a name in English or in either Chinese script,
a USCC or BR number) and terms: ``status:``, ``call:`` and ``sector:``, each with one value
or several separated by commas (``status:needs_attention,in_review``). A term it cannot read
becomes a message under the box, never an error page: the rest of the search still runs.

Everything the queue filters or sorts on is a column of ``Application`` written at
submission (``services.applications.QUEUE_COLUMNS``) and indexed; answers are never read.
"""

import re
import unicodedata
from dataclasses import dataclass, field

from django import forms
from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from enterprises.choices import HangzhouDistrict, Sector
from enterprises.identifiers import normalize_hk_br, normalize_uscc
from hkhz_portal.core.search import normalise_text

from .workflow import Status, reachable_states

PAGE_SIZES = (25, 50, 100)
DEFAULT_PAGE_SIZE = PAGE_SIZES[0]
#: The queue counts its matches up to here: past it, "more than" is all an officer needs, and
#: counting a whole unit's applications was the slowest part of the page (docs/benchmarks.md).
COUNT_CAP = 1000

#: The sort orders offered, each ending on a unique column so that pages never overlap.
SORTS = {
    "newest": (_("Submitted, newest first"), ("-submitted_at", "-id")),
    "oldest": (_("Submitted, oldest first"), ("submitted_at", "id")),
    "changed": (_("Status changed, latest first"), ("-status_changed_at", "-id")),
    "reference": (_("Reference"), ("reference",)),
    "name": (_("Enterprise name"), ("enterprise_name_en", "id")),
}
DEFAULT_SORT = "newest"

#: The columns a queue row shows: nothing else is read.
ROW_FIELDS = (
    "reference",
    "call_id",
    "status",
    "enterprise_name_en",
    "enterprise_name_zh",
    "sector",
    "district",
    "submitted_at",
    "flagged",
    "info_due_at",
)

#: The form's fields that narrow the queue (a page showing any of them offers "Clear").
FILTERS = ("q", "call", "status", "sector", "district", "flagged", "waiting", "overdue")
SELECTED = mark_safe(" selected")
TERM = re.compile(r"^([a-z_]+):(.*)$")
#: A portal reference once whitespace and hyphens are gone: HKSP-2026-00042 typed as "hksp 2026 00042".
COMPACT_REFERENCE = re.compile(r"([A-Z]{2,8})([0-9]{4})([0-9]{5,})")


def queue_states() -> list[Status]:
    """The states an application in the queue can be in: every declared one but the draft."""
    return [s for s in reachable_states() if s != Status.DRAFT]


@dataclass
class ParsedSearch:
    text: str = ""
    statuses: list = field(default_factory=list)
    calls: list = field(default_factory=list)
    sectors: list = field(default_factory=list)
    problems: list = field(default_factory=list)


def _word(value: str) -> str:
    return value.strip().lower().replace("-", "_")


def parse_search(query: str, *, call_slugs=()) -> ParsedSearch:
    """Split the search box into free text and terms; ``call_slugs`` are the calls the officer
    may name. Unknown terms and values are reported in ``problems`` and left out."""
    parsed = ParsedSearch()
    # NFKC: a Chinese input method types "status：" with a full-width colon.
    words = []
    for token in unicodedata.normalize("NFKC", query or "").split():
        match = TERM.match(token.lower())
        if not match:
            words.append(token)
            continue
        key, raw = match.groups()
        values = [v.strip() for v in raw.split(",") if v.strip()]
        if key == "status":
            values = [_word(v) for v in values]
            known = {s.value for s in queue_states()}
            target = parsed.statuses
        elif key == "call":
            known = set(call_slugs)
            target = parsed.calls
        elif key == "sector":
            values = [_word(v) for v in values]
            known = set(Sector.values)
            target = parsed.sectors
        else:
            parsed.problems.append(
                _("“%(term)s” is not a search term: use status:, call: or sector:.") % {"term": f"{key}:"}
            )
            continue
        if not values:
            parsed.problems.append(_("“%(term)s” needs a value after the colon.") % {"term": f"{key}:"})
        for value in values:
            if value in known:
                target.append(value)
            else:
                parsed.problems.append(
                    _("No %(term)s “%(value)s”: it was left out of the search.") % {"term": key, "value": value}
                )
    parsed.text = " ".join(words)
    return parsed


def compact_reference(text: str, prefix: str) -> str | None:
    """The reference with ``prefix`` that ``text`` is, however spaced or hyphenated
    ("hksp 2026 00042" is HKSP-2026-00042); None if it is none."""
    found = COMPACT_REFERENCE.fullmatch(normalize_uscc(text))
    if found is None or found[1] != prefix:
        return None
    return f"{prefix}-{found[2]}-{found[3]}"


def text_match(text: str) -> Q | None:
    """Applications whose reference, name (either language, either script), USCC or BR matches."""
    normalised = normalise_text(text)
    if not normalised:
        return None
    compact = normalize_uscc(text)
    match = Q(search_text__contains=normalised) | Q(uscc=compact) | Q(hk_br__in={compact, normalize_hk_br(text)})
    if reference := compact_reference(text, "HKSP"):
        match |= Q(reference=reference)
    return match


def _any(choices):
    return [("", _("Any")), *choices]


class ListForm(forms.Form):
    """A staff queue's search, filters, sort and page size, as one GET form. Bad values fall back
    to the default (with the field's error shown), so a hand-edited link still gives a page.

    A queue declares its filter fields, ``sorts`` (``{key: (label, order)}``, each order ending
    on a unique column so that pages never overlap), ``default_sort`` and ``filters`` (the fields
    that narrow it: a page showing any of them offers "Clear"); the sort and page size come last.
    """

    sorts: dict = {}
    default_sort: str = ""
    filters: tuple = ()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sort"] = forms.ChoiceField(
            label=_("Sort by"), choices=[(k, label) for k, (label, _order) in self.sorts.items()], required=False
        )
        self.fields["per_page"] = forms.TypedChoiceField(
            label=_("Rows per page"),
            choices=[(n, n) for n in PAGE_SIZES],
            coerce=int,
            required=False,
            empty_value=DEFAULT_PAGE_SIZE,
        )

    def _data(self) -> dict:
        if not self.is_bound:
            return {}
        self.is_valid()
        return self.cleaned_data

    def order(self) -> tuple:
        """The columns of the chosen sort."""
        _label, order = self.sorts[self._data().get("sort") or self.default_sort]
        return order

    def page_size(self) -> int:
        return self._data().get("per_page") or DEFAULT_PAGE_SIZE

    def controls(self) -> dict:
        """The selects (options already marked up) and checkboxes, for the page to lay out by
        hand: Django's widget templates cost more than the queue's rows (docs/benchmarks.md)."""
        self._data()
        selects, checks = [], []
        for bound in self:
            if bound.name == "q":
                continue
            entry = {"name": bound.html_name, "id": bound.id_for_label, "label": bound.label, "errors": bound.errors}
            if isinstance(bound.field, forms.BooleanField):
                checks.append({**entry, "checked": bool(self.is_bound and self.cleaned_data.get(bound.name))})
                continue
            current = str(bound.value() or "")
            choices = bound.field.choices
            options = ((value, SELECTED if str(value) == current else "", label) for value, label in choices)
            selects.append({**entry, "options": format_html_join("", '<option value="{}"{}>{}</option>', options)})
        return {"selects": selects, "checks": checks}

    @property
    def filtering(self) -> bool:
        data = self._data()
        return any(data.get(name) for name in self.filters)


class QueueForm(ListForm):
    """The unit's submitted applications: search box, filters, sort and page size."""

    sorts = SORTS
    default_sort = DEFAULT_SORT
    filters = FILTERS

    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=200,
        help_text=_("Reference, name in English or Chinese, USCC or BR number; or status:, call:, sector: terms."),
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )
    call = forms.ChoiceField(label=_("Call"), required=False)
    status = forms.ChoiceField(label=_("Status"), required=False)
    sector = forms.ChoiceField(label=_("Sector"), choices=_any(Sector.choices), required=False)
    district = forms.ChoiceField(label=_("District"), choices=_any(HangzhouDistrict.choices), required=False)
    flagged = forms.BooleanField(label=_("Flagged by screening"), required=False)
    waiting = forms.BooleanField(label=_("Waiting on the applicant"), required=False)
    overdue = forms.BooleanField(label=_("Information overdue"), required=False)

    def __init__(self, *args, calls=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.calls = list(calls)
        self.fields["call"].choices = _any([(c.slug, c.title) for c in self.calls])
        self.fields["status"].choices = _any([(s.value, s.label) for s in queue_states()])
        self.search = ParsedSearch()

    def apply(self, applications: QuerySet) -> QuerySet:
        """The unit's submitted applications as this form filters and sorts them, with the row
        columns only. Reads ``self.search`` (the parsed box) for the page's messages."""
        data = self._data()
        self.search = parse_search(data.get("q", ""), call_slugs=[c.slug for c in self.calls])
        qs = applications.filter(submitted_at__isnull=False)
        if self.search.text and (match := text_match(self.search.text)) is not None:
            qs = qs.filter(match)
        by_slug = {c.slug: c.pk for c in self.calls}
        # A filter and a term on the same column both apply; a term's values are alternatives.
        for column, values in (
            ("call_id", [by_slug[data["call"]]] if data.get("call") else []),
            ("call_id", [by_slug[slug] for slug in self.search.calls]),
            ("status", [data["status"]] if data.get("status") else []),
            ("status", self.search.statuses),
            ("sector", [data["sector"]] if data.get("sector") else []),
            ("sector", self.search.sectors),
            ("district", [data["district"]] if data.get("district") else []),
        ):
            if values:
                qs = qs.filter(**{f"{column}__in": values})
        if data.get("flagged"):
            qs = qs.filter(flagged=True)
        if data.get("waiting"):
            qs = qs.filter(status=Status.MORE_INFO_REQUESTED)
        if data.get("overdue"):
            qs = qs.filter(info_due_at__lt=timezone.now())
        return qs.only(*ROW_FIELDS).order_by(*self.order())


class CappedPaginator(Paginator):
    """Pages over at most ``COUNT_CAP`` matches, counted with ``LIMIT`` so that the count costs
    the same for a unit of a hundred applications or of a hundred thousand; ``capped`` says
    there are more (narrow the search or change the sort to reach them). The count is not
    sorted: any thousand and one matches tell as much as the first ones."""

    @cached_property
    def _counted(self) -> int:
        return self.object_list.order_by()[: COUNT_CAP + 1].count()

    @cached_property
    def count(self) -> int:
        return min(self._counted, COUNT_CAP)

    @property
    def capped(self) -> bool:
        return self._counted > COUNT_CAP
