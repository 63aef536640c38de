from hkhz_portal.accounts.api_keys import PartnerClient
from hkhz_portal.accounts.roles import Role
from hkhz_portal.accounts.workspaces import WORKSPACES

from .notifications import unread_count


def portal(request):
    """Header data: the signed-in user's workspaces, unread notification count, whether they are an applicant."""
    user = getattr(request, "user", None)
    # A partner's key (an API page rendered from a template, such as the docs) is no signed-in
    # person: it has no workspaces or notifications.
    if user is None or not user.is_authenticated or isinstance(user, PartnerClient):
        return {}
    mine = [w for w in WORKSPACES if w.open_to(user)]
    # The workspace the page belongs to, for the header's aria-current: the one whose address is
    # the longest start of the page's (the centre's dashboard lies under its queue's address).
    current = max((w for w in mine if request.path.startswith(w.url)), key=lambda w: len(w.url), default=None)
    return {
        "my_workspaces": mine,
        "current_workspace": current and current.slug,
        "unread_notifications": unread_count(user),
        # Templates cannot call user.has_role(...): the header's "My enterprises" links need this.
        "is_applicant": user.has_role(Role.APPLICANT),
    }
