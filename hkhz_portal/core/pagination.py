"""Cursor pagination for the API's large lists, stable under inserts and deletes (and, last, the
query string an HTML list's page links carry).

DRF's CursorPagination remembers the first ordering field of the last row and an offset among the
rows that share its value: a row inserted among those shifts the offset, and a row is then seen
twice or skipped. Here the cursor holds the last row's value of every ordering field, the primary
key last (unless a unique column is already in the order), and the next page is the rows strictly
after it in that order (a keyset): whatever is inserted or deleted between two pages, no row is
seen twice and none still there is skipped. No COUNT is run, so a page costs the same at any
depth and for any size.

A view opts in with::

    pagination_class = CursorPage
    ordering = ("-created_at",)                # its default order; the primary key is added last
                                               # unless a column of the order is unique
    ordering_fields = ("name_en", "created_at")  # what ?ordering= may name (core.filters)

``?page_size=`` takes 1 to 100 (default 25); any other value is a 400 rather than a silent clamp,
so a client never believes it asked for what it did not get. A cursor is signed: one that is not
ours, or that was made for another ordering, is a 400 ("invalid cursor"), never a 404 or a 500.
Ordering fields must be the model's own non-null, non-relation columns (a NULL compares as
unknown, so its rows would be skipped): anything else is an ImproperlyConfigured error of the view.
The lists that clients already page with ``?page=`` keep DRF's page numbers (the default class).
"""

import operator
from functools import reduce
from types import SimpleNamespace

from django.core import signing
from django.core.exceptions import FieldDoesNotExist, ImproperlyConfigured, ValidationError
from django.db.models import Q
from django.utils.translation import gettext as _
from rest_framework.pagination import BasePagination
from rest_framework.response import Response
from rest_framework.utils.urls import replace_query_param

from .errors import DomainError

SALT = "hkhz_portal.core.pagination.cursor"
#: A first page's link to the next, for the schema's examples.
EXAMPLE_NEXT = "https://portal.example.org/api/v1/directory/?cursor=eyJvIjpbInJlZmVyZW5jZSJdfQ%3A1uNkmb%3AeTqK2v"


class CursorPage(BasePagination):
    cursor_query_param = "cursor"
    page_size_query_param = "page_size"
    page_size = 25
    max_page_size = 100
    #: The order of a view that names none.
    ordering = ("-pk",)

    def paginate_queryset(self, queryset, request, view=None):
        self.base_url = request.build_absolute_uri()
        size = self.get_page_size(request)
        ordering = self.get_ordering(request, queryset, view)
        columns = [_column(queryset.model, name.removeprefix("-")) for name in ordering]
        descending = [name.startswith("-") for name in ordering]
        self._keys = [(name.removeprefix("-"), field) for name, field in zip(ordering, columns, strict=True)]
        self._ordering = list(ordering)

        position, backwards = self.decode_cursor(request)
        if backwards:
            ordering = [name if desc else f"-{name}" for (name, _f), desc in zip(self._keys, descending, strict=True)]
        queryset = queryset.order_by(*ordering)
        if position is not None:
            less_than = [desc != backwards for desc in descending]
            queryset = queryset.filter(self._beyond(self._values(position), less_than))
        rows = list(queryset[: size + 1])
        more = len(rows) > size
        rows = rows[:size]
        if backwards:
            rows.reverse()

        first = self._position(rows[0]) if rows else position
        last = self._position(rows[-1]) if rows else position
        has_next = position is not None if backwards else more
        has_previous = more if backwards else position is not None
        self.next_cursor = self.encode_cursor(last, backwards=False) if has_next else None
        self.previous_cursor = self.encode_cursor(first, backwards=True) if has_previous else None
        return rows

    def get_paginated_response(self, data):
        links = {"next": self._link(self.next_cursor), "previous": self._link(self.previous_cursor)}
        return Response({**links, "results": data})

    def get_page_size(self, request) -> int:
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        if raw.isascii() and raw.isdecimal() and len(raw) <= 3 and 1 <= int(raw) <= self.max_page_size:
            return int(raw)
        message = _("Give a page size from 1 to %(max)s.") % {"max": self.max_page_size}
        raise DomainError(message, code="invalid_page_size", field=self.page_size_query_param)

    def get_ordering(self, request, queryset, view) -> list[str]:
        """The order ``?ordering=`` asks for (the view's filter backends decide what it may name),
        else the view's default, else the primary key; with the primary key last to break ties."""
        ordering = None
        for backend in getattr(view, "filter_backends", ()):
            if hasattr(backend, "get_ordering"):
                ordering = backend().get_ordering(request, queryset, view)
                break
        else:
            ordering = getattr(view, "ordering", None)
        ordering = [ordering] if isinstance(ordering, str) else list(ordering or self.ordering)
        named = [name.removeprefix("-") for name in ordering]
        ordering = [name for i, name in enumerate(ordering) if named.index(named[i]) == i]  # each column once
        if not any(_column(queryset.model, name.removeprefix("-")).unique for name in ordering):
            ordering.append("-pk" if ordering[0].startswith("-") else "pk")
        return ordering

    # --- The cursor: the row's ordering values, signed with the ordering they belong to ----------

    def encode_cursor(self, position, *, backwards: bool) -> str:
        return signing.dumps({"o": self._ordering, "p": position, "b": backwards}, salt=SALT)

    def decode_cursor(self, request):
        raw = request.query_params.get(self.cursor_query_param)
        if raw is None:
            return None, False
        try:
            cursor = signing.loads(raw, salt=SALT)
            if cursor["o"] != self._ordering or len(cursor["p"]) != len(self._keys):
                raise ValueError(cursor)
            self._values(cursor["p"])
            return cursor["p"], bool(cursor["b"])
        except (signing.BadSignature, ValidationError, ValueError, TypeError, KeyError):
            message = _("This cursor is not valid here: start again from the first page, with the same ordering.")
            raise DomainError(message, code="invalid_cursor", field=self.cursor_query_param) from None

    def _values(self, position: list[str]) -> list:
        """A cursor's values as the columns hold them (a datetime for a datetime column…)."""
        return [field.to_python(value) for (_name, field), value in zip(self._keys, position, strict=True)]

    def _position(self, row) -> list[str]:
        """The row's ordering values as text; a row is a model instance or, from ``values()``, a dict
        holding each ordering column under the name the ordering gives it."""
        if isinstance(row, dict):
            row = SimpleNamespace(**{field.attname: row[name] for name, field in self._keys})
        return [field.value_to_string(row) for _name, field in self._keys]

    def _beyond(self, position, less_than: list[bool]) -> Q:
        """Rows strictly past ``position`` in the order: ``(a, b, pk) > (x, y, z)`` spelt out as
        ``a > x OR (a = x AND b > y) OR …``, with ``a >= x`` in front so that an index on the
        first column bounds the scan."""
        names = [name for name, _field in self._keys]
        lookups = ["lt" if less else "gt" for less in less_than]
        terms = [
            Q(**{f"{names[i]}__{lookups[i]}": position[i]}, **{names[j]: position[j] for j in range(i)})
            for i in range(len(names))
        ]
        return Q(**{f"{names[0]}__{lookups[0]}e": position[0]}) & reduce(operator.or_, terms)

    def _link(self, cursor):
        if cursor is None:
            return None
        return replace_query_param(self.base_url, self.cursor_query_param, cursor)

    # --- OpenAPI ------------------------------------------------------------------------------

    def get_schema_operation_parameters(self, view):
        return [
            {
                "name": self.cursor_query_param,
                "required": False,
                "in": "query",
                "description": _("The page to read: the cursor of a previous answer's next or previous link."),
                "schema": {"type": "string"},
            },
            {
                "name": self.page_size_query_param,
                "required": False,
                "in": "query",
                "description": _("Rows per page."),
                "schema": {"type": "integer", "minimum": 1, "maximum": self.max_page_size, "default": self.page_size},
            },
        ]

    def get_paginated_response_schema(self, schema):
        """With an example of each link, from which drf-spectacular builds a list's example page."""
        link = {"type": "string", "format": "uri", "nullable": True}
        return {
            "type": "object",
            "required": ["next", "previous", "results"],
            "properties": {
                "next": {**link, "example": EXAMPLE_NEXT},
                "previous": {**link, "example": None},
                "results": schema,
            },
        }


def _column(model, name: str):
    """The model field an ordering names, if it can carry a cursor (see the module's docstring)."""
    try:
        field = model._meta.pk if name == "pk" else model._meta.get_field(name)
    except FieldDoesNotExist:
        field = None
    if field is None or not field.concrete or field.is_relation or field.null:
        raise ImproperlyConfigured(f"CursorPage cannot order {model.__name__} by {name!r}: use a non-null column.")
    return field


def page_query(request) -> str:
    """An HTML list's query string without its page number, for the pagination links to add
    theirs to (``includes/pagination.html``): the search and filters carry from page to page."""
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()
