from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EnterprisesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "enterprises"
    verbose_name = _("Enterprises")

    def ready(self):
        """Add this app's dashboard panel and demo data to the project's (which cannot import apps)."""
        from hkhz_portal.core import dashboard, demo
        from hkhz_portal.core.errors import register_fix_page

        from .demo import seed_demo_enterprises
        from .selectors import dashboard_panel
        from .services.consent import ConsentRequired

        dashboard.register(
            "enterprises", template="enterprises/_dashboard_panel.html", context=dashboard_panel, order=10
        )
        demo.register_seeder("enterprises", seed_demo_enterprises, order=10)
        # A page refused for want of consent sends the user to give it, and back afterwards.
        register_fix_page(ConsentRequired, "consent")
