"""The partner directory (``/api/v1/directory/``): the enterprises that chose to be listed
(``listed_in_directory``), with their public fields only, for keys with ``directory:read`` and
for staff and partner users by their roles.

It is the partner API's busiest list, so it reads rows with ``values()`` (one query, only the
public columns) and writes them out without a field-by-field serializer; see
``docs/benchmarks.md`` for what that buys.
"""

import datetime

import django_filters
from django import forms
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers, viewsets

from hkhz_portal.accounts.api_keys import HasScope, Scope, ScopePermission
from hkhz_portal.core.converters import REFERENCE_REGEX
from hkhz_portal.core.filters import OrderingFilter
from hkhz_portal.core.pagination import CursorPage
from hkhz_portal.core.search import normalise_text

from . import api_schema as docs
from . import partners
from .choices import HangzhouDistrict, Sector, Stage
from .models import Enterprise


class DirectoryOrdering(OrderingFilter):
    """``?ordering=`` by reference or English name, either way; a name sorts ties by reference,
    so a cursor's position is exact whatever names repeat."""

    def get_ordering(self, request, queryset, view):
        ordering = list(super().get_ordering(request, queryset, view) or [])
        if ordering and ordering[0].lstrip("-") != "reference":
            ordering.append("reference")
        return ordering


class YearFilter(django_filters.NumberFilter):
    field_class = forms.IntegerField


class DirectoryFilter(django_filters.FilterSet):
    """Filters of the directory. Founding is filtered by year only: the exact date is not public,
    and a date filter would let a client find it by halving the range."""

    sector = django_filters.ChoiceFilter(choices=Sector.choices)
    district = django_filters.ChoiceFilter(choices=HangzhouDistrict.choices)
    stage = django_filters.ChoiceFilter(choices=Stage.choices)
    admitted = django_filters.TypedChoiceFilter(
        choices=[("true", "true"), ("false", "false")],
        coerce=lambda value: value == "true",
        help_text=_("Admitted to Hong Kong Science Park (true), or not (false)."),
    )
    founded_after = YearFilter(
        method="filter_founded_after",
        min_value=1900,
        max_value=2100,
        help_text=_("Founded in a later year than this one."),
    )
    founded_before = YearFilter(
        method="filter_founded_before",
        min_value=1900,
        max_value=2100,
        help_text=_("Founded in an earlier year than this one."),
    )
    search = django_filters.CharFilter(
        method="filter_search",
        max_length=200,
        help_text=_("Part of the name in English or Chinese, in Simplified or Traditional characters."),
    )

    class Meta:
        model = Enterprise
        fields = []

    def filter_founded_after(self, queryset, name, year):
        return queryset.filter(founded_on__gte=datetime.date(year + 1, 1, 1))

    def filter_founded_before(self, queryset, name, year):
        return queryset.filter(founded_on__lt=datetime.date(year, 1, 1))

    def filter_search(self, queryset, name, value):
        needle = normalise_text(value)
        return queryset.filter(search_names__contains=needle) if needle else queryset


class DirectoryFilterBackend(DjangoFilterBackend):
    """django-filter builds and validates a form of every filter on each request, about a third
    of an unfiltered page's time (``docs/benchmarks.md``); a request that names none of the
    filters gets the same rows without it."""

    def filter_queryset(self, request, queryset, view):
        if request.query_params.keys().isdisjoint(view.filterset_class.base_filters):
            return queryset
        return super().filter_queryset(request, queryset, view)


class DirectoryEntrySerializer(serializers.Serializer):
    """One listed enterprise. The declared fields are the schema; ``to_representation`` fills
    them straight from a ``partners.directory()`` row, since every column is already a plain
    value (a test holds the two to the same keys)."""

    reference = serializers.CharField()
    name_en = serializers.CharField(help_text=_("Legal name in English."))
    name_zh = serializers.CharField(help_text=_("Legal name in Chinese, as registered; may be empty."))
    short_name = serializers.CharField()
    sector = serializers.ChoiceField(choices=Sector.choices)
    district = serializers.ChoiceField(
        choices=HangzhouDistrict.choices, allow_blank=True, help_text=_("Hangzhou district (mainland enterprises).")
    )
    stage = serializers.ChoiceField(choices=Stage.choices, allow_blank=True)
    description_en = serializers.CharField()
    description_zh = serializers.CharField()
    founded_year = serializers.IntegerField(allow_null=True)
    admitted = serializers.BooleanField(help_text=_("Admitted to Hong Kong Science Park."))
    url = serializers.URLField()

    @cached_property
    def directory_url(self) -> str:
        # Read once: ``context`` walks up to the root serializer on every access, once per row.
        return self.context["directory_url"]

    def to_representation(self, row):
        founded = row["founded_on"]
        return {
            "reference": row["reference"],
            "name_en": row["legal_name_en"],
            "name_zh": row["legal_name_zh"],
            "short_name": row["short_name"],
            "sector": row["sector"],
            "district": row["district"],
            "stage": row["stage"],
            "description_en": row["description_en"],
            "description_zh": row["description_zh"],
            "founded_year": founded.year if founded else None,
            "admitted": row["admitted"],
            "url": f"{self.directory_url}{row['reference']}/",
        }


LISTED = (
    "Only enterprises whose owners chose to be listed in the directory, and only their public fields: "
    "names in English and Chinese, sector, Hangzhou district, stage, description, founding year (not the date) "
    "and whether they were admitted to Hong Kong Science Park. An enterprise not listed is not found (404), "
    "whether or not it exists. For keys with `directory:read`, partner users and the portal's staff."
)


@extend_schema_view(
    list=extend_schema(
        summary="List the enterprise directory",
        description=f"{LISTED}\n\nFilter by `sector`, `district`, `stage`, `admitted` and founding year; `search` "
        "either name in either Chinese script; `ordering` by `reference` (the default) or `legal_name_en`, "
        "either way; cursor pages of up to 100 (`page_size`).",
        tags=["directory"],
        parameters=docs.DIRECTORY_FILTERS,
        examples=docs.DIRECTORY_LIST,
    ),
    retrieve=extend_schema(
        summary="Read a listed enterprise", description=LISTED, tags=["directory"], examples=docs.DIRECTORY_ENTRY
    ),
)
class DirectoryViewSet(viewsets.ReadOnlyModelViewSet):
    """The enterprise directory: listed enterprises, public fields only. Filters ``sector``,
    ``district``, ``stage``, ``admitted``, ``founded_after`` and ``founded_before`` (years);
    ``search`` in either name and either Chinese script; ``ordering`` by ``reference`` (the
    default) or ``legal_name_en``; cursor pages of ``page_size`` up to 100. An enterprise not
    listed is not found (404), whether or not it exists."""

    permission_classes = [ScopePermission, HasScope]
    key_scopes = Scope.DIRECTORY_READ
    serializer_class = DirectoryEntrySerializer
    pagination_class = CursorPage
    filter_backends = [DirectoryFilterBackend, DirectoryOrdering]
    filterset_class = DirectoryFilter
    ordering_fields = ["reference", "legal_name_en"]
    ordering = ["reference"]
    lookup_field = "reference"
    lookup_value_regex = REFERENCE_REGEX

    def get_queryset(self):
        return partners.directory()

    def get_serializer_context(self):
        directory_url = self.request.build_absolute_uri(reverse("api-directory-list"))
        return {**super().get_serializer_context(), "directory_url": directory_url}
