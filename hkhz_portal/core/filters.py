"""The API's list filters (``DEFAULT_FILTER_BACKENDS``): django-filter's ``filterset_class`` or
``filterset_fields``, ``?search=`` over ``search_fields``, and ``?ordering=`` over
``ordering_fields``. Each does nothing on a view that names none of these, and is then absent from
its OpenAPI parameters, so the lists that filter by hand keep doing so and say only that."""

from django.utils.translation import gettext as _
from rest_framework import filters
from rest_framework.exceptions import ValidationError


class OrderingFilter(filters.OrderingFilter):
    """``?ordering=name,-founded`` among the view's ``ordering_fields`` only; any other name is a
    400 naming the choices. DRF's own ignores a name it does not know, and on a view that lists
    none orders by any field of the serializer, which would open every existing list to orders
    no index serves."""

    def get_ordering(self, request, queryset, view):
        allowed = getattr(view, "ordering_fields", None)
        param = request.query_params.get(self.ordering_param)
        if allowed is None or param is None:
            return self.get_default_ordering(view)
        fields = [name.strip() for name in param.split(",")]
        if not all(name.removeprefix("-") in allowed for name in fields):
            raise ValidationError({self.ordering_param: [self._help(allowed)]})
        return fields

    def get_schema_operation_parameters(self, view):
        allowed = getattr(view, "ordering_fields", None)
        if allowed is None:
            return []
        return [
            {
                "name": self.ordering_param,
                "required": False,
                "in": "query",
                "description": self._help(allowed),
                "schema": {"type": "string"},
            }
        ]

    @staticmethod
    def _help(allowed) -> str:
        return _("Order by one or more of %(choices)s, separated by commas (a leading - reverses).") % {
            "choices": ", ".join(allowed)
        }


class SearchFilter(filters.SearchFilter):
    """DRF's ``?search=``, documented only on the views that name ``search_fields``."""

    def get_schema_operation_parameters(self, view):
        if not getattr(view, "search_fields", None):
            return []
        return super().get_schema_operation_parameters(view)
