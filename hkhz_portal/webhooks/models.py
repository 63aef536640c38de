"""Partner webhook endpoints, their signing secrets, and the outbox of deliveries with its log.

A ``Delivery`` is one event for one endpoint: the outbox row a worker drains. It is written
after the causing transaction committed (``outbox``), tried by ``delivery.attempt`` and kept,
with its ``DeliveryAttempt`` log, for ``LOG_RETENTION`` (the beat's sweep deletes older rows).
"""

import base64
import secrets
import uuid
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hkhz_portal.core.validators import validate_plain_text

SECRET_PREFIX = "whsec_"  # noqa: S105 (the prefix Standard Webhooks secrets share, not a secret)
#: How long the deliveries and their attempts stay in the log.
LOG_RETENTION = timedelta(days=30)


class DisabledReason(models.TextChoices):
    MANUAL = "manual", _("Disabled by your organisation")
    GONE = "gone", _("The endpoint answered 410 Gone")
    FAILING = "failing", _("Every delivery failed for five days")


class Endpoint(models.Model):
    """A partner organisation's HTTPS address, subscribed to some event types. Active unless
    ``disabled_at`` is set; ``failing_since`` is the first failure since the last success."""

    organisation = models.ForeignKey(
        "accounts.PartnerOrganisation",
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="webhook_endpoints",
    )
    url = models.URLField(_("URL"), max_length=500)
    description = models.CharField(_("description"), max_length=200, blank=True, validators=[validate_plain_text])
    event_types = models.JSONField(_("events"), default=list)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    disabled_at = models.DateTimeField(_("disabled"), null=True, blank=True)
    disabled_reason = models.CharField(_("why disabled"), max_length=20, choices=DisabledReason.choices, blank=True)
    failing_since = models.DateTimeField(_("failing since"), null=True, blank=True)

    class Meta:
        verbose_name = _("webhook endpoint")
        verbose_name_plural = _("webhook endpoints")
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(disabled_at__isnull=True, disabled_reason="")
                | Q(disabled_at__isnull=False) & ~Q(disabled_reason=""),
                name="webhook_endpoint_disabled_with_reason",
            )
        ]

    def __str__(self):
        return self.url

    @property
    def is_active(self) -> bool:
        return self.disabled_at is None


def new_secret() -> str:
    """``whsec_`` and the base64 of 32 random bytes, the form Standard Webhooks libraries read."""
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(32)).decode()


class EndpointSecret(models.Model):
    """A key an endpoint's deliveries are signed with (HMAC-SHA256).

    Stored as it is, not hashed: signing needs the key itself, and the receiver holds the same
    key to verify (unlike an API key, which the portal only compares). The partner sees it once,
    when it is made. Rotating makes a new current secret (``expires_at`` empty) and gives the
    previous one an ``expires_at`` after an overlap; until then deliveries carry both signatures,
    so the receiver can switch keys without losing an event.
    """

    endpoint = models.ForeignKey(Endpoint, on_delete=models.CASCADE, related_name="secrets")
    secret = models.CharField(max_length=64, default=new_secret, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    expires_at = models.DateTimeField(_("valid until"), null=True, blank=True)

    class Meta:
        verbose_name = _("webhook secret")
        verbose_name_plural = _("webhook secrets")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["endpoint"], condition=Q(expires_at__isnull=True), name="webhook_one_current_secret"
            )
        ]

    def __str__(self):
        return f"{self.secret[:10]}…"


def signing_secrets(endpoint_id: int, now=None) -> list[str]:
    """The secrets that sign a delivery sent now: the current one first, then any in overlap."""
    now = now or timezone.now()
    return list(
        EndpointSecret.objects.filter(Q(expires_at__isnull=True) | Q(expires_at__gt=now), endpoint_id=endpoint_id)
        .order_by("-created_at", "-pk")
        .values_list("secret", flat=True)
    )


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    DELIVERED = "delivered", _("Delivered")
    FAILED = "failed", _("Failed")
    DISABLED = "disabled", _("Endpoint disabled")


def new_message_id() -> str:
    return f"msg_{uuid.uuid4().hex}"


class Delivery(models.Model):
    """One event for one endpoint. ``message_id`` is the ``webhook-id`` header: the same on every
    retry and redelivery, so the receiver can drop duplicates. While pending, ``next_attempt_at``
    is when it is due (or, while a worker sends it, when that worker's lease ends);
    ``queued_at`` is when a task was last sent for it, so the beat does not send another."""

    endpoint = models.ForeignKey(
        Endpoint, verbose_name=_("endpoint"), on_delete=models.CASCADE, related_name="deliveries"
    )
    message_id = models.CharField(_("message id"), max_length=40, unique=True, default=new_message_id, editable=False)
    event = models.ForeignKey(
        "core.DomainEvent", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    event_type = models.CharField(_("event"), max_length=64)
    payload = models.JSONField(_("payload"))
    status = models.CharField(
        _("status"), max_length=12, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    queued_at = models.DateTimeField(null=True, blank=True, editable=False)
    last_status_code = models.PositiveSmallIntegerField(_("response code"), null=True, blank=True)
    last_response = models.TextField(_("response (first KiB)"), blank=True)
    last_error = models.CharField(_("error"), max_length=200, blank=True)
    last_duration_ms = models.PositiveIntegerField(_("duration (ms)"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True, db_index=True)
    delivered_at = models.DateTimeField(_("delivered"), null=True, blank=True)

    class Meta:
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["next_attempt_at"], condition=Q(status="pending"), name="webhook_delivery_due_idx"),
            models.Index(fields=["endpoint", "-created_at"], name="webhook_delivery_log_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["endpoint", "event"], condition=Q(event__isnull=False), name="webhook_delivery_once_per_event"
            )
        ]

    def __str__(self):
        return f"{self.event_type} → {self.endpoint_id} ({self.status})"


class DeliveryAttempt(models.Model):
    """One POST of a delivery: when, the answer (code, first KiB, time taken) or the error."""

    delivery = models.ForeignKey(Delivery, on_delete=models.CASCADE, related_name="attempt_log")
    started_at = models.DateTimeField(_("time"), db_index=True)
    status_code = models.PositiveSmallIntegerField(_("response code"), null=True, blank=True)
    response = models.TextField(_("response (first KiB)"), blank=True)
    error = models.CharField(_("error"), max_length=200, blank=True)
    duration_ms = models.PositiveIntegerField(_("duration (ms)"))

    class Meta:
        verbose_name = _("webhook delivery attempt")
        verbose_name_plural = _("webhook delivery attempts")
        ordering = ["-started_at", "-pk"]

    def __str__(self):
        return f"{self.started_at:%Y-%m-%d %H:%M:%S} {self.status_code or self.error}"
