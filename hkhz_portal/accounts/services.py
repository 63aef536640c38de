"""Every change of state in accounts: one function per use case."""

from django.contrib.auth.models import Group
from django.db import transaction
from django.utils.translation import gettext as _

from hkhz_portal.core import audit
from hkhz_portal.core.errors import DomainError

from .audit_actions import AuditAction
from .models import Unit, User
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


def _grant_role(user: User, role: Role, *, unit: Unit | None, actor: User | None) -> None:
    """``assign_role``'s work, inside the caller's transaction."""
    allowed = ROLE_UNIT_KINDS[role]
    if allowed is not None:
        unit = unit or user.unit
        if unit is None or unit.kind not in allowed:
            raise DomainError(
                _("A %(role)s must belong to one of these units: %(kinds)s.")
                % {"role": Role(role).label, "kinds": ", ".join(sorted(str(UnitKind(k).label) for k in allowed))},
                code="unit_kind_mismatch",
            )
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


def set_preferred_language(*, actor: User, language: str) -> None:
    """Remember the language the signed-in ``actor`` switched to, for pages and e-mails."""
    if actor.preferred_language != language:
        actor.preferred_language = language
        actor.save(update_fields=["preferred_language"])
