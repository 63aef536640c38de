from django.contrib import admin

from hkhz_portal.core.search import normalise_text

from .models import (
    Consent,
    ConsentNotice,
    ContactPerson,
    Document,
    DocumentVersion,
    Enterprise,
    ExportLog,
    Invitation,
    Membership,
    Milestone,
    Product,
)


class MembershipInline(admin.TabularInline):
    model = Membership
    raw_id_fields = ["user"]
    extra = 0


@admin.register(Enterprise)
class EnterpriseAdmin(admin.ModelAdmin):
    list_display = ["reference", "legal_name_en", "legal_name_zh", "kind", "sector", "district", "data_residency"]
    list_filter = ["kind", "sector", "stage", "district", "data_residency", "listed_in_directory"]
    search_fields = ["reference", "legal_name_en", "legal_name_zh", "short_name", "uscc", "hk_br"]
    readonly_fields = ["reference", "created_at", "updated_at"]
    inlines = [MembershipInline]

    def get_search_results(self, request, queryset, search_term):
        """Also find names written in the other Chinese script, as the staff directory does."""
        results, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        if form := normalise_text(search_term):
            results |= queryset.filter(search_names__contains=form)
        return results, may_have_duplicates

    def save_model(self, request, obj, form, change):
        # The admin saves the model directly, not through the profile services: keep search current.
        obj.refresh_search_names()
        super().save_model(request, obj, form, change)


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["email", "enterprise", "role", "created_at", "sent_at", "accepted_at", "revoked_at"]
    raw_id_fields = ["enterprise", "invited_by", "accepted_by"]


class DocumentVersionInline(admin.TabularInline):
    model = DocumentVersion
    extra = 0
    readonly_fields = ["number", "original_name", "content_type", "size", "sha256", "uploaded_by", "uploaded_at"]
    exclude = ["file"]


@admin.register(Document)
class DocumentAdmin(admin.ModelAdmin):
    list_display = ["title", "doc_type", "enterprise"]
    list_filter = ["doc_type"]
    raw_id_fields = ["enterprise"]
    inlines = [DocumentVersionInline]


class MilestoneInline(admin.TabularInline):
    model = Milestone
    extra = 0


@admin.register(Product)
class ProductAdmin(admin.ModelAdmin):
    list_display = ["name", "modality", "enterprise"]
    raw_id_fields = ["enterprise"]
    inlines = [MilestoneInline]


admin.site.register(ConsentNotice)


@admin.register(Consent)
class ConsentAdmin(admin.ModelAdmin):
    list_display = ["given_at", "user", "contact", "notice", "scope", "withdrawn_at"]
    raw_id_fields = ["user", "contact", "recorded_by"]


@admin.register(ContactPerson)
class ContactPersonAdmin(admin.ModelAdmin):
    list_display = ["name", "email", "enterprise"]
    raw_id_fields = ["enterprise"]


@admin.register(ExportLog)
class ExportLogAdmin(admin.ModelAdmin):
    """Read-only: written by the portal whenever personal data leaves it."""

    list_display = ["created_at", "kind", "actor", "enterprise", "data_residency", "description"]
    list_filter = ["kind", "data_residency"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
