"""Who works for a fund, and the reads the fund's pages and API share.

A fund's **managers** (role fund manager, unit = the fund's unit) run its pipeline and see all
of it; its **committee members** (role committee member, same unit) see the committee page and,
once they declared on a deal of a meeting they sit on, that deal's papers. An enterprise's
members see their own rounds and requests only (``enterprise_deals``, ``enterprise_rounds``).
Anything of anyone else's is not found, never forbidden: a reference says nothing.
"""

import datetime
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from enterprises.models import Membership
from hkhz_portal.accounts.roles import Role, UnitKind

from .display import enterprise_request, enterprise_window
from .gates import with_gates
from .models import (
    AgendaItem,
    CommitteeMeeting,
    Condition,
    ConflictDeclaration,
    Deal,
    DealDocument,
    DealNote,
    DealStageChange,
    DiligenceItem,
    Exit,
    FinancingRound,
    Fund,
    Investment,
    Outcome,
    PriorityWindow,
    TransactionKind,
    Vote,
    WindowState,
)
from .workflow import BOARD_STAGES, OPEN_STAGES, Stage


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


# --- The deal page ---------------------------------------------------------------------------------
# Each read is one query whatever the deal holds (its items, documents, votes), so the page's
# query count does not grow with them.


def gated(deal: Deal) -> Deal:
    """``deal`` read again with what its gates need (``gates.with_gates``)."""
    return with_gates(Deal.objects.filter(pk=deal.pk).select_related("fund", "enterprise", "lead", "application")).get()


def manager_choices(fund: Fund) -> list:
    """The fund's managers, by name, for the lead's and the checklist owners' choices."""
    return list(fund_managers(fund).order_by("full_name", "email").only("full_name", "email"))


def deal_checklist(deal: Deal) -> QuerySet[DiligenceItem]:
    evidence = Prefetch("evidence", queryset=DealDocument.objects.order_by("created_at", "id"))
    return deal.checklist.select_related("owner", "signed_off_by").prefetch_related(evidence)


def deal_documents(deal: Deal) -> QuerySet[DealDocument]:
    return deal.documents.select_related("uploaded_by", "item").order_by("created_at", "id")


def deal_document(deal: Deal, pk: int) -> DealDocument:
    """One document of ``deal``'s file, or 404."""
    found = deal.documents.filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def deal_item(deal: Deal, pk: int) -> DiligenceItem:
    found = deal.checklist.filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def deal_condition(deal: Deal, pk: int) -> Condition:
    found = deal.conditions.filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def deal_conditions(deal: Deal) -> QuerySet[Condition]:
    return deal.conditions.select_related("met_by", "item__meeting").order_by("item__meeting__scheduled_for", "id")


def deal_agenda(deal: Deal) -> QuerySet[AgendaItem]:
    """The deal's agenda items with their meeting, declarations and votes. A caller shows how
    each member voted only on a closed item: before the close, who voted and nothing more."""
    return (
        deal.agenda_items.select_related("meeting__chair", "closed_by")
        .prefetch_related(
            Prefetch("votes", queryset=Vote.objects.select_related("member").order_by("member__full_name", "id")),
            Prefetch(
                "declarations",
                queryset=ConflictDeclaration.objects.select_related("member").order_by("member__full_name", "id"),
            ),
        )
        .order_by("meeting__scheduled_for", "id")
    )


def deal_notes(deal: Deal) -> QuerySet[DealNote]:
    return deal.notes.select_related("author")


def deal_stage_changes(deal: Deal) -> QuerySet[DealStageChange]:
    return deal.stage_changes.select_related("actor")


def deal_investments(deal: Deal) -> QuerySet[Investment]:
    return deal.investments.select_related("recorded_by")


def managed_windows(user) -> QuerySet[PriorityWindow]:
    """The priority windows of the funds ``user`` manages, with their round and enterprise."""
    if not is_fund_manager(user):
        return PriorityWindow.objects.none()
    return PriorityWindow.objects.filter(fund__unit_id=user.unit_id).select_related(
        "fund", "round__enterprise", "ended_by", "deal"
    )


def window_for_manager(user, pk: int) -> PriorityWindow:
    """One window of a fund ``user`` manages, or 404."""
    found = managed_windows(user).select_related("revived_from").filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


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


# --- The investment committee -----------------------------------------------------------------


def is_fund_staff(user) -> bool:
    """Whether ``user`` works for a fund: its pages are theirs; anyone else is refused (403)."""
    return is_fund_manager(user) or is_committee_member(user)


def meetings_of(user) -> QuerySet[CommitteeMeeting]:
    """The meetings ``user`` sees: all of their funds' for a manager, those they sit on for a
    committee member, with each one's agenda counted."""
    meetings = CommitteeMeeting.objects.filter(fund__unit_id=user.unit_id)
    if not is_fund_manager(user):
        meetings = meetings.filter(members=user) if is_committee_member(user) else meetings.none()
    return meetings.select_related("fund", "chair").annotate(
        items=Count("agenda", distinct=True),
        open_items=Count("agenda", filter=Q(agenda__closed_at__isnull=True), distinct=True),
    )


def meeting_for(user, pk: int) -> CommitteeMeeting:
    """One meeting ``user`` sees, or 404 (a meeting of another fund, or one a member does not sit on)."""
    meeting = meetings_of(user).filter(pk=pk).first()
    if meeting is None:
        raise Http404
    return meeting


def agenda_of(meeting: CommitteeMeeting) -> QuerySet[AgendaItem]:
    """The meeting's agenda with what its page shows of each deal, in a query per relation
    whatever its length. Votes are not here: who reads them depends on the close (``votes_of``)."""
    return (
        meeting.agenda.select_related("deal__enterprise", "deal__lead", "closed_by")
        .prefetch_related(
            Prefetch("declarations", queryset=ConflictDeclaration.objects.select_related("member")),
            "conditions",
            Prefetch("deal__checklist", queryset=DiligenceItem.objects.select_related("signed_off_by")),
            "deal__documents",
        )
        .order_by("order", "id")
    )


def votes_of(items) -> dict[int, list[Vote]]:
    """Every vote on ``items``, by item id: for the caller to show only as the rules allow."""
    votes = {}
    for vote in Vote.objects.filter(item__in=items).select_related("member").order_by("member__full_name", "id"):
        votes.setdefault(vote.item_id, []).append(vote)
    return votes


def awaiting(user) -> QuerySet[AgendaItem]:
    """The open agenda items waiting on committee member ``user``: a declaration to make, or a
    vote to cast after declaring no conflict."""
    if not is_committee_member(user):
        return AgendaItem.objects.none()
    mine = ConflictDeclaration.objects.filter(item=OuterRef("pk"), member=user)
    return (
        AgendaItem.objects.filter(meeting__members=user, closed_at__isnull=True, deal__stage=Stage.COMMITTEE)
        .exclude(Exists(mine.filter(conflicted=True)))
        .exclude(Exists(Vote.objects.filter(item=OuterRef("pk"), member=user)))
        .annotate(declared=Exists(mine))
        .select_related("meeting", "deal__enterprise")
        .order_by("meeting__scheduled_for", "order", "id")
    )


def deals_for_agenda(deals: QuerySet[Deal]) -> QuerySet[Deal]:
    """Those of ``deals`` at the committee stage that may go on an agenda: not on an open item
    and not approved already."""
    items = AgendaItem.objects.filter(deal=OuterRef("pk"))
    return (
        deals.filter(stage=Stage.COMMITTEE)
        .exclude(Exists(items.filter(closed_at__isnull=True)))
        .exclude(Exists(items.filter(outcome__in=[Outcome.APPROVED, Outcome.APPROVED_WITH_CONDITIONS])))
        .select_related("enterprise")
        .order_by("stage_changed_at", "id")
    )


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
