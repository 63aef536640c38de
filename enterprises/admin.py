"""The admin site for enterprises. It changes nothing behind the services' back: what has a rule
or an audit row (memberships, documents, consents) is read-only here or goes through a service."""

import datetime

from django import forms
from django.contrib import admin, messages
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from hkhz_portal.core.admin import ReadOnlyAdmin, ServiceTransactionMixin
from hkhz_portal.core.errors import DomainError
from hkhz_portal.core.search import normalise_text

from . import selectors
from .choices import ExportKind, MemberRole
from .models import (
    Consent,
    ConsentNotice,
    ContactPerson,
    DataSharing,
    Document,
    DocumentVersion,
    Enterprise,
    ExportLog,
    HongKongEntity,
    Invitation,
    Membership,
    Milestone,
    Product,
)
from .services import consent, documents, members


class ReadOnlyInline(admin.TabularInline):
    extra = 0

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class MembershipInline(ReadOnlyInline):
    """Shown only: roles change and members leave through the membership actions, which keep
    the last-owner rule."""

    model = Membership
    fields = readonly_fields = ["user", "role", "joined_at"]


HONG_KONG_ENTITY_FIELDS = ["name", "hk_br", "registered_on", "recorded_at"]


class HongKongEntityInline(ReadOnlyInline):
    """Shown only: recorded by an officer while the enterprise onboards to the Science Park."""

    model = HongKongEntity
    fields = readonly_fields = HONG_KONG_ENTITY_FIELDS


@admin.register(Enterprise)
class EnterpriseAdmin(ReadOnlyAdmin):
    """Shown only. Enterprises are created by applicants (reference number, first owner) and
    edited by their members on the portal's pages, where the profile service checks consent and
    audits each change; deleting one would delete its contacts' consents and leave its files on
    disk."""

    list_display = ["reference", "legal_name_en", "legal_name_zh", "kind", "sector", "district", "data_residency"]
    list_filter = ["kind", "sector", "stage", "district", "data_residency", "listed_in_directory"]
    search_fields = ["reference", "legal_name_en", "legal_name_zh", "short_name", "uscc", "hk_br"]
    readonly_fields = ["manage_members"]
    inlines = [MembershipInline, HongKongEntityInline]
    # The view-only page still builds the form: its website field takes https, as the portal's does.
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def get_search_results(self, request, queryset, search_term):
        """Also find names written in the other Chinese script, as the staff directory does."""
        results, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        if form := normalise_text(search_term):
            results |= queryset.filter(search_names__contains=form)
        return results, may_have_duplicates

    @admin.display(description=_("members"))
    def manage_members(self, enterprise):
        url = reverse("admin:enterprises_membership_changelist") + f"?enterprise__id__exact={enterprise.pk}"
        return format_html('<a href="{}">{}</a>', url, _("Change roles or remove members"))


@admin.register(HongKongEntity)
class HongKongEntityAdmin(ReadOnlyAdmin):
    """A mainland or overseas enterprise's Hong Kong company, found by its name or BR number."""

    list_display = ["name", "hk_br", "enterprise", "registered_on"]
    list_select_related = ["enterprise"]
    search_fields = ["name", "hk_br", "enterprise__reference", "enterprise__legal_name_en", "enterprise__legal_name_zh"]
    fields = readonly_fields = ["enterprise", *HONG_KONG_ENTITY_FIELDS]


@admin.register(Membership)
class MembershipAdmin(ReadOnlyAdmin):
    """Memberships change only through the actions, which call the member services: the last
    owner of an enterprise can be neither demoted nor removed."""

    list_display = ["user", "enterprise", "role", "joined_at"]
    list_filter = ["role"]
    search_fields = ["user__email", "user__full_name", "enterprise__reference", "enterprise__legal_name_en"]
    list_select_related = ["user", "enterprise"]
    actions = ["make_owner", "make_member", "remove_members"]

    def has_manage_permission(self, request):
        return request.user.has_perm("enterprises.change_membership")

    def _each(self, request, queryset, change, done):
        """Apply ``change`` to each membership; a refusal is shown and changes nothing else."""
        count = 0
        for membership in queryset.select_related("user", "enterprise"):
            try:
                change(membership)
            except DomainError as error:
                self.message_user(request, f"{membership}: {error.message}", messages.ERROR)
            else:
                count += 1
        if count:
            self.message_user(request, done % {"count": count}, messages.SUCCESS)

    @admin.action(description=_("Make the selected members owners"), permissions=["manage"])
    def make_owner(self, request, queryset):
        self._each(
            request,
            queryset,
            lambda m: members.change_member_role(m, MemberRole.OWNER, actor=request.user, from_admin_site=True),
            _("%(count)d membership(s) changed."),
        )

    @admin.action(description=_("Make the selected owners members"), permissions=["manage"])
    def make_member(self, request, queryset):
        self._each(
            request,
            queryset,
            lambda m: members.change_member_role(m, MemberRole.MEMBER, actor=request.user, from_admin_site=True),
            _("%(count)d membership(s) changed."),
        )

    @admin.action(description=_("Remove the selected members from their enterprise"), permissions=["manage"])
    def remove_members(self, request, queryset):
        self._each(
            request,
            queryset,
            lambda m: members.remove_member(m, actor=request.user, from_admin_site=True),
            _("%(count)d member(s) removed."),
        )


@admin.register(Invitation)
class InvitationAdmin(ReadOnlyAdmin):
    """Owners invite and revoke on the members page; the signed link is the invitation."""

    list_display = ["email", "enterprise", "role", "created_at", "sent_at", "accepted_at", "revoked_at"]
    list_select_related = ["enterprise"]


class DocumentVersionInline(ReadOnlyInline):
    """Versions come only from uploads checked by content; each links to its page, where it can
    be deleted with its file."""

    model = DocumentVersion
    fields = readonly_fields = [
        "number",
        "original_name",
        "content_type",
        "size",
        "sha256",
        "uploaded_by",
        "uploaded_at",
    ]
    show_change_link = True


@admin.register(Document)
class DocumentAdmin(ReadOnlyAdmin):
    list_display = ["title", "doc_type", "enterprise"]
    list_filter = ["doc_type"]
    list_select_related = ["enterprise"]
    inlines = [DocumentVersionInline]


@admin.register(DocumentVersion)
class DocumentVersionAdmin(ServiceTransactionMixin, admin.ModelAdmin):
    """Deleting a version (here or with the list's delete action) goes through
    ``delete_document_version``: audited, and the stored file is deleted once the row is gone."""

    list_display = ["document", "number", "original_name", "size", "uploaded_by", "uploaded_at"]
    list_select_related = ["document", "uploaded_by"]
    search_fields = ["document__title", "original_name", "document__enterprise__reference"]
    exclude = ["file"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def delete_model(self, request, obj):
        documents.delete_document_version(obj, actor=request.user)

    def delete_queryset(self, request, queryset):
        for version in queryset:
            documents.delete_document_version(version, actor=request.user)


class MilestoneInline(ReadOnlyInline):
    model = Milestone


@admin.register(Product)
class ProductAdmin(ReadOnlyAdmin):
    """Shown only: members record products and milestones on the portal's pages (audited)."""

    list_display = ["name", "modality", "enterprise"]
    raw_id_fields = ["enterprise"]
    inlines = [MilestoneInline]


#: Leeway for the form's "now" shortcut, filled in before the form is sent.
PUBLICATION_LEEWAY = datetime.timedelta(minutes=10)


class ConsentNoticeForm(forms.ModelForm):
    class Meta:
        model = ConsentNotice
        fields = ["version", "published_at", "text_en", "text_zh_hans", "text_zh_hant"]

    def clean_published_at(self):
        published_at = self.cleaned_data["published_at"]
        if published_at < timezone.now() - PUBLICATION_LEEWAY:
            raise forms.ValidationError(_("A notice cannot be published in the past: choose now or a later time."))
        return published_at


@admin.register(ConsentNotice)
class ConsentNoticeAdmin(admin.ModelAdmin):
    """A new version of the notice is added here, to be published now or later. Once published it
    is what people consented to (the evidence of what they were told), so it can no longer be
    edited or deleted; until then it may be corrected or dropped."""

    form = ConsentNoticeForm
    list_display = ["version", "published_at"]

    @staticmethod
    def _unpublished(obj):
        return obj is None or obj.published_at > timezone.now()

    def has_change_permission(self, request, obj=None):
        return self._unpublished(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._unpublished(obj) and super().has_delete_permission(request, obj)


@admin.register(Consent)
class ConsentAdmin(ReadOnlyAdmin):
    """Read-only: consents are given and withdrawn by the people themselves (legal evidence)."""

    list_display = ["given_at", "user", "contact", "notice", "scope", "withdrawn_at"]
    list_filter = ["scope", "notice"]
    list_select_related = ["user", "contact", "notice"]


@admin.register(ContactPerson)
class ContactPersonAdmin(ReadOnlyAdmin):
    """Read-only (members keep their contacts, with the consents they record). E-mail and phone
    are shown only for a contact with a current cross-border consent, and showing them is logged
    in the export log, as on the staff view of an enterprise."""

    list_display = ["name", "title", "enterprise", "consent_given"]
    list_select_related = ["enterprise"]
    fields = readonly_fields = ["name", "title", "enterprise", "consent_given", "contact_email", "contact_phone"]

    def get_queryset(self, request):
        return selectors.with_consent_flag(super().get_queryset(request))

    @admin.display(description=_("current consent"), boolean=True)
    def consent_given(self, contact):
        return contact.has_consent

    @admin.display(description=_("e-mail address"))
    def contact_email(self, contact):
        return contact.email if contact.has_consent else _("withheld: no current cross-border consent")

    @admin.display(description=_("phone"))
    def contact_phone(self, contact):
        return contact.phone if contact.has_consent else _("withheld: no current cross-border consent")

    def change_view(self, request, object_id, form_url="", extra_context=None):
        response = super().change_view(request, object_id, form_url, extra_context)
        contact = getattr(response, "context_data", {}).get("original")
        if contact is not None and contact.has_consent:
            consent.log_export(
                kind=ExportKind.STAFF_VIEW,
                actor=request.user,
                enterprise=contact.enterprise,
                description=f"Admin view of contact person {contact.pk} of {contact.enterprise.reference}",
            )
        return response


@admin.register(ExportLog)
class ExportLogAdmin(ReadOnlyAdmin):
    """Read-only: written by the portal whenever personal data leaves it."""

    list_display = ["created_at", "kind", "actor", "organisation", "enterprise", "data_residency", "description"]
    list_filter = ["kind", "data_residency"]
    list_select_related = ["actor", "organisation", "enterprise"]


@admin.register(DataSharing)
class DataSharingAdmin(ReadOnlyAdmin):
    """Read-only: an enterprise's owners grant and revoke sharing on its profile."""

    list_display = ["enterprise", "organisation", "granted_at", "granted_by", "revoked_at", "revoked_by"]
    list_filter = ["organisation"]
    list_select_related = ["enterprise", "organisation", "granted_by", "revoked_by"]
    search_fields = ["enterprise__reference", "enterprise__legal_name_en", "organisation__code"]
