from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EnterprisesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "enterprises"
    verbose_name = _("Enterprises")

    def ready(self):
        from hkhz_portal.core.errors import register_fix_page

        from .services.consent import ConsentRequired

        # A page refused for want of consent sends the user to give it, and back afterwards.
        register_fix_page(ConsentRequired, "consent")
