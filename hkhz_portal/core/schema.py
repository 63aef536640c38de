"""OpenAPI (drf-spectacular) extensions for the API's shared pieces, registered by importing
this module (``CoreConfig.ready``)."""

from drf_spectacular.contrib.django_filters import DjangoFilterExtension


class DeclaredFilterSetExtension(DjangoFilterExtension):
    """django-filter's parameters, looked for only on views that declare a filter set.

    drf-spectacular's own extension asks every list view for its queryset to find out; the views
    scoped to the signed-in user cannot build one without a request, and each says so with a
    warning, which ``check --deploy`` counts as a failure. A view without ``filterset_class`` or
    ``filterset_fields`` has no django-filter parameters anyway."""

    priority = 1

    def get_schema_operation_parameters(self, auto_schema, *args, **kwargs):
        view = auto_schema.view
        if getattr(view, "filterset_class", None) is None and getattr(view, "filterset_fields", None) is None:
            return []
        return super().get_schema_operation_parameters(auto_schema, *args, **kwargs)
