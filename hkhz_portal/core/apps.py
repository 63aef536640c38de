from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "hkhz_portal.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self):
        from django.urls import register_converter

        from . import schema  # noqa: F401 - registers the OpenAPI extensions
        from .converters import ReferenceConverter

        register_converter(ReferenceConverter, "ref")
