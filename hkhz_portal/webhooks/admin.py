"""Webhooks in the admin: read-only, for support. Partners change them on their pages or through
the API (``services``); secrets are never shown here."""

from django.contrib import admin

from .models import Delivery, DeliveryAttempt, Endpoint


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Endpoint)
class EndpointAdmin(ReadOnlyAdmin):
    list_display = ["url", "organisation", "created_at", "disabled_at", "disabled_reason", "failing_since"]
    list_filter = ["disabled_reason"]
    search_fields = ["url", "organisation__code"]
    list_select_related = ["organisation"]


class AttemptInline(admin.TabularInline):
    model = DeliveryAttempt
    fields = ["started_at", "status_code", "error", "duration_ms", "response"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Delivery)
class DeliveryAdmin(ReadOnlyAdmin):
    list_display = ["message_id", "event_type", "endpoint", "status", "attempts", "next_attempt_at", "created_at"]
    list_filter = ["status", "event_type"]
    search_fields = ["message_id", "endpoint__url"]
    list_select_related = ["endpoint"]
    inlines = [AttemptInline]
