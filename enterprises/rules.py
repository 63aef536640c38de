"""Role-level permissions on enterprises (django-rules), checked by views and templates (``perms``).

Membership is checked on the object itself: every member page and API call loads the
enterprise through ``selectors.enterprise_of``, which is 404 for anyone who is not a member,
and owner-only changes are refused by the services. Officers' access to an enterprise's
documents arrives with applications to their unit (the admission workflow) and belongs here.
"""

import rules

from hkhz_portal.accounts.roles import Role

DIRECTORY_ROLES = frozenset({Role.PROGRAM_OFFICER, Role.CENTRE_STAFF, Role.FUND_MANAGER, Role.ADMIN})
#: Who may create (and so own) an enterprise: the firms' own people, and admins setting one up.
#: Staff, reviewers and partners judge or read enterprises; owning one would be a conflict.
CREATOR_ROLES = frozenset({Role.APPLICANT, Role.ADMIN})


@rules.predicate
def is_directory_staff(user):
    return user.is_authenticated and bool(user.roles & DIRECTORY_ROLES)


@rules.predicate
def may_create_enterprise(user):
    return user.is_authenticated and bool(user.roles & CREATOR_ROLES)


rules.add_perm("enterprises.view_directory", is_directory_staff)
rules.add_perm("enterprises.create_enterprise", may_create_enterprise)
