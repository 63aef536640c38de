from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgramsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "programs"
    verbose_name = _("Programs")

    def ready(self):
        """Declare the workflow's event kinds and who hears of them, what partners' webhooks say
        of them, tell the enterprise directory how to know an enterprise was admitted to the Park,
        add the statistics tables, add the applicant's (applications, service requests) and the
        reviewer's dashboard panels, and add the demo data (applications, then their reviews and
        decisions, then the service centres' catalogues and requests) to ``seed_demo``'s, after the
        enterprises' (``hkhz_portal`` imports no app)."""
        from enterprises.partners import register_admission
        from hkhz_portal.core import dashboard, demo

        from . import notices, stats, webhooks
        from .centres import notices as centre_notices
        from .centres import stats as centre_stats
        from .centres import webhooks as centre_webhooks
        from .centres.demo import seed_demo_centres
        from .centres.selectors import client_dashboard_panel
        from .demo import seed_demo_applications
        from .demo_reviews import seed_demo_reviews
        from .partners import admitted_to_park
        from .selectors import dashboard_panel, reviewer_dashboard_panel

        notices.register()
        centre_notices.register()
        webhooks.register()
        centre_webhooks.register()
        register_admission(admitted_to_park)
        stats.register()
        centre_stats.register()
        demo.register_seeder("programs", seed_demo_applications, order=20)
        demo.register_seeder("programs-reviews", seed_demo_reviews, order=30)
        demo.register_seeder("programs-centres", seed_demo_centres, order=40)
        dashboard.register(
            "applications", template="programs/applicant/_dashboard_panel.html", context=dashboard_panel, order=20
        )
        dashboard.register(
            "service_requests",
            template="programs/centres/_client_dashboard_panel.html",
            context=client_dashboard_panel,
            order=22,
        )
        dashboard.register(
            "reviews", template="programs/reviews/_dashboard_panel.html", context=reviewer_dashboard_panel, order=21
        )
