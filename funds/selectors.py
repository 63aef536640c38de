"""Who works for a fund, and the reads the fund's pages and API share.

A fund's **managers** (role fund manager, unit = the fund's unit) run its pipeline and see all
of it; its **committee members** (role committee member, same unit) see the committee page and,
once they declared on a deal of a meeting they sit on, that deal's papers. An enterprise's
members see their own rounds and requests only (``enterprise_deals``, ``enterprise_rounds``).
Anything of anyone else's is not found, never forbidden: a reference says nothing.
"""

import datetime

from django.contrib.auth import get_user_model
from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from enterprises.models import Membership
from hkhz_portal.accounts.roles import Role, UnitKind

from .models import ConflictDeclaration, Deal, FinancingRound, Fund, PriorityWindow, WindowState
from .workflow import BOARD_STAGES


def _fund_staff(user, role) -> bool:
    return bool(
        user.is_authenticated
        and user.is_active
        and user.unit_id is not None
        and user.has_role(role)
        and user.unit.kind == UnitKind.FUND
    )


def is_fund_manager(user, fund: Fund | None = None) -> bool:
    """Whether ``user`` manages a fund (``fund``, when given)."""
    return _fund_staff(user, Role.FUND_MANAGER) and (fund is None or fund.unit_id == user.unit_id)


def is_committee_member(user, fund: Fund | None = None) -> bool:
    return _fund_staff(user, Role.COMMITTEE_MEMBER) and (fund is None or fund.unit_id == user.unit_id)


def funds_of(user) -> QuerySet[Fund]:
    """The funds ``user`` works for (managing or on the committee); none for anyone else."""
    if not (is_fund_manager(user) or is_committee_member(user)):
        return Fund.objects.none()
    return Fund.objects.filter(unit_id=user.unit_id)


def fund_managers(fund: Fund) -> QuerySet:
    return get_user_model().objects.filter(unit_id=fund.unit_id, is_active=True, groups__name=Role.FUND_MANAGER)


def committee_members(fund: Fund) -> QuerySet:
    return get_user_model().objects.filter(unit_id=fund.unit_id, is_active=True, groups__name=Role.COMMITTEE_MEMBER)


def managed_deals(user) -> QuerySet[Deal]:
    """The deals of the funds ``user`` manages."""
    if not is_fund_manager(user):
        return Deal.objects.none()
    return Deal.objects.filter(fund__unit_id=user.unit_id)


def deal_for_manager(user, reference: str) -> Deal:
    """One deal of a fund ``user`` manages, or 404."""
    deal = managed_deals(user).select_related("fund", "enterprise", "lead", "application").filter(reference=reference)
    found = deal.first()
    if found is None:
        raise Http404
    return found


def is_member(user, enterprise_id) -> bool:
    return user.is_authenticated and Membership.objects.filter(enterprise_id=enterprise_id, user=user).exists()


def enterprise_deals(enterprise) -> QuerySet[Deal]:
    """The enterprise's own requests for investment, as the enterprise may see them: callers show
    only ``funds.display`` fields (stage as status, the decline reason), never notes or votes."""
    return Deal.objects.filter(enterprise=enterprise).select_related("fund").order_by("-created_at", "-id")


def enterprise_rounds(enterprise) -> QuerySet[FinancingRound]:
    return FinancingRound.objects.filter(enterprise=enterprise).order_by("-created_at", "-id")


def papers_unlocked(user, deal: Deal) -> bool:
    """Whether a committee member may read ``deal``'s papers: they sit on a meeting with the deal
    on its agenda and declared no conflict on it."""
    if not is_committee_member(user, deal.fund):
        return False
    return ConflictDeclaration.objects.filter(
        item__deal=deal, item__meeting__members=user, member=user, conflicted=False
    ).exists()


#: How far ahead the fund manager's dashboard looks for windows ending.
ENDING_SOON = datetime.timedelta(days=7)


def manager_dashboard_panel(user) -> dict | None:
    """The dashboard's fund panel (registered in ``FundsConfig.ready``): the open priority windows
    ending within a week, soonest first, and the deals at each stage of the board, in two
    queries; none for anyone who does not manage a fund."""
    if not is_fund_manager(user):
        return None
    now = timezone.now()
    windows = PriorityWindow.objects.filter(
        fund__unit_id=user.unit_id, state=WindowState.OPEN, ends_at__lte=now + ENDING_SOON
    ).select_related("round__enterprise")
    ending = [(window, (window.ends_at - now).days) for window in windows.order_by("ends_at", "id")]
    counts = managed_deals(user).aggregate(
        **{stage.value: Count("id", filter=Q(stage=stage)) for stage in BOARD_STAGES}
    )
    return {"ending": ending, "stages": [(stage, counts[stage.value]) for stage in BOARD_STAGES]}
