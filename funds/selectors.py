"""Who works for a fund, and the reads the fund's pages and API share.

A fund's **managers** (role fund manager, unit = the fund's unit) run its pipeline and see all
of it; its **committee members** (role committee member, same unit) see the committee page and,
once they declared on a deal of a meeting they sit on, that deal's papers. An enterprise's
members see their own rounds and requests only (``enterprise_deals``, ``enterprise_rounds``).
Anything of anyone else's is not found, never forbidden: a reference says nothing.
"""

from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, QuerySet
from django.http import Http404

from enterprises.models import Membership
from hkhz_portal.accounts.roles import Role, UnitKind

from .gates import with_gates
from .models import ConflictDeclaration, Deal, Exit, FinancingRound, Fund, Investment, TransactionKind
from .workflow import BOARD_STAGES, Stage


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


def managed_fund(user, slug: str = "") -> Fund:
    """The fund a manager's page is about: the one named by ``slug``, else the first they manage.
    Anyone but a fund manager is refused; a fund they do not manage is not found."""
    if not is_fund_manager(user):
        raise PermissionDenied
    funds = Fund.objects.filter(unit_id=user.unit_id)
    found = (funds.filter(slug=slug) if slug else funds).first()
    if found is None:
        raise Http404
    return found


def board_deals(fund: Fund) -> QuerySet[Deal]:
    """The fund's deals on the board (every stage but declined), with what their gates need,
    their enterprise and lead, the longest in their stage first."""
    return (
        with_gates(Deal.objects.filter(fund=fund, stage__in=BOARD_STAGES))
        .select_related("enterprise", "lead")
        .order_by("stage_changed_at", "id")
    )


def declined_deals(fund: Fund) -> QuerySet[Deal]:
    return (
        Deal.objects.filter(fund=fund, stage=Stage.DECLINED)
        .select_related("enterprise")
        .order_by("-stage_changed_at", "-id")
    )


def portfolio_companies(fund: Fund) -> QuerySet[Deal]:
    """The fund's portfolio companies (deals closed), with their investments and exits (and each one's
    capital transaction) in two more queries whatever their number."""
    return (
        Deal.objects.filter(fund=fund, stage=Stage.PORTFOLIO)
        .select_related("enterprise")
        .prefetch_related(
            Prefetch("investments", queryset=Investment.objects.select_related("transaction")),
            Prefetch("exits", queryset=Exit.objects.select_related("transaction")),
        )
        .order_by("enterprise__legal_name_en", "id")
    )


def capital_history(fund: Fund) -> list[tuple]:
    """``(date, committed, invested)`` on each date either changed, in the fund's currency, each
    the running total up to that date."""
    moves = (
        fund.transactions.filter(kind__in=(TransactionKind.COMMITMENT, TransactionKind.INVESTMENT))
        .order_by("value_date", "id")
        .values_list("value_date", "kind", "fund_amount")
    )
    totals = {TransactionKind.COMMITMENT: Decimal("0.00"), TransactionKind.INVESTMENT: Decimal("0.00")}
    history = []
    for day, kind, amount in moves:
        totals[kind] += amount
        row = (day, totals[TransactionKind.COMMITMENT], totals[TransactionKind.INVESTMENT])
        if history and history[-1][0] == day:
            history[-1] = row
        else:
            history.append(row)
    return history
