"""Object permissions on enterprises (django-rules), checked by pages and the API alike.

Officers get document access through applications to their unit; that arrives with the
admission workflow and extends ``view_documents`` here.
"""

import rules

from hkhz_portal.accounts.roles import Role

from .choices import MemberRole

DIRECTORY_ROLES = frozenset({Role.PROGRAM_OFFICER, Role.CENTRE_STAFF, Role.FUND_MANAGER, Role.ADMIN})


@rules.predicate
def is_member(user, enterprise):
    return enterprise.memberships.filter(user=user).exists()


@rules.predicate
def is_owner(user, enterprise):
    return enterprise.memberships.filter(user=user, role=MemberRole.OWNER).exists()


@rules.predicate
def is_directory_staff(user):
    return user.is_authenticated and bool(user.roles & DIRECTORY_ROLES)


rules.add_perm("enterprises.view_directory", is_directory_staff)
rules.add_perm("enterprises.view_enterprise", is_member | is_directory_staff)
rules.add_perm("enterprises.change_enterprise", is_member)
rules.add_perm("enterprises.manage_members", is_owner)
rules.add_perm("enterprises.view_documents", is_member)
