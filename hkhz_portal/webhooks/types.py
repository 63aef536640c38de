"""The public webhook event types partners subscribe to, declared once.

These names are a public contract: never rename one. The catalogue of the API documentation
(``hkhz_portal/core/webhook_catalogue.py``) describes each with an example body; apps map their
domain event kinds onto these types in ``registry``.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class EventType(models.TextChoices):
    CALL_OPENED = "call.opened", _("A call opened for applications")
    CALL_CLOSING = "call.closing", _("A call closes in three days")
    APPLICATION_SUBMITTED = "application.submitted", _("An application was submitted")
    APPLICATION_DECIDED = "application.decided", _("An application was approved, waitlisted or declined")
    ENTERPRISE_ADMITTED = "enterprise.admitted", _("An enterprise was admitted")


#: The type of the event a partner sends themselves from the endpoint's page: no subscription needed.
TEST_EVENT = "webhook.test"
