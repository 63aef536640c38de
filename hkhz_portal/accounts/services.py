"""Every change of state in accounts: one function per use case."""

from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hkhz_portal.core import audit
from hkhz_portal.core.errors import DomainError

from . import api_keys
from .api_keys import Scope
from .audit_actions import AuditAction
from .models import APIKey, PartnerOrganisation, Unit, User
from .roles import ROLE_UNIT_KINDS, Role, UnitKind


def sync_role_groups() -> None:
    """Make sure a group exists for every role. Safe to call any number of times."""
    for role in Role:
        Group.objects.get_or_create(name=role.value)


@transaction.atomic(durable=True)
def assign_role(user: User, role: Role, *, unit: Unit | None = None, actor: User | None) -> None:
    """Give ``user`` a role, and for unit-bound staff roles the unit they work for.

    Called by admins (admin site, ``seed_demo``; ``actor`` None for a command). Refuses a
    unit of the wrong kind, and a unit-bound role with no unit, so that every officer's
    reach is defined. Audited.
    """
    _grant_role(user, role, unit=unit, actor=actor)


def check_role_organisation(roles, organisation: PartnerOrganisation | None) -> None:
    """Refuse the partner role without the organisation it acts for (its keys and webhooks are
    the organisation's), and an organisation for someone who is not a partner, so that nobody
    holds another organisation's access by a leftover field."""
    is_partner = Role.PARTNER in roles
    if is_partner and organisation is None:
        raise DomainError(
            _("A partner must act for a partner organisation."),
            code="organisation_required",
            field="partner_organisation",
        )
    if organisation is not None and not is_partner:
        raise DomainError(
            _("Only a partner acts for a partner organisation."),
            code="organisation_without_partner",
            field="partner_organisation",
        )


def check_role_unit(role: Role, unit: Unit | None) -> None:
    """Refuse a unit-bound staff role without a unit of a kind it may belong to, so that every
    officer's reach is defined. Forms call it to show the refusal on the field."""
    allowed = ROLE_UNIT_KINDS[role]
    if allowed is not None and (unit is None or unit.kind not in allowed):
        raise DomainError(
            _("A %(role)s must belong to one of these units: %(kinds)s.")
            % {"role": Role(role).label, "kinds": ", ".join(sorted(str(UnitKind(k).label) for k in allowed))},
            code="unit_kind_mismatch",
            field="unit",
        )


def _grant_role(user: User, role: Role, *, unit: Unit | None, actor: User | None) -> None:
    """``assign_role``'s work, inside the caller's transaction."""
    if role == Role.PARTNER:
        check_role_organisation({role}, user.partner_organisation)
    if ROLE_UNIT_KINDS[role] is not None:
        unit = unit or user.unit
        check_role_unit(role, unit)
        if user.unit_id != unit.pk:
            user.unit = unit
            user.save(update_fields=["unit"])
    group, _created = Group.objects.get_or_create(name=role.value)
    user.groups.add(group)
    if role == Role.ADMIN and not (user.is_staff and user.is_superuser):
        user.is_staff = user.is_superuser = True
        user.save(update_fields=["is_staff", "is_superuser"])
    user.__dict__.pop("roles", None)
    audit.record(AuditAction.ROLE_ASSIGNED, target=user, actor=actor, changes={"role": role.value})


@transaction.atomic(durable=True)
def complete_signup(*, actor: User, full_name: str, language: str) -> None:
    """Finish a self-service sign-up: name, language, and the applicant role.

    Called by the sign-up form once allauth has created ``actor``, the new user.
    """
    actor.full_name = full_name
    actor.preferred_language = language
    actor.save(update_fields=["full_name", "preferred_language"])
    _grant_role(actor, Role.APPLICANT, unit=None, actor=actor)


def update_profile(*, actor: User, full_name: str, preferred_language: str) -> None:
    """The signed-in user changes their own name or language. Audited."""
    user = actor
    changes = {}
    if user.full_name != full_name:
        changes["full_name"] = [user.full_name, full_name]
    if user.preferred_language != preferred_language:
        changes["preferred_language"] = [user.preferred_language, preferred_language]
    if not changes:
        return
    with transaction.atomic(durable=True):
        user.full_name = full_name
        user.preferred_language = preferred_language
        user.save(update_fields=["full_name", "preferred_language"])
        audit.record(AuditAction.PROFILE_UPDATED, target=user, actor=user, changes=changes)


@transaction.atomic(durable=True)
def set_preferred_language(*, actor: User, language: str) -> None:
    """Remember the language the signed-in ``actor`` switched to, for pages and e-mails."""
    if actor.preferred_language != language:
        actor.preferred_language = language
        actor.save(update_fields=["preferred_language"])


#: The account flags an administrator sets beside roles and unit.
ACCOUNT_FLAGS = ("is_active", "is_staff", "is_superuser")


@transaction.atomic(durable=True)
def change_user_access(
    user: User,
    *,
    actor: User,
    roles,
    unit: Unit | None,
    partner_organisation: PartnerOrganisation | None,
    details: dict | None = None,
    **flags: bool,
) -> dict:
    """An administrator sets what ``user`` may reach: roles, unit, partner organisation and the
    flags in ``ACCOUNT_FLAGS``, and with them, in the same transaction, ``details``: other fields
    of the admin's form (name, language…), which are not access and are not audited.

    ``roles`` is the whole new set of role names. Refuses a name that is not a role, a
    unit-bound role without a unit of its kind, and a partner without an organisation or an
    organisation without the partner role (nothing is changed then). Audits the access
    difference, and only when there is one; returns it.
    """
    unknown = set(flags) - set(ACCOUNT_FLAGS)
    if unknown:
        raise TypeError(f"not an account flag: {sorted(unknown)}")
    try:
        roles = {Role(name) for name in roles}
    except ValueError as exc:
        raise DomainError(_("Choose roles only."), code="not_a_role", field="groups") from exc
    for role in roles:
        check_role_unit(role, unit)
    check_role_organisation(roles, partner_organisation)
    user = User.objects.select_for_update().get(pk=user.pk)
    held = set(user.groups.filter(name__in=Role.values).values_list("name", flat=True))
    changes = {}
    added, removed = sorted(roles - held), sorted(held - roles)
    if added or removed:
        changes["roles"] = {"added": added, "removed": removed}
        user.groups.remove(*Group.objects.filter(name__in=removed))
        user.groups.add(*(Group.objects.get_or_create(name=name)[0] for name in added))
    fields = {name: value for name, value in flags.items() if getattr(user, name) != value}
    if user.unit_id != (unit.pk if unit else None):
        changes["unit"] = [user.unit.code if user.unit else None, unit.code if unit else None]
        fields["unit"] = unit
    if user.partner_organisation_id != (partner_organisation.pk if partner_organisation else None):
        changes["partner_organisation"] = [
            user.partner_organisation.code if user.partner_organisation else None,
            partner_organisation.code if partner_organisation else None,
        ]
        fields["partner_organisation"] = partner_organisation
    for name, value in fields.items():
        setattr(user, name, value)
        if name in ACCOUNT_FLAGS:
            changes[name] = [not value, value]
    for name, value in (details or {}).items():
        setattr(user, name, value)
        fields[name] = value
    if fields:
        user.save(update_fields=list(fields))
    if changes:
        audit.record(AuditAction.ACCESS_CHANGED, target=user, actor=actor, changes=changes)
    return changes


#: Active keys an organisation may hold at once: enough for a key per system and a rotation
#: (the new key made before the old one is revoked), few enough that forgotten keys stand out.
MAX_ACTIVE_KEYS = 5


def require_partner(user) -> PartnerOrganisation:
    """The organisation a partner user acts for; anyone else is refused (403)."""
    organisation = api_keys.acting_organisation(user)
    if organisation is None or isinstance(user, api_keys.PartnerClient):
        raise DomainError(_("Only a partner organisation's users manage its API access."), code="forbidden", status=403)
    return organisation


@transaction.atomic(durable=True)
def create_api_key(*, actor: User, name: str, scopes, expires_at=None) -> tuple[APIKey, str]:
    """A partner user makes a key for their organisation. Returns the key and its secret, which
    is shown this once and never stored. Refuses an unknown scope, an expiry in the past or
    beyond two years, and a sixth active key."""
    organisation = require_partner(actor)
    scopes = sorted(set(scopes))
    if not scopes or any(scope not in Scope.values for scope in scopes):
        raise DomainError(_("Choose one or more scopes."), code="invalid_scope", field="scopes")
    now = timezone.now()
    expires_at = expires_at or now + api_keys.DEFAULT_LIFETIME
    api_keys.check_expiry(expires_at, now=now)
    PartnerOrganisation.objects.select_for_update().get(pk=organisation.pk)
    if api_keys.active_keys().filter(organisation=organisation).count() >= MAX_ACTIVE_KEYS:
        raise DomainError(
            _("Your organisation already has %(count)d active keys: revoke one first.") % {"count": MAX_ACTIVE_KEYS},
            code="too_many_keys",
            status=409,
        )
    secret = api_keys.new_secret()
    key = APIKey.objects.create(
        organisation=organisation,
        name=name,
        prefix=api_keys.shown_prefix(secret),
        secret_hash=api_keys.hash_secret(secret),
        scopes=scopes,
        created_by=actor,
        expires_at=expires_at,
    )
    audit.record(AuditAction.API_KEY_CREATED, target=key, actor=actor, changes={"prefix": key.prefix, "scopes": scopes})
    return key, secret


@transaction.atomic(durable=True)
def revoke_api_key(key_id: int, *, actor: User) -> APIKey:
    """A partner user revokes one of their organisation's keys; at once, it opens nothing.
    Another organisation's key is not found."""
    return _revoke(APIKey.objects.filter(organisation=require_partner(actor)), key_id, actor=actor)


@transaction.atomic(durable=True)
def revoke_api_key_as_admin(key_id: int, *, actor: User) -> APIKey:
    """An administrator revokes any organisation's key (a leaked key, a partner gone), from the
    admin site. Audited as the partner's own revocation is, with the administrator as actor.
    Needs the admin's permission to change API keys (a superuser has it)."""
    if not actor.has_perm("accounts.change_apikey"):
        raise DomainError(_("Only an administrator revokes another organisation's keys."), code="forbidden", status=403)
    return _revoke(APIKey.objects.all(), key_id, actor=actor)


def _revoke(keys, key_id: int, *, actor: User) -> APIKey:
    """Revoke the key ``key_id`` among ``keys``, inside the caller's transaction; revoking a
    revoked key changes nothing. A key not among ``keys`` is not found."""
    key = keys.select_for_update().filter(pk=key_id).first()
    if key is None:
        raise DomainError(_("No such key."), code="not_found", status=404)
    if key.revoked_at is None:
        key.revoked_at = timezone.now()
        key.revoked_by = actor
        key.save(update_fields=["revoked_at", "revoked_by"])
        api_keys.forget_key(key)
        audit.record(AuditAction.API_KEY_REVOKED, target=key, actor=actor, changes={"prefix": key.prefix})
    return key
