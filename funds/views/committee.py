"""The investment committee's pages: the meetings (upcoming and past, and for a member what
awaits them), convening one, and a meeting's page with its agenda.

On the meeting page each member declares on each deal before its papers (the deal's summary,
checklist and documents) unlock, then votes. A vote is shown to its author only until the close;
the chair and the managers see who has voted, never how. After the close every member of the
meeting and the managers read the outcome, the tally and each vote. The fund's staff who do not
sit on a meeting, and anyone else's, find nothing (404); anyone not working for a fund is refused.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from enterprises.choices import ExportKind
from enterprises.services.consent import log_export
from hkhz_portal.core.downloads import download_response
from hkhz_portal.core.errors import DomainError
from hkhz_portal.core.forms import act_on_form, call_service
from hkhz_portal.core.validators import is_row_id

from .. import selectors
from ..committee_forms import AgendaForm, CloseForm, ConveneForm, DeclareForm, VoteForm
from ..models import ItemStatus
from ..services import committee as services
from ..workflow import Stage

PAST_PER_PAGE = 20


def _fund_staff(request) -> None:
    if not selectors.is_fund_staff(request.user):
        raise PermissionDenied


@login_required
@require_GET
def committee(request):
    _fund_staff(request)
    user = request.user
    meetings = selectors.meetings_of(user)
    today = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    current = Q(scheduled_for__gte=today) | Q(open_items__gt=0)
    past = Paginator(meetings.exclude(current).order_by("-scheduled_for", "-id"), PAST_PER_PAGE)
    is_manager = selectors.is_fund_manager(user)
    return render(
        request,
        "funds/committee/committee.html",
        {
            "upcoming": list(meetings.filter(current).order_by("scheduled_for", "id")),
            "page": past.get_page(request.GET.get("page")),
            "awaiting": list(selectors.awaiting(user)),
            "is_manager": is_manager,
            "waiting_deals": list(selectors.deals_for_agenda(selectors.managed_deals(user))) if is_manager else [],
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def convene(request):
    if not selectors.is_fund_manager(request.user):
        raise PermissionDenied
    form = ConveneForm(request.POST or None, funds=selectors.funds_of(request.user))
    if request.method == "POST" and form.is_valid():
        convened = call_service(form, lambda: form.perform(request.user))
        if convened is not None:
            messages.success(request, _("The meeting is convened: put deals on its agenda."))
            return HttpResponseRedirect(reverse("funds:meeting", args=[convened.pk]))
    return render(request, "funds/committee/convene.html", {"form": form}, status=400 if form.errors else 200)


def _item_forms(bound, item, kind):
    """``bound`` if it is this item's form of ``kind`` (sent with errors), else ``None``."""
    if getattr(bound, "kind", None) == kind and bound.item.pk == item.pk:
        return bound
    return None


def _rows(request, meeting, items, bound):
    """What the page shows of each agenda item to this user: the votes only after the close; before
    it, the user's own vote, and who has voted to the chair and the managers."""
    user = request.user
    is_manager = selectors.is_fund_manager(user, meeting.fund)
    is_chair = user.pk == meeting.chair_id
    members = list(meeting.members.order_by("full_name", "email"))
    sits = any(member.pk == user.pk for member in members)
    votes = selectors.votes_of(items)
    rows = []
    for item in items:
        declarations = {declaration.member_id: declaration for declaration in item.declarations.all()}
        mine = declarations.get(user.pk)
        item_votes = votes.get(item.pk, [])
        row = {"item": item, "mine": mine, "papers": sits and mine is not None and not mine.conflicted}
        if item.is_closed:
            row["votes"] = item_votes
            row["conflicted"] = [d for d in declarations.values() if d.conflicted]
            row["conditions"] = list(item.conditions.all())
        else:
            voted = {vote.member_id for vote in item_votes}
            row["my_vote"] = next((vote for vote in item_votes if vote.member_id == user.pk), None)
            if is_chair or is_manager:
                row["roster"] = [
                    {"member": member, "declaration": declarations.get(member.pk), "voted": member.pk in voted}
                    for member in members
                ]
            at_committee = item.deal.stage == Stage.COMMITTEE
            if sits and mine is None:
                row["declare_form"] = _item_forms(bound, item, "declare") or DeclareForm(item=item)
            if row["papers"] and at_committee:
                own = row["my_vote"]
                initial = {"choice": own.choice, "comment": own.comment} if own else None
                row["vote_form"] = _item_forms(bound, item, "vote") or VoteForm(item=item, initial=initial)
            if (is_chair or is_manager) and at_committee:
                chair = declarations.get(meeting.chair_id)
                casting = meeting.fund.chair_casting_vote and not (chair and chair.conflicted)
                row["close_form"] = _item_forms(bound, item, "close") or CloseForm(item=item, casting=casting)
            row["removable"] = is_manager
        if row["papers"]:
            checklist = list(item.deal.checklist.all())
            row["checklist"] = checklist
            row["signed_off"] = sum(1 for entry in checklist if entry.signed_off_at)
            row["flagged"] = sum(1 for entry in checklist if entry.status == ItemStatus.FLAGGED)
            row["documents"] = list(item.deal.documents.all())
        rows.append(row)
    return rows, {"is_manager": is_manager, "is_chair": is_chair, "sits": sits, "members": members}


def _render(request, meeting, *, bound=None, status=200):
    items = list(selectors.agenda_of(meeting))
    rows, who = _rows(request, meeting, items, bound)
    agenda_form = None
    if who["is_manager"]:
        deals = selectors.deals_for_agenda(meeting.fund.deals.all())
        agenda_form = bound if isinstance(bound, AgendaForm) else AgendaForm(meeting=meeting, deals=deals)
    return render(
        request,
        "funds/committee/meeting.html",
        {"meeting": meeting, "rows": rows, "agenda_form": agenda_form, **who},
        status=status,
    )


def _meeting(request, pk):
    _fund_staff(request)
    return selectors.meeting_for(request.user, pk)


@login_required
@require_GET
def meeting(request, pk):
    return _render(request, _meeting(request, pk))


def _page(meeting, fragment="") -> HttpResponseRedirect:
    url = reverse("funds:meeting", args=[meeting.pk])
    return HttpResponseRedirect(f"{url}#{fragment}" if fragment else url)


def _act(request, meeting, form, done: str, fragment=""):
    return act_on_form(
        request,
        form,
        lambda: form.perform(request.user),
        done=done,
        back=_page(meeting, fragment),
        page=lambda bound: _render(request, meeting, bound=bound, status=400),
    )


def _item(meeting, pk):
    return get_object_or_404(meeting.agenda.select_related("deal"), pk=pk)


@login_required
@require_POST
def agenda(request, pk):
    """A manager puts a deal on the agenda, or (``remove``: an open item's id) takes one off."""
    meeting = _meeting(request, pk)
    if "remove" in request.POST:
        return _remove(request, meeting, request.POST["remove"])
    deals = selectors.deals_for_agenda(meeting.fund.deals.all())
    form = AgendaForm(request.POST, meeting=meeting, deals=deals)
    return _act(request, meeting, form, _("The deal is on the agenda."), "agenda")


def _remove(request, meeting, pk: str):
    if not is_row_id(pk):
        raise Http404
    item = _item(meeting, pk)
    try:
        services.remove_from_agenda(actor=request.user, item=item)
    except DomainError as err:
        if err.status != 409:
            raise
        messages.error(request, err.message)
    else:
        messages.success(request, _("%(reference)s is off the agenda.") % {"reference": item.deal.reference})
    return _page(meeting, "agenda")


@login_required
@require_POST
def declare(request, pk, item):
    meeting = _meeting(request, pk)
    item = _item(meeting, item)
    form = DeclareForm(request.POST, item=item)
    return _act(request, meeting, form, _("Your declaration is recorded."), f"item-{item.pk}")


@login_required
@require_POST
def vote(request, pk, item):
    meeting = _meeting(request, pk)
    item = _item(meeting, item)
    form = VoteForm(request.POST, item=item)
    done = _("Your vote is recorded. You can change it until the vote closes.")
    return _act(request, meeting, form, done, f"item-{item.pk}")


@login_required
@require_POST
def close_vote(request, pk, item):
    meeting = _meeting(request, pk)
    item = _item(meeting, item)
    chair = item.declarations.filter(member_id=meeting.chair_id, conflicted=True).exists()
    form = CloseForm(request.POST, item=item, casting=meeting.fund.chair_casting_vote and not chair)
    return _act(request, meeting, form, _("The vote is closed."), f"item-{item.pk}")


@never_cache
@login_required
@require_GET
def paper_download(request, pk, item, document):
    """A document of the deal on the agenda, for a member of the meeting who declared no conflict
    on it, or a manager of the fund; for anyone else it does not exist."""
    meeting = _meeting(request, pk)
    item = get_object_or_404(meeting.agenda.select_related("deal__enterprise"), pk=item)
    unlocked = item.declarations.filter(member=request.user, conflicted=False).exists()
    if not (unlocked or selectors.is_fund_manager(request.user, meeting.fund)):
        raise Http404
    paper = get_object_or_404(item.deal.documents, pk=document)
    response = download_response(
        paper.file,
        filename=paper.original_name,
        content_type=paper.content_type,
        missing=_("The file of this document is missing."),
    )
    log_export(
        kind=ExportKind.DOCUMENT_DOWNLOAD,
        actor=request.user,
        enterprise=item.deal.enterprise,
        description=f"{item.deal.reference} committee paper {paper.pk} ({paper.original_name})",
    )
    return response
