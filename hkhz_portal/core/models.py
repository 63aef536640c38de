from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ActorAndTarget(models.Model):
    """Who acted (a signed-in user, or nobody: a worker) on which record, if any."""

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    target_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    target_id = models.CharField(max_length=64, blank=True)
    target = GenericForeignKey("target_type", "target_id")

    class Meta:
        abstract = True

    @classmethod
    def about(cls, *, actor, target, **fields):
        """A new row (not saved) naming ``actor`` (kept only when signed in) and ``target``."""
        return cls(
            actor=actor if actor is not None and actor.is_authenticated else None,
            target_type=ContentType.objects.get_for_model(target) if target is not None else None,
            target_id=str(target.pk) if target is not None else "",
            **fields,
        )


class AuditEvent(ActorAndTarget):
    """Who did what to which record, from where and when. Written only by ``core.audit``."""

    action = models.CharField(_("action"), max_length=100)
    target_repr = models.CharField(_("target"), max_length=255, blank=True)
    changes = models.JSONField(_("changes"), default=dict, blank=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    created_at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["target_type", "target_id", "-created_at"])]

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action} {self.target_repr}"


class Notification(models.Model):
    """A message in a user's in-portal inbox, written in the recipient's language."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recipient"), on_delete=models.CASCADE, related_name="notifications"
    )
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("message"), blank=True)
    url = models.CharField(_("link"), max_length=500, blank=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    created_at = models.DateTimeField(_("time"), auto_now_add=True)
    #: The event kind it tells of (``core.events``), empty for older notices.
    kind = models.CharField(_("kind"), max_length=64, blank=True)
    #: Set when an e-mail copy is due (the recipient's preference); cleared once it is sent.
    email_due = models.BooleanField(default=False)
    #: When a worker took the copy to send it, and how many tries it has had (``core.notifications``).
    email_claimed_at = models.DateTimeField(null=True, blank=True, editable=False)
    email_attempts = models.PositiveSmallIntegerField(default=0, editable=False)
    emailed_at = models.DateTimeField(_("e-mailed"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["recipient", "-created_at"]),
            models.Index(
                fields=["recipient"], condition=models.Q(read_at__isnull=True), name="notification_unread_idx"
            ),
            models.Index(fields=["created_at"], condition=models.Q(email_due=True), name="notification_email_due_idx"),
        ]

    def __str__(self):
        return self.title

    @property
    def is_read(self):
        return self.read_at is not None


class Heartbeat(models.Model):
    """The last time a background process proved it was alive (shown by /healthz)."""

    name = models.CharField(max_length=100, unique=True)
    seen_at = models.DateTimeField()

    def __str__(self):
        return f"{self.name} {self.seen_at:%Y-%m-%d %H:%M:%S}"


class DomainEvent(ActorAndTarget):
    """Something that happened, recorded by a service in the same transaction as the change.

    After commit, ``core.events.dispatch`` hands each event once to every subscriber
    (in-portal notifications and e-mail; later partner webhooks), so whatever a user is told,
    a partner can be told too.
    """

    kind = models.CharField(_("kind"), max_length=64)
    payload = models.JSONField(_("details"), default=dict, blank=True)
    created_at = models.DateTimeField(_("time"), auto_now_add=True)
    dispatched_at = models.DateTimeField(_("handed to subscribers"), null=True, blank=True)

    class Meta:
        verbose_name = _("domain event")
        verbose_name_plural = _("domain events")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(
                fields=["created_at"], condition=models.Q(dispatched_at__isnull=True), name="event_pending_idx"
            ),
            models.Index(fields=["kind", "-created_at"]),
        ]

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.kind}"


class NotificationPreference(models.Model):
    """Whether a user also wants e-mail for one kind of event (in-portal notices always arrive)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    kind = models.CharField(_("kind"), max_length=64)
    email = models.BooleanField(_("by e-mail"), default=True)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="notification_preference_once")]

    def __str__(self):
        return f"{self.user} {self.kind}: {'e-mail' if self.email else 'portal only'}"


class IdempotencyRecord(models.Model):
    """One ``Idempotency-Key`` of one credential, and the answer to its first request.

    The unique constraint is the lock: the request that inserts the row runs, every other one
    with the same key reads it (``core.idempotency``). ``status`` is null while the first
    request runs; then it holds the answer to replay.
    """

    credential = models.CharField(max_length=64)
    key = models.CharField(max_length=255)
    fingerprint = models.CharField(max_length=64)
    status = models.PositiveSmallIntegerField(null=True, blank=True)
    headers = models.JSONField(default=dict, blank=True)
    body = models.BinaryField(default=b"", blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["credential", "key"], name="idempotency_key_once_per_credential")
        ]

    def __str__(self):
        return f"{self.credential} {self.key}"
