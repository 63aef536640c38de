"""A deal's page, for the fund's managers: where it stands and the steps it may take now (those
waiting on a gate shown with the reason), its lead, its due-diligence checklist by area with each
item's evidence and sign-off, its documents, its conditions precedent, the committee's results,
its internal notes and its timeline.

The steps post to ``funds:deal_step`` (the board's view, which comes back here through ``next``);
the rest of the page's forms post here. Anyone but the fund's managers is refused (403), and a
deal of another fund does not exist (404). The page reads each of its parts in one query, so its
query count does not grow with the deal's items, documents or votes. Before a vote closes the
page says who voted and never how (the votes are not handed to the template at all).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from enterprises.uploads import refused_upload
from hkhz_portal.core.downloads import download_response
from hkhz_portal.core.errors import DomainError
from hkhz_portal.core.forms import act_on_form

from .. import selectors
from ..deal_forms import ChecklistItemForm, ConditionMetForm, LeadForm, NoteForm, UploadForm
from ..gates import blocked
from ..models import DiligenceArea, VoteChoice
from ..services import diligence
from ..workflow import OPEN_STAGES, STAGE_HELP, TRANSITIONS, WORKFLOW, Side, Stage

#: Steps the page offers otherwise than as a button: a decline needs its reason (its own form),
#: a closing its figures (the portfolio's form).
NOT_A_BUTTON = frozenset({"decline", "close"})

TALLY_KEYS = [choice for choice, _label in VoteChoice.choices]


def _deal(request, reference):
    if not selectors.is_fund_manager(request.user):
        raise PermissionDenied
    return selectors.deal_for_manager(request.user, reference)


def _page(deal, fragment="") -> HttpResponseRedirect:
    url = reverse("funds:deal", args=[deal.reference])
    return HttpResponseRedirect(f"{url}#{fragment}" if fragment else url)


def _actions(deal) -> list[dict]:
    """The fund's steps from the deal's stage, each with why it must wait (``None``: it may go)."""
    return [
        {"transition": transition, "reason": blocked(deal, transition.name)}
        for transition in WORKFLOW.by(Side.FUND, deal.stage)
        if transition.name not in NOT_A_BUTTON
    ]


def _checklist(items, managers, user, bound, is_open) -> list[dict]:
    """The checklist by area, in the areas' order, each item with its form and sign-off."""
    areas = []
    for area, label in DiligenceArea.choices:
        rows = []
        for item in (item for item in items if item.area == area):
            form = None
            if is_open:
                mine = isinstance(bound, ChecklistItemForm) and bound.item.pk == item.pk
                form = bound if mine else ChecklistItemForm(item=item, managers=managers)
            refusal = diligence.sign_off_refusal(item, user)
            rows.append(
                {
                    "item": item,
                    "form": form,
                    "may_sign_off": is_open and refusal is None,
                    "evidence": list(item.evidence.all()),
                }
            )
        if rows:
            areas.append({"area": area, "label": label, "rows": rows})
    return areas


def _committee(agenda) -> tuple[list[dict], list[dict]]:
    """The closed items with their outcome, tally and each vote; the open ones with only who
    declared and who voted."""
    closed, pending = [], []
    for item in agenda:
        declarations = list(item.declarations.all())
        recused = [d.member for d in declarations if d.conflicted]
        if item.is_closed:
            closed.append(
                {
                    "item": item,
                    "tally": [(VoteChoice(key).label, item.tally.get(key, 0)) for key in TALLY_KEYS],
                    "eligible": item.tally.get("eligible"),
                    "votes": list(item.votes.all()),
                    "recused": recused,
                }
            )
        else:
            pending.append(
                {
                    "item": item,
                    "declared": [d.member for d in declarations],
                    "recused": recused,
                    "voted": [vote.member for vote in item.votes.all()],
                }
            )
    return closed, pending


def _timeline(deal, changes, notes, documents, agenda, investments) -> list[dict]:
    """Everything that happened to the deal, oldest first, from the rows the page read anyway."""
    rows = []
    for change in changes:
        sourced = change.transition == "source"
        rows.append(
            {
                "at": change.created_at,
                "kind": "stage",
                "title": _("Sourced") if sourced else TRANSITIONS[change.transition].label,
                "stage": None if sourced else Stage(change.to_stage).label,
                "who": change.actor,
                "text": change.note,
            }
        )
    for note in notes:
        rows.append(
            {"at": note.created_at, "kind": "note", "title": _("Internal note"), "who": note.author, "text": note.body}
        )
    for document in documents:
        title = _("Document added: %(name)s") % {"name": document.original_name}
        rows.append({"at": document.created_at, "kind": "document", "title": title, "who": document.uploaded_by})
    for item in agenda:
        if item.is_closed:
            title = _("Committee vote closed: %(outcome)s") % {"outcome": item.get_outcome_display()}
            rows.append({"at": item.closed_at, "kind": "vote", "title": title, "who": item.closed_by})
    for investment in investments:
        title = _("%(kind)s recorded: %(instrument)s") % {
            "kind": investment.get_kind_display(),
            "instrument": investment.get_instrument_display(),
        }
        rows.append(
            {
                "at": investment.created_at,
                "kind": "investment",
                "title": title,
                "who": investment.recorded_by,
                "money": investment.amount,
            }
        )
    return sorted(rows, key=lambda row: row["at"])


def _render(request, deal, *, bound=None, status=200):
    """The page; ``bound`` is one of its forms sent with errors, shown in place of its blank one."""
    deal = selectors.gated(deal)
    is_open = deal.stage in OPEN_STAGES
    managers = selectors.manager_choices(deal.fund)
    items = list(selectors.deal_checklist(deal))
    documents = list(selectors.deal_documents(deal))
    agenda = list(selectors.deal_agenda(deal))
    notes = list(selectors.deal_notes(deal))
    conditions = list(selectors.deal_conditions(deal))
    closed, pending = _committee(agenda)

    def form_for(form_class, **kwargs):
        return bound if isinstance(bound, form_class) else form_class(**kwargs)

    return render(
        request,
        "funds/deal/deal.html",
        {
            "deal": deal,
            "fund": deal.fund,
            "is_open": is_open,
            "stage_help": STAGE_HELP[deal.stage],
            "actions": _actions(deal) if is_open else [],
            "may_decline": is_open,
            "may_record_closing": deal.stage == Stage.CLOSING,
            "lead_form": form_for(LeadForm, deal=deal, managers=managers) if is_open else None,
            "areas": _checklist(items, managers, request.user, bound, is_open),
            "checklist_total": len(items),
            "checklist_signed": sum(1 for item in items if item.signed_off_at),
            "documents": documents,
            "upload_form": form_for(UploadForm, deal=deal, items=items),
            "conditions": [
                {
                    "condition": condition,
                    "form": (
                        bound
                        if isinstance(bound, ConditionMetForm) and bound.condition.pk == condition.pk
                        else ConditionMetForm(condition=condition)
                    )
                    if is_open and condition.met_at is None
                    else None,
                }
                for condition in conditions
            ],
            "closed_items": closed,
            "pending_items": pending,
            "notes": notes,
            "note_form": form_for(NoteForm, deal=deal),
            "timeline": _timeline(
                deal,
                selectors.deal_stage_changes(deal),
                notes,
                documents,
                agenda,
                selectors.deal_investments(deal),
            ),
        },
        status=status,
    )


@login_required
@require_GET
def deal_page(request, reference):
    return _render(request, _deal(request, reference))


def _act(request, deal, form, done: str, fragment):
    return act_on_form(
        request,
        form,
        lambda: form.perform(request.user),
        done=done,
        back=_page(deal, fragment),
        page=lambda bound: _render(request, deal, bound=bound, status=400),
    )


@login_required
@require_POST
def lead(request, reference):
    deal = _deal(request, reference)
    form = LeadForm(request.POST, deal=deal, managers=selectors.manager_choices(deal.fund))
    return _act(request, deal, form, _("The deal's lead is saved."), "lead")


@login_required
@require_POST
def note(request, reference):
    deal = _deal(request, reference)
    return _act(request, deal, NoteForm(request.POST, deal=deal), _("Your note is added."), "notes")


@login_required
@require_POST
def upload(request, reference):
    deal = _deal(request, reference)
    form = UploadForm(
        request.POST,
        request.FILES,
        deal=deal,
        items=list(deal.checklist.all()),
        upload_refused=refused_upload(request),
    )
    return _act(request, deal, form, _("The documents are added to the deal's file."), "documents")


@never_cache
@login_required
@require_GET
def document_download(request, reference, pk):
    document = selectors.deal_document(_deal(request, reference), pk)
    return download_response(
        document.file,
        filename=document.original_name,
        content_type=document.content_type,
        missing=_("The file of this document is missing."),
    )


SIGN_OFF = "sign_off"


def _sign_off(request, item) -> None:
    """Sign ``item`` off, saying so; an item changed meanwhile (409) is a message, any other
    refusal the middleware's to answer."""
    try:
        diligence.sign_off(actor=request.user, item=item)
    except DomainError as err:
        if err.status != 409:
            raise
        messages.error(request, err.message)
    else:
        messages.success(request, _("“%(item)s” is signed off.") % {"item": item.title})


@login_required
@require_POST
def checklist_item(request, reference, pk):
    """Save an item's owner, status and finding, or (``action=sign_off``) sign it off."""
    deal = _deal(request, reference)
    item = selectors.deal_item(deal, pk)
    fragment = f"item-{item.pk}"
    if request.POST.get("action") == SIGN_OFF:
        _sign_off(request, item)
        return _page(deal, fragment)
    form = ChecklistItemForm(request.POST, item=item, managers=selectors.manager_choices(deal.fund))
    return _act(request, deal, form, _("“%(item)s” is saved.") % {"item": item.title}, fragment)


@login_required
@require_POST
def condition_met(request, reference, pk):
    deal = _deal(request, reference)
    form = ConditionMetForm(request.POST, condition=selectors.deal_condition(deal, pk))
    return _act(request, deal, form, _("The condition is marked met."), "conditions")
