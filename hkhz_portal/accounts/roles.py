"""The portal's roles, declared once.

A role is a Django group of the same name; the data migration and ``sync_roles`` create
the groups. Which roles are staff (and so must use MFA), and which unit kinds a staff
member of each role may belong to, is read from here by services, middleware and pages.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    APPLICANT = "applicant", _("Applicant")
    PROGRAM_OFFICER = "program_officer", _("Program officer")
    REVIEWER = "reviewer", _("Reviewer")
    CENTRE_STAFF = "centre_staff", _("Centre staff")
    FUND_MANAGER = "fund_manager", _("Fund manager")
    COMMITTEE_MEMBER = "committee_member", _("Committee member")
    PARTNER = "partner", _("Partner")
    ADMIN = "admin", _("Administrator")


class UnitKind(models.TextChoices):
    PLATFORM = "platform", _("Collaborative innovation platform")
    GO_GLOBAL_CENTRE = "go_global_centre", _("Go-global service centre (Hong Kong)")
    COME_IN_CENTRE = "come_in_centre", _("Come-in service centre (Hangzhou)")
    FUND = "fund", _("Transformation fund")


CENTRES = frozenset({UnitKind.GO_GLOBAL_CENTRE, UnitKind.COME_IN_CENTRE})

#: Staff roles must have two-factor authentication before they reach any staff page.
STAFF_ROLES = frozenset(
    {
        Role.PROGRAM_OFFICER,
        Role.REVIEWER,
        Role.CENTRE_STAFF,
        Role.FUND_MANAGER,
        Role.COMMITTEE_MEMBER,
        Role.ADMIN,
    }
)

#: The unit kinds a member of each role may belong to; ``None`` means no unit is needed.
ROLE_UNIT_KINDS: dict[str, frozenset | None] = {
    Role.APPLICANT: None,
    Role.PARTNER: None,
    Role.REVIEWER: None,
    Role.ADMIN: None,
    Role.PROGRAM_OFFICER: frozenset({UnitKind.PLATFORM}) | CENTRES,
    Role.CENTRE_STAFF: CENTRES,
    Role.FUND_MANAGER: frozenset({UnitKind.FUND}),
    Role.COMMITTEE_MEMBER: frozenset({UnitKind.FUND}),
}
