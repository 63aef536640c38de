from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WebhooksConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "hkhz_portal.webhooks"
    label = "webhooks"
    verbose_name = _("Webhooks")

    def ready(self):
        """Listen to the domain event stream (apps map their event kinds to public types in their
        own ``ready()``, see ``registry``), and declare the notice of an endpoint disabled."""
        from hkhz_portal.core import events

        from . import notices, outbox

        events.subscribe(outbox.record_deliveries)
        notices.register()
