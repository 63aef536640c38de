"""Answers, reviews and decisions as a reader sees them: the applicant's pages, the officer's
and the reviewer's pages and the decision letter show them alike."""

from dataclasses import dataclass, field

from django.urls import reverse
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from . import selectors
from .answers import display_value, is_shown, shown_sections
from .choices import FieldKind, Outcome
from .models import Decision, Onboarding
from .services.decisions import current_decision
from .workflow import TRANSITIONS, UNDECIDED_STATES, Status


@dataclass
class ShownAnswer:
    label: str
    value: str = ""
    url: str = ""
    columns: list = field(default_factory=list)
    rows: list = field(default_factory=list)


def _document_answer(question, value, documents, download: str, owner: list) -> ShownAnswer:
    title, version = documents.get(value, (None, None))
    shown = ShownAnswer(label=str(question.label), value=title or display_value(question, value))
    if version is not None:
        shown.url = reverse(download, args=[*owner, value, version])
    return shown


def _shown_questions(schema, answers):
    for section in shown_sections(schema, answers):
        yield section, [q for q in section.questions if is_shown(q, answers)]


def answer_sections(application, schema, *, download: str, owner=None) -> list[dict]:
    """The answers under the application's own form version, section by section: groups as
    tables, documents as links to their download through the URL named ``download`` (the
    member's, the staff's or the reviewer's document download), whose arguments are ``owner``
    (the enterprise's reference unless given), the document and its version."""
    answers = application.answers
    documents = selectors.answer_documents(application)
    owner = [application.enterprise.reference] if owner is None else list(owner)
    sections = []
    for section, questions in _shown_questions(schema, answers):
        shown = []
        for q in questions:
            value = answers.get(q.key)
            if q.kind == FieldKind.DOCUMENT and value is not None:
                shown.append(_document_answer(q, value, documents, download, owner))
            elif q.kind == FieldKind.GROUP:
                rows = [[(str(c.label), display_value(c, row.get(c.key))) for c in q.columns] for row in value or []]
                shown.append(ShownAnswer(label=str(q.label), columns=[str(c.label) for c in q.columns], rows=rows))
            else:
                shown.append(ShownAnswer(label=str(q.label), value=display_value(q, value)))
        sections.append({"title": str(section.title), "key": section.key, "answers": shown})
    return sections


def answered_documents(application, schema) -> set[int]:
    """The ids of the documents the application's shown answers point to: all a reviewer may open."""
    answers = application.answers
    return {
        answers[q.key]
        for _section, questions in _shown_questions(schema, answers)
        for q in questions
        if q.kind == FieldKind.DOCUMENT and isinstance(answers.get(q.key), int)
    }


@dataclass
class ShownReview:
    """A submitted review as a row of a table: who (a name, or "Reviewer 2" for another reviewer),
    ``(criterion name, score)`` in the rubric's order, and the review (total, recommendation, comments)."""

    who: str
    scores: list
    review: object


def review_rows(reviews, criteria, *, named: bool) -> list[ShownReview]:
    """``reviews`` as table rows, scores in the order of ``criteria``; reviewers ``named`` for
    the officer, numbered for another reviewer."""
    rows = []
    for n, review in enumerate(reviews, start=1):
        reviewer = review.assignment.reviewer
        who = (reviewer.full_name or reviewer.email) if named else _("Reviewer %(n)s") % {"n": n}
        rows.append(ShownReview(who=who, scores=[(c.name, review.scores.get(c.key)) for c in criteria], review=review))
    return rows


@dataclass
class ShownDecision:
    """The application's decision (the latest), with what followed it."""

    decision: Decision
    #: The reasons the applicant reads: the rejection's, or why the onboarding ended.
    reasons: str = ""
    #: Approved, then the onboarding ended unfinished: the place is gone.
    onboarding_ended: bool = False
    onboarding: Onboarding | None = None

    @property
    def headline(self) -> str:
        if self.onboarding_ended:
            return _("Approved; the onboarding ended unfinished")
        # An outcome is the name of the step it takes: its target state says the decision.
        return TRANSITIONS[self.decision.outcome].target.label

    @property
    def onboarding_steps(self) -> list[tuple[str, object]]:
        """Each formality of the onboarding and the day it was done (None: not yet)."""
        if self.onboarding is None:
            return []
        return [
            (capfirst(Onboarding._meta.get_field(name).verbose_name), getattr(self.onboarding, name))
            for name in Onboarding.STEPS
        ]


def shown_decision(application) -> ShownDecision | None:
    """The decision on ``application``, if one was taken, in at most three queries (none before
    the application could have one)."""
    if application.status in UNDECIDED_STATES:
        return None
    decision = current_decision(application)
    if decision is None:
        return None
    shown = ShownDecision(decision=decision, reasons=decision.reasons)
    if decision.outcome == Outcome.APPROVE and application.status == Status.REJECTED:
        shown.onboarding_ended = True
        ended = application.status_changes.filter(transition="fail_onboarding").order_by("-created_at", "-id")
        shown.reasons = ended.values_list("note", flat=True).first() or ""
    if decision.outcome == Outcome.APPROVE:
        shown.onboarding = Onboarding.objects.filter(application=application).first()
    return shown
