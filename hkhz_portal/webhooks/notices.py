"""The notice partner users get when the portal disables one of their endpoints by itself."""

from enum import StrEnum

from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from hkhz_portal.accounts.roles import Role
from hkhz_portal.core import events

from .models import DisabledReason


class WebhookEventKind(StrEnum):
    ENDPOINT_DISABLED = "webhook.endpoint_disabled"


def organisation_partners(event):
    """The active partner users of the endpoint's organisation."""
    return get_user_model().objects.filter(
        partner_organisation__webhook_endpoints__pk=event.target_id, groups__name=Role.PARTNER, is_active=True
    )


def disabled_message(event, user) -> events.Message:
    title = _("Webhook endpoint disabled: %(url)s") % {"url": event.payload["url"]}
    if event.payload["reason"] == DisabledReason.GONE:
        body = _("The endpoint answered 410 Gone, so no more events are sent to it. Enable it again once it is back.")
    else:
        body = _(
            "Every delivery to the endpoint failed for five days, so no more events are sent to it. Fix it, enable "
            "it again and redeliver the failed events."
        )
    return events.Message(
        title=str(title), body=str(body), url=reverse("webhooks:endpoint", args=[int(event.target_id)])
    )


def register() -> None:
    events.register_kind(
        WebhookEventKind.ENDPOINT_DISABLED,
        label=_("A webhook endpoint of your organisation was disabled"),
        recipients=organisation_partners,
        message=disabled_message,
    )
