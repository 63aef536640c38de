from django.contrib import admin
from django.contrib.admin.options import csrf_protect_m

from .models import AuditEvent, Notification


class ServiceTransactionMixin:
    """For a ModelAdmin whose save and delete hooks call service entry points.

    Services are ``transaction.atomic(durable=True)``: each commits the whole of its change,
    with its audit row, or nothing, and cannot run inside the transaction Django's admin opens
    around a change or a deletion. The service owns the transaction here, as it does for pages.
    """

    @csrf_protect_m
    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        return self._changeform_view(request, object_id, form_url, extra_context)

    @csrf_protect_m
    def delete_view(self, request, object_id, extra_context=None):
        return self._delete_view(request, object_id, extra_context)


class ReadOnlyAdmin(admin.ModelAdmin):
    """A record the portal writes and nobody edits: evidence (audit trail, export log, consents)."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    """Read-only: the trail is written by services and never edited."""

    list_display = ["created_at", "action", "actor", "target_repr", "ip_address"]
    list_filter = ["action"]
    search_fields = ["action", "target_repr", "actor__email"]
    list_select_related = ["actor"]
    date_hierarchy = "created_at"


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    """Shown only: notifications are written by the services, in the recipient's language."""

    list_display = ["created_at", "recipient", "title", "read_at"]
    search_fields = ["title", "recipient__email"]
    list_select_related = ["recipient"]
    raw_id_fields = ["recipient"]
