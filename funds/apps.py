from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FundsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "funds"
    verbose_name = _("Transformation fund")

    def ready(self):
        """The fund's event kinds, dashboards, demo data and statistics, registered with the
        project's (``hkhz_portal`` imports no app): the fund manager's dashboard panel, and the
        fund's demo data after the service centres' (it invests in their enterprises)."""
        from hkhz_portal.core import dashboard, demo

        from . import notices, stats
        from .demo import seed_demo_fund
        from .selectors import funding_dashboard_panel, manager_dashboard_panel

        notices.register()
        stats.register()
        demo.register_seeder("funds", seed_demo_fund, order=50)
        dashboard.register(
            "fund", template="funds/_manager_dashboard_panel.html", context=manager_dashboard_panel, order=24
        )
        dashboard.register(
            "funding", template="funds/enterprise/_dashboard_panel.html", context=funding_dashboard_panel, order=23
        )
