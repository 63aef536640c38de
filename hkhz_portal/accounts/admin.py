from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import UserChangeForm
from django.contrib.auth.models import Group
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from hkhz_portal.core.admin import ServiceTransactionMixin
from hkhz_portal.core.errors import DomainError

from . import services
from .models import APIKey, PartnerOrganisation, Unit, User
from .roles import Role

#: What ``services.change_user_access`` sets (and audits); the rest of the form saves as usual.
ACCESS_FIELDS = frozenset({"groups", "unit", "partner_organisation", *services.ACCOUNT_FLAGS})


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ["code", "kind", "name_en", "name_zh_hans"]
    list_filter = ["kind"]


class UserAccessForm(UserChangeForm):
    """The user change form: roles are the role groups, checked against the unit like the service does."""

    class Meta(UserChangeForm.Meta):
        model = User

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["groups"].queryset = Group.objects.filter(name__in=Role.values).order_by("name")
        self.fields["groups"].label = _("Roles")

    def clean(self):
        cleaned = super().clean()
        roles = {Role(group.name) for group in cleaned.get("groups") or ()}
        for role in roles:
            try:
                services.check_role_unit(role, cleaned.get("unit"))
            except DomainError as error:
                self.add_error("unit", error.message)
        try:
            services.check_role_organisation(roles, cleaned.get("partner_organisation"))
        except DomainError as error:
            self.add_error("partner_organisation", error.message)
        return cleaned


@admin.register(User)
class UserAdmin(ServiceTransactionMixin, BaseUserAdmin):
    """Roles, unit and the account flags change through ``change_user_access``, which audits them.

    Users are deactivated, never deleted here: deleting would erase their consent records
    (legal evidence) and could take away an enterprise's last owner.
    """

    form = UserAccessForm
    ordering = ["email"]
    list_display = ["email", "full_name", "unit", "is_active", "last_login"]
    list_filter = ["groups", "unit", "is_active", "is_staff"]
    search_fields = ["email", "full_name"]
    list_select_related = ["unit"]
    readonly_fields = ["last_login", "date_joined"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (_("Person"), {"fields": ["full_name", "preferred_language"]}),
        (
            _("Roles"),
            {"fields": ["unit", "partner_organisation", "groups", "is_active", "is_staff", "is_superuser"]},
        ),
        (_("Dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [(None, {"classes": ["wide"], "fields": ["email", "full_name", "password1", "password2"]})]
    filter_horizontal = ["groups"]

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        if not change:
            super().save_model(request, obj, form, change)
            return
        data = form.cleaned_data
        services.change_user_access(
            obj,
            actor=request.user,
            roles=[group.name for group in data["groups"]],
            unit=data["unit"],
            partner_organisation=data["partner_organisation"],
            details={name: getattr(obj, name) for name in form.changed_data if name not in ACCESS_FIELDS},
            **{flag: data[flag] for flag in services.ACCOUNT_FLAGS},
        )

    def save_related(self, request, form, formsets, change):
        # On a change, the roles (groups) were set by change_user_access in save_model.
        if not change:
            super().save_related(request, form, formsets, change)


class PartnerUserInline(admin.TabularInline):
    """Who acts for the organisation; given or taken away on each user's own page (audited)."""

    model = User
    fk_name = "partner_organisation"
    fields = ["email", "full_name", "is_active"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True
    verbose_name = _("partner user")
    verbose_name_plural = _("partner users")

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(PartnerOrganisation)
class PartnerOrganisationAdmin(admin.ModelAdmin):
    """Organisations are set up here; their keys are made by their own partner users."""

    list_display = ["code", "name_en", "name_zh_hant", "kind", "created_at"]
    list_filter = ["kind"]
    search_fields = ["code", "name_en", "name_zh_hans", "name_zh_hant"]
    inlines = [PartnerUserInline]

    def has_delete_permission(self, request, obj=None):
        # Its keys and their audit trail would go with it: take its users' partner role away instead.
        return False


@admin.register(APIKey)
class APIKeyAdmin(admin.ModelAdmin):
    """Keys, read-only: made by partners on their API-access page, never here, and nothing of
    the secret is shown (not even its hash). An administrator may revoke them (audited)."""

    list_display = ["name", "prefix", "organisation", "state", "created_at", "expires_at", "last_used_at"]
    list_filter = ["organisation", ("revoked_at", admin.EmptyFieldListFilter)]
    search_fields = ["name", "prefix", "organisation__code", "organisation__name_en"]
    list_select_related = ["organisation"]
    fields = [
        "organisation",
        "name",
        "prefix",
        "scopes",
        "state",
        "created_by",
        "created_at",
        "expires_at",
        "revoked_at",
        "revoked_by",
        "last_used_at",
        "last_used_ip",
    ]
    readonly_fields = fields
    actions = ["revoke"]

    @admin.display(description=_("state"))
    def state(self, key):
        return key.state.label

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_revoke_permission(self, request):
        return request.user.has_perm("accounts.change_apikey")

    @admin.action(description=_("Revoke the selected keys"), permissions=["revoke"])
    def revoke(self, request, queryset):
        revoked = 0
        for key in queryset.filter(revoked_at__isnull=True):
            services.revoke_api_key_as_admin(key.pk, actor=request.user)
            revoked += 1
        self.message_user(
            request,
            ngettext("%(count)d key was revoked.", "%(count)d keys were revoked.", revoked) % {"count": revoked},
            messages.SUCCESS,
        )
