"""A call's ranking and cohort for its unit's officers, and the decision letter for the applicant
(and the unit's officers), in the applicant's language.

The ranking is computed for the whole call on every request (``selectors.call_ranking``: two
queries whatever the number of applications) and shown a page at a time.
"""

from itertools import pairwise

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.views.decorators.http import require_GET

from .. import selectors
from ..display import shown_decision
from ..ranking import MIN_SCORES
from ..workflow import Status
from .staff import _labels, _require_officer

#: Rows of the ranking on one page.
RANKING_PAGE = 100


def _ranking_rows(rows, following, statuses: dict) -> None:
    """Attach each row of a page its application, links, status label and whether the capacity
    line falls after it (``following``: the first row of the next page, if any)."""
    selectors.attach_applications(rows)
    for row, after in pairwise([*rows, following]):
        application = row.application
        row.url = reverse("programs:staff_application", args=[application.reference])
        row.decide_url = f"{row.url}#action-approve" if application.status == Status.REVIEWED else ""
        row.status_label = statuses.get(application.status, application.status)
        row.capacity_line = row.within_capacity and after is not None and not after.within_capacity
        # Formatted here: the floatformat filter, three times a row, took longer than the rest of the table.
        row.raw_shown, row.normalised_shown, row.spread_shown = (
            f"{x:.2f}" for x in (row.raw, row.normalised, row.spread)
        )


@login_required
@require_GET
def ranking(request, slug):
    """The call's reviewed applications best first, by their normalised score, with the capacity
    line; the officer decides from here. Then the call's cohort: its admitted enterprises."""
    _require_officer(request.user)
    call = selectors.unit_call(request.user, slug)
    ranked = selectors.call_ranking(call, applications=False)
    page = Paginator(ranked.rows, RANKING_PAGE).get_page(request.GET.get("page"))
    rows = list(page.object_list)
    following = ranked.rows[page.end_index()] if page.end_index() < len(ranked.rows) else None
    _ranking_rows(rows, following, _labels(Status))
    return render(
        request,
        "programs/staff/ranking.html",
        {
            "call": call,
            "page": page,
            "rows": rows,
            "ranked": len(ranked.rows),
            "outside": sum(1 for row in ranked.rows if not row.within_capacity),
            "raw_reviewers": len(ranked.raw_reviewers),
            "min_scores": MIN_SCORES,
            "places": selectors.call_places(call),
            "cohort": selectors.cohort(call),
        },
    )


@login_required
@require_GET
def decision_letter(request, reference):
    """The decision as a letter to print (or save as PDF from the browser), written in the
    language of the member who started the application, whoever opens it. For members of the
    enterprise and the unit's officers; no letter before a decision."""
    application = selectors.letter_application(request.user, reference)
    shown = shown_decision(application)
    if shown is None:
        raise Http404
    language = getattr(application.created_by, "preferred_language", "") or translation.get_language()
    with translation.override(language):
        enterprise = application.enterprise
        chinese = translation.get_language().startswith("zh")
        letter = render_to_string(
            "programs/applicant/_letter.html",
            {
                "application": application,
                "call": application.call,
                "programme": application.call.programme,
                "unit": application.call.programme.unit,
                "addressee": (enterprise.legal_name_zh if chinese else "") or enterprise.legal_name_en,
                "shown": shown,
                "decision": shown.decision,
                "comments": selectors.comments_to_applicant(application),
                "language": language,
            },
        )
    back = (
        reverse("programs:staff_application", args=[reference])
        if selectors.is_unit_officer(request.user)
        else reverse("programs:application", args=[reference])
    )
    return render(
        request, "programs/applicant/letter.html", {"application": application, "letter": letter, "back": back}
    )
