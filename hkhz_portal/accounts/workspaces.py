"""Each staff role's workspace, declared once for the header, the dashboard and the pages.

A workspace names the page it opens on by URL name (``url_name``: a string, so this package imports
no app); ``/workspace/<slug>/`` leads there too, for links kept from before the pages existed. A
workspace belongs to its role, and also to the program officers of the unit kinds it names in ``led_in``:
a service centre's program officers lead its staff and work its requests with them.
"""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .roles import CENTRES, Role


@dataclass(frozen=True)
class Workspace:
    slug: str
    role: Role
    title: str
    summary: str
    #: The page the workspace opens on.
    url_name: str
    #: Whether the dashboard shows the workspace's card: not where a dashboard panel of the same
    #: role already leads there and says more.
    card: bool = True
    #: Unit kinds whose program officers have the workspace too (they lead those units).
    led_in: frozenset = frozenset()
    #: Other roles whose work the workspace is part of (a fund's managers convene its committee).
    shared_with: frozenset = frozenset()

    def open_to(self, user) -> bool:
        """Whether ``user`` has the workspace: by its role or one it is shared with, or leading a
        unit of a kind in ``led_in``."""
        if user.has_role(self.role) or self.shared_with & user.roles:
            return True
        leads = bool(self.led_in) and user.has_role(Role.PROGRAM_OFFICER) and user.unit_id is not None
        return leads and user.unit.kind in self.led_in

    @property
    def url(self) -> str:
        return reverse(self.url_name)


WORKSPACES = [
    Workspace(
        "screening",
        Role.PROGRAM_OFFICER,
        _("Applications"),
        _("Screen applications to your unit's calls, ask applicants for more information and decide."),
        url_name="programs:staff_queue",
    ),
    Workspace(
        "admission-dashboard",
        Role.PROGRAM_OFFICER,
        _("Admission dashboard"),
        _(
            "Your unit's admission in figures: applications by status, the funnel to admission, time in each "
            "state, reviewers' load and overdue reviews."
        ),
        url_name="programs:staff_dashboard",
    ),
    Workspace(
        "reviews",
        Role.REVIEWER,
        _("Reviews"),
        _("Declare conflicts of interest and score the applications assigned to you."),
        url_name="programs:reviews",
    ),
    Workspace(
        "service-requests",
        Role.CENTRE_STAFF,
        _("Service requests"),
        _("Take and complete your centre's service requests within their service level."),
        url_name="programs:centre_queue",
        led_in=CENTRES,
    ),
    Workspace(
        "centre-dashboard",
        Role.CENTRE_STAFF,
        _("Centre dashboard"),
        _(
            "Your centre in figures: open requests per staff member, those at risk or breached, response and "
            "resolution times and the enterprises' ratings per service."
        ),
        url_name="programs:centre_dashboard",
        led_in=CENTRES,
    ),
    Workspace(
        "pipeline",
        Role.FUND_MANAGER,
        _("Deal pipeline"),
        _("Source deals and move them through screening, due diligence, the committee and the closing."),
        url_name="funds:board",
        card=False,  # the fund manager's panel (funds.selectors.manager_dashboard_panel)
    ),
    Workspace(
        "priority-windows",
        Role.FUND_MANAGER,
        _("Priority windows"),
        _("Exercise or waive the fund's priority right on the enterprises' financing rounds before it ends."),
        url_name="funds:windows",
        card=False,  # the fund manager's panel lists the windows ending soon
    ),
    Workspace(
        "portfolio",
        Role.FUND_MANAGER,
        _("Portfolio"),
        _("The fund's capital, committed against invested, and its portfolio companies with follow-ons and exits."),
        url_name="funds:portfolio",
    ),
    Workspace(
        "committee",
        Role.COMMITTEE_MEMBER,
        _("Committee"),
        _(
            "The investment committee's meetings: the deals on their agenda, each member's declaration and "
            "vote, and the outcomes."
        ),
        url_name="funds:committee",
        shared_with=frozenset({Role.FUND_MANAGER}),
    ),
    Workspace(
        "api-access",
        Role.PARTNER,
        _("API access"),
        _("Manage your organisation's API keys."),
        url_name="partner_api_keys",
        card=False,  # the partner's panel (accounts.selectors.partner_dashboard_panel)
    ),
    Workspace(
        "webhooks",
        Role.PARTNER,
        _("Webhooks"),
        _("Subscribe your systems to events, follow each delivery and send failed ones again."),
        url_name="webhooks:endpoint_list",
    ),
]

BY_SLUG = {w.slug: w for w in WORKSPACES}
