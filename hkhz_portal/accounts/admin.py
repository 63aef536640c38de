from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import UserChangeForm
from django.contrib.auth.models import Group
from django.utils.translation import gettext_lazy as _

from hkhz_portal.core.admin import ServiceTransactionMixin
from hkhz_portal.core.errors import DomainError

from . import services
from .models import Unit, User
from .roles import Role

#: What ``services.change_user_access`` sets (and audits); the rest of the form saves as usual.
ACCESS_FIELDS = frozenset({"groups", "unit", *services.ACCOUNT_FLAGS})


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
        for group in cleaned.get("groups") or ():
            try:
                services.check_role_unit(Role(group.name), cleaned.get("unit"))
            except DomainError as error:
                self.add_error("unit", error.message)
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
        (_("Roles"), {"fields": ["unit", "groups", "is_active", "is_staff", "is_superuser"]}),
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
            details={name: getattr(obj, name) for name in form.changed_data if name not in ACCESS_FIELDS},
            **{flag: data[flag] for flag in services.ACCOUNT_FLAGS},
        )

    def save_related(self, request, form, formsets, change):
        # On a change, the roles (groups) were set by change_user_access in save_model.
        if not change:
            super().save_related(request, form, formsets, change)
