"""Who works for a fund, and the reads the fund's pages and API share.

A fund's **managers** (role fund manager, unit = the fund's unit) run its pipeline and see all
of it; its **committee members** (role committee member, same unit) see the committee page and,
once they declared on a deal of a meeting they sit on, that deal's papers. An enterprise's
members see their own rounds and requests only (``enterprise_deals``, ``enterprise_rounds``).
Anything of anyone else's is not found, never forbidden: a reference says nothing.
"""

from django.contrib.auth import get_user_model
from django.db.models import Prefetch, QuerySet
from django.http import Http404

from enterprises.models import Membership
from hkhz_portal.accounts.roles import Role, UnitKind

from .display import enterprise_request, enterprise_window
from .models import ConflictDeclaration, Deal, FinancingRound, Fund, PriorityWindow, WindowState
from .workflow import OPEN_STAGES


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


def with_windows(rounds: QuerySet[FinancingRound]) -> QuerySet[FinancingRound]:
    """Rounds with their windows (and each window's fund) and their offers, in three queries
    whatever their number: what ``display.current_windows`` and the round's page read."""
    return rounds.prefetch_related(
        Prefetch("windows", queryset=PriorityWindow.objects.select_related("fund")), "offers"
    )


def enterprise_round(enterprise, pk: int) -> FinancingRound:
    """One of ``enterprise``'s rounds, or 404."""
    found = with_windows(enterprise_rounds(enterprise)).filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


#: How many requests and rounds the applicant's dashboard panel lists.
PANEL_SIZE = 5


def funding_dashboard_panel(user) -> dict | None:
    """The applicant's "Investment" panel: their enterprises' open requests for investment and
    their rounds with a fund's window still open, or where to ask the fund, in three queries; none
    for anyone who is a member of no enterprise."""
    if not (user.is_authenticated and user.has_role(Role.APPLICANT)):
        return None
    enterprises = list(
        Membership.objects.filter(user=user)
        .select_related("enterprise")
        .order_by("enterprise__legal_name_en", "enterprise_id")
        .values_list("enterprise_id", "enterprise__reference")
    )
    if not enterprises:
        return None
    ids = [pk for pk, _reference in enterprises]
    requests = (
        Deal.objects.filter(enterprise_id__in=ids, stage__in=OPEN_STAGES)
        .select_related("fund", "enterprise")
        .order_by("-created_at", "-id")
    )
    windows = (
        PriorityWindow.objects.filter(round__enterprise_id__in=ids, state=WindowState.OPEN)
        .select_related("fund", "round__enterprise")
        .order_by("ends_at", "id")
    )
    return {
        "enterprise": enterprises[0][1],
        "requests": [(deal.enterprise, enterprise_request(deal)) for deal in requests[:PANEL_SIZE]],
        "windows": [(window.round, enterprise_window(window)) for window in windows[:PANEL_SIZE]],
    }
