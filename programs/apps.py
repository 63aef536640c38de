from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgramsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "programs"
    verbose_name = _("Programs")

    def ready(self):
        """Declare the workflow's event kinds and who hears of them (``hkhz_portal`` imports no app)."""
        from . import notices

        notices.register()

        # The applicant's "Your applications" panel (h-applicant).
        from hkhz_portal.core import dashboard

        from .selectors import dashboard_panel

        dashboard.register(
            "applications", template="programs/applicant/_dashboard_panel.html", context=dashboard_panel, order=20
        )
