"""Reads of applications that pages and the API share. Each one scopes by who asks, so a
record of another enterprise or unit is a 404, never a hint that it exists."""

import datetime
from dataclasses import dataclass

from django.core.cache import cache
from django.db.models import Count, FloatField, Max, Prefetch, Q, QuerySet
from django.db.models.functions import Cast
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from enterprises.models import Document, Membership
from hkhz_portal.accounts.roles import Role

from . import ranking
from .choices import DECLARED_NONE, OWED_ASSIGNMENTS, AssignmentStatus, CallState, ExportStatus
from .models import (
    Application,
    Call,
    ConflictDeclaration,
    Criterion,
    Export,
    Programme,
    Review,
    ReviewAssignment,
    Rubric,
    ScreeningCheck,
    StatusChange,
)
from .workflow import PLACE_STATES, Status


def applications_of(user) -> QuerySet[Application]:
    """Applications of the enterprises the user is a member of."""
    return Application.objects.filter(enterprise__memberships__user=user)


def application_of(user, reference: str) -> Application:
    return get_object_or_404(
        applications_of(user).select_related("call", "enterprise", "form_version"), reference=reference
    )


def is_unit_officer(user) -> bool:
    return user.is_authenticated and user.unit_id is not None and Role.PROGRAM_OFFICER in user.roles


def unit_applications(user) -> QuerySet[Application]:
    """The applications of the officer's unit (none for anyone else)."""
    if not is_unit_officer(user):
        return Application.objects.none()
    return Application.objects.filter(unit_id=user.unit_id)


def unit_calls(user) -> QuerySet[Call]:
    """The calls of the officer's unit, newest first, with their titles only (the queue's filter)."""
    if not is_unit_officer(user):
        return Call.objects.none()
    return (
        Call.objects.filter(programme__unit_id=user.unit_id)
        .only("slug", "title_en", "title_zh_hans", "title_zh_hant")
        .order_by("-opens_at", "slug")
    )


def unit_application(user, reference: str) -> Application:
    return get_object_or_404(
        unit_applications(user).select_related("call", "enterprise", "form_version"), reference=reference
    )


def call_exports(call: Call) -> QuerySet[Export]:
    """The call's exports, newest first, with who asked for each."""
    return call.exports.select_related("requested_by").order_by("-created_at", "-id")


def unit_export(user, call_slug: str, pk: int) -> Export:
    """A finished export of a call of the officer's unit (404 for anyone else, or while it is built)."""
    if not is_unit_officer(user):
        raise Http404
    return get_object_or_404(
        Export.objects.select_related("call"),
        pk=pk,
        call__slug=call_slug,
        unit_id=user.unit_id,
        status=ExportStatus.DONE,
    )


# --- The applicant's pages -------------------------------------------------------------------

#: How long a closed call stays on the calls page.
RECENTLY_CLOSED = datetime.timedelta(days=90)
#: The states in which the applicant has something to do (an approved place waits to be accepted).
APPLICANT_ACTION_STATES = (Status.DRAFT, Status.MORE_INFO_REQUESTED, Status.APPROVED)


def calls_by_state(now=None) -> dict[str, list[Call]]:
    """Open calls (closing soonest first, rolling ones last), upcoming ones (opening soonest
    first) and those closed in the last 90 days (latest first), with their programme, in one query."""
    now = now or timezone.now()
    calls = Call.objects.select_related("programme").filter(
        Q(closes_at__isnull=True) | Q(closes_at__gte=now - RECENTLY_CLOSED)
    )
    grouped: dict[str, list[Call]] = {state: [] for state in (CallState.OPEN, CallState.UPCOMING, CallState.CLOSED)}
    for call in calls:
        grouped[call.state(now)].append(call)
    far = datetime.datetime.max.replace(tzinfo=datetime.UTC)
    grouped[CallState.OPEN].sort(key=lambda c: (c.closes_at or far, c.slug))
    grouped[CallState.UPCOMING].sort(key=lambda c: (c.opens_at, c.slug))
    grouped[CallState.CLOSED].sort(key=lambda c: (c.closes_at, c.slug), reverse=True)
    return grouped


def call_page(slug: str) -> Call:
    """A call with its programme and its rules, in two queries."""
    return get_object_or_404(Call.objects.select_related("programme").prefetch_related("rules"), slug=slug)


def applicant_applications(user) -> QuerySet[Application]:
    """The user's applications with their call, programme and enterprise, last changed first."""
    return applications_of(user).select_related("call__programme", "enterprise").order_by("-saved_at", "-id")


def application_with_timeline(user, reference: str) -> Application:
    """One of the user's applications with every status change and its actor, in two queries."""
    changes = StatusChange.objects.select_related("actor").order_by("created_at", "id")
    return get_object_or_404(
        applications_of(user)
        .select_related("call__programme", "enterprise", "form_version")
        .prefetch_related(Prefetch("status_changes", queryset=changes)),
        reference=reference,
    )


def member_ids(enterprise_id: int) -> set[int]:
    """The users who are members of the enterprise (the timeline names them; officers stay anonymous)."""
    return set(Membership.objects.filter(enterprise_id=enterprise_id).values_list("user_id", flat=True))


def answer_documents(application: Application) -> dict[int, tuple[str, int | None]]:
    """The enterprise's documents, current or withdrawn, as ``{id: (title, latest version)}``, for
    showing the answers that point to them, in one query."""
    documents = application.enterprise.documents.annotate(latest=Max("versions__number")).order_by()
    return {d.pk: (d.display_title, d.latest if d.withdrawn_at is None else None) for d in documents}


def current_documents(enterprise) -> list[Document]:
    """The enterprise's documents an answer may point to, newest first."""
    return list(enterprise.documents.current().order_by("-created_at", "-pk"))


def dashboard_panel(user) -> dict | None:
    """The dashboard's "Your applications" panel (registered in ``ProgramsConfig.ready``): counts by
    state and the applications waiting on the applicant, in two queries; none for other roles."""
    if not user.has_role(Role.APPLICANT):
        return None
    counts = dict(applications_of(user).order_by().values_list("status").annotate(n=Count("id")))
    waiting = list(applicant_applications(user).filter(status__in=APPLICANT_ACTION_STATES)[:5])
    by_state = [(status, counts[status.value]) for status in Status if counts.get(status.value)]
    return {"by_state": by_state, "waiting": waiting, "total": sum(counts.values())}


def calls(*, state: str | None = None, programme: str | None = None, unit: str | None = None) -> QuerySet[Call]:
    """Calls, which anyone may see, with their programme and unit; narrowed by ``CallState``,
    programme slug and unit code when given."""
    found = Call.objects.select_related("programme__unit")
    now = timezone.now()
    if state == CallState.OPEN:
        found = found.filter(Q(closes_at__isnull=True) | Q(closes_at__gt=now), opens_at__lte=now)
    elif state == CallState.UPCOMING:
        found = found.filter(opens_at__gt=now)
    elif state == CallState.CLOSED:
        found = found.filter(closes_at__lte=now)
    if programme:
        found = found.filter(programme__slug=programme)
    if unit:
        found = found.filter(programme__unit__code=unit)
    return found


def programmes(*, unit: str | None = None, kind: str | None = None) -> QuerySet[Programme]:
    """Programmes, which anyone may see, with their unit; narrowed by unit code and kind when given."""
    found = Programme.objects.select_related("unit")
    if unit:
        found = found.filter(unit__code=unit)
    if kind:
        found = found.filter(kind=kind)
    return found


def timeline(application: Application) -> QuerySet[StatusChange]:
    """Every step of the application, oldest first, with who took it."""
    return application.status_changes.select_related("actor").order_by("created_at", "id")


def latest_screening(application: Application) -> list[ScreeningCheck]:
    """The checks of the application's latest screening run, in the order they ran."""
    last = ScreeningCheck.objects.filter(application=application).aggregate(run=Max("run"))["run"]
    if last is None:
        return []
    return list(ScreeningCheck.objects.filter(application=application, run=last).order_by("id"))


@dataclass(frozen=True)
class Ranking:
    """A call's ranking: its rows best first (each with its ``application``), and the scored
    applications' count against the call's capacity."""

    call: Call
    rows: list
    #: Reviewer ids whose scores were left raw (too few in the call to normalise).
    raw_reviewers: frozenset


#: How long a computed ranking is kept; any change to its scores makes a new key before that.
RANKING_CACHE_SECONDS = 600


def call_ranking(call: Call, *, applications: bool = True) -> Ranking:
    """Rank ``call``'s applications by their submitted reviews (``programs.ranking``), in a fixed
    number of queries whatever the number of applications.

    The ranked rows are cached under a key made of what they are computed from: the count of the
    reviews that count and their latest change (a review saved, submitted or corrected; an
    application withdrawn takes its reviews out), the capacity and the scale. An officer paging
    through the table or deciding down it reads the ranking once; a change to any score is a new
    key. ``applications=False`` leaves the rows' ``application`` unset, for a caller that shows
    one page of the rows: ``attach_applications`` reads that page's."""
    rubric = Rubric.objects.filter(call=call).first()
    scale = (rubric.scale_min, rubric.scale_max) if rubric else (1, 5)
    reviews = Review.objects.filter(
        assignment__application__call=call, assignment__status=AssignmentStatus.SUBMITTED, total__isnull=False
    ).exclude(assignment__application__status=Status.WITHDRAWN)
    stamp = reviews.aggregate(n=Count("id"), last=Max("updated_at"))
    last = stamp["last"].isoformat() if stamp["last"] else "-"
    key = f"programs:ranking:{call.pk}:{call.capacity}:{scale[0]}-{scale[1]}:{stamp['n']}:{last}"
    rows = cache.get(key)
    if rows is None:
        scores = [
            ranking.Score(application_id, reviewer_id, total)
            for application_id, reviewer_id, total in reviews
            # A float from the database: converting thousands of decimals costs more than ranking them.
            .annotate(score=Cast("total", FloatField())).values_list(
                "assignment__application_id", "assignment__reviewer_id", "score"
            )
        ]
        rows = ranking.rank(scores, capacity=call.capacity, scale=scale)
        cache.set(key, rows, RANKING_CACHE_SECONDS)
    if applications:
        attach_applications(rows)
    raw = frozenset().union(*(r.raw_reviewers for r in rows)) if rows else frozenset()
    return Ranking(call=call, rows=rows, raw_reviewers=raw)


def attach_applications(rows) -> None:
    """Set each ranking row's ``application``, with the columns a ranking shows, in one query."""
    applications = (
        Application.objects.filter(pk__in=[r.application_id for r in rows])
        .only("pk", "reference", "status", "enterprise_name_en", "enterprise_name_zh", "sector", "unit_id", "call_id")
        .in_bulk()
    )
    for row in rows:
        row.application = applications[row.application_id]


# --- Decisions, onboarding and the cohort --------------------------------------------------------


def unit_call(user, slug: str) -> Call:
    """One of the officer's unit's calls, with its programme and unit; another unit's is 404."""
    if not is_unit_officer(user):
        raise Http404
    return get_object_or_404(
        Call.objects.filter(programme__unit_id=user.unit_id).select_related("programme__unit"), slug=slug
    )


def call_places(call: Call) -> dict:
    """How many of the call's places are held and how many applications wait for one, in one query."""
    counts = dict(
        Application.objects.filter(call=call, status__in=[*PLACE_STATES, Status.WAITLISTED])
        .order_by()
        .values_list("status")
        .annotate(n=Count("id"))
    )
    return {
        "capacity": call.capacity,
        "held": sum(counts.get(s.value, 0) for s in PLACE_STATES),
        "waitlisted": counts.get(Status.WAITLISTED.value, 0),
    }


def cohort(call: Call, *, public: bool = False) -> QuerySet[Application]:
    """The call's admitted applications, by enterprise name; ``public``: only the enterprises
    that chose to be listed in the directory (what anyone may see)."""
    admitted = Application.objects.filter(call=call, status=Status.ADMITTED)
    if public:
        admitted = admitted.filter(enterprise__listed_in_directory=True)
    return (
        admitted.select_related("enterprise")
        .only("reference", "enterprise__legal_name_en", "enterprise__legal_name_zh")
        .order_by("enterprise__legal_name_en", "pk")
    )


def comments_to_applicant(application: Application) -> list[str]:
    """What the reviewers wrote to the applicant, without their names or scores, in a stable order."""
    return list(
        Review.objects.filter(
            assignment__application=application,
            assignment__status=AssignmentStatus.SUBMITTED,
            submitted_at__isnull=False,
        )
        .exclude(comment_to_applicant="")
        .order_by("submitted_at", "pk")
        .values_list("comment_to_applicant", flat=True)
    )


def letter_application(user, reference: str) -> Application:
    """An application whose decision letter the user may read: a member of the enterprise reads
    it, an officer of the call's unit too; for anyone else it does not exist."""
    found = unit_applications(user) if is_unit_officer(user) else applications_of(user)
    return get_object_or_404(
        found.select_related("call__programme__unit", "enterprise", "created_by"), reference=reference
    )


# --- Reviewers ---------------------------------------------------------------------------------


def reviewer_assignments(user) -> QuerySet[ReviewAssignment]:
    """The reviewer's own assignments, soonest due first, with their application and call (one
    query for any number); none for anyone who is not a reviewer."""
    if not user.is_authenticated or not user.has_role(Role.REVIEWER):
        return ReviewAssignment.objects.none()
    return ReviewAssignment.objects.filter(reviewer=user).select_related("application__call")


def reviewer_assignment(user, pk: int) -> ReviewAssignment:
    """One of the reviewer's assignments with its application, call, form version and own review;
    another reviewer's, or anyone else's, is 404."""
    return get_object_or_404(
        reviewer_assignments(user).select_related("application__form_version", "application__enterprise", "review"),
        pk=pk,
    )


def rubric_of(call: Call) -> Rubric | None:
    """The call's rubric with its criteria and each criterion's described levels, in three queries."""
    criteria = Criterion.objects.prefetch_related("levels")
    return Rubric.objects.prefetch_related(Prefetch("criteria", queryset=criteria)).filter(call=call).first()


def submitted_reviews(application: Application) -> QuerySet[Review]:
    """The application's submitted reviews with their reviewers, first submitted first."""
    return (
        Review.objects.filter(assignment__application=application, submitted_at__isnull=False)
        .select_related("assignment__reviewer")
        .order_by("submitted_at", "id")
    )


def reviews_seen_by(assignment: ReviewAssignment) -> QuerySet[Review] | None:
    """The other reviewers' submitted reviews as the assigned reviewer may see them: ``None`` (the
    review is blind) until they declared no conflict and submitted their own. Pages and API alike."""
    own = getattr(assignment, "review", None)
    if assignment.status not in DECLARED_NONE or own is None or own.submitted_at is None:
        return None
    return submitted_reviews(assignment.application).exclude(assignment=assignment)


def organisation_conflicts(user) -> QuerySet[ConflictDeclaration]:
    """The organisations the reviewer named as tied to them, newest first."""
    return ConflictDeclaration.objects.filter(reviewer=user, enterprise__isnull=True)


def application_assignments(application: Application) -> list[ReviewAssignment]:
    """Every assignment of the application, the active ones first, with reviewer and review."""
    assignments = application.assignments.select_related("reviewer", "review").order_by("assigned_at", "id")
    return sorted(assignments, key=lambda a: not a.is_active)


def reviewer_dashboard_panel(user) -> dict | None:
    """The dashboard's "Your reviews" panel: how many assignments wait for a declaration, are
    being reviewed and are overdue, in one query; none for anyone who is not a reviewer."""
    if not user.has_role(Role.REVIEWER):
        return None
    owed = Q(status__in=OWED_ASSIGNMENTS)
    return ReviewAssignment.objects.filter(reviewer=user).aggregate(
        awaiting=Count("id", filter=Q(status=AssignmentStatus.AWAITING_DECLARATION)),
        reviewing=Count("id", filter=Q(status=AssignmentStatus.REVIEWING)),
        overdue=Count("id", filter=owed & Q(due_on__lt=timezone.localdate())),
        total=Count("id"),
    )
