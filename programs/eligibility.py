"""Eligibility rules kept as data (``EligibilityRule``), evaluated here; and the screening checks.

Every check gives an ``Outcome``: passed (or ``None``: decided by answers not given yet, in the
self-check before a draft exists), a code and the figures behind it. The code and figures are
stored (``ScreeningCheck``) and turned into a sentence in the reader's language only when
shown (``explain``), so an officer in 繁體 and an applicant in English read the same outcome.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from enterprises.choices import DocumentType, Kind, Sector
from enterprises.completeness import completeness
from enterprises.identifiers import validate_hk_br, validate_uscc

from .answers import check_answers, form_schema, list_separator
from .choices import FieldKind, RuleKind
from .workflow import OPEN_STATES

#: The columns of the team group that the staff rules read.
TEAM_FULL_TIME = "full_time"
TEAM_TECHNICAL = "technical"
TEAM_EQUITY = "equity"
DEFAULT_TEAM_GROUP = "team"


@dataclass(frozen=True)
class Outcome:
    rule: str
    passed: bool | None
    code: str
    params: dict = field(default_factory=dict)

    @property
    def reason(self) -> str:
        return explain(self.code, self.params)


#: The sentence of each outcome code; figures are filled in at display time.
REASONS = {
    "answers_complete": _("Every required question is answered."),
    "answers_incomplete": _("%(count)s answers are missing or invalid."),
    "hk_company_registered": _("The enterprise is registered in Hong Kong."),
    "hk_company_planned": _("The applicant will set up a Hong Kong company."),
    "hk_company_missing": _(
        "The enterprise is not registered in Hong Kong and does not plan to set up a company there."
    ),
    "age_ok": _("The company is %(years)s years old; the call allows at most %(max)s."),
    "age_too_old": _("The company is %(years)s years old; the call allows at most %(max)s."),
    "founding_date_missing": _("The profile has no founding date."),
    "staff_ok": _("%(count)s full-time staff; the call needs at least %(min)s."),
    "staff_too_few": _("%(count)s full-time staff; the call needs at least %(min)s."),
    "technical_share_ok": _("%(share)s %% of full-time staff are technical; the call needs at least %(min)s %%."),
    "technical_share_low": _("%(share)s %% of full-time staff are technical; the call needs at least %(min)s %%."),
    "technical_equity_ok": _(
        "The technical team holds %(equity)s %% of the equity; the call needs at least %(min)s %%."
    ),
    "technical_equity_low": _(
        "The technical team holds %(equity)s %% of the equity; the call needs at least %(min)s %%."
    ),
    "team_pending": _("Decided by the team you list in the application."),
    "answer_pending": _("Decided by your answers in the application."),
    "sector_ok": _("The enterprise's sector is one the call accepts."),
    "sector_other": _("The call accepts enterprises of these sectors only: %(sectors)s."),
    "documents_ok": _("Every required document is in the library or attached."),
    "documents_missing": _("Missing documents: %(types)s."),
    "completeness_ok": _("The profile is %(percent)s %% complete; the call needs %(min)s %%."),
    "completeness_low": _("The profile is %(percent)s %% complete; the call needs %(min)s %%."),
    "identifier_ok": _("The enterprise's identifier is valid."),
    "identifier_not_needed": _("An overseas enterprise needs no mainland or Hong Kong identifier."),
    "identifier_missing": _("The profile has no USCC or BR number."),
    "identifier_invalid": _("The identifier %(value)s fails its check: %(error)s"),
    "no_open_application": _("No other open application of the enterprise to this programme."),
    "open_application": _("The enterprise already has an open application to this programme: %(references)s."),
    "attachments_ok": _("Every attached document is current and readable."),
    "attachments_broken": _("These attached documents are withdrawn or unreadable: %(titles)s."),
    "no_duplicates": _("No other enterprise has applied with the same USCC or BR number."),
    "duplicates": _("Applications of another enterprise carry the same identifier: %(references)s."),
}

#: The screening checks every application goes through besides its call's rules.
SCREENING_CHECKS = {
    "answers": _("Completeness"),
    "attachments": _("Documents present and well-formed"),
    "identifier": _("Identifier valid"),
    "duplicates": _("Duplicates"),
}


def explain(code: str, params: dict) -> str:
    template = REASONS.get(code)
    if template is None:
        return code
    shown = dict(params)
    if "sectors" in shown:
        shown["sectors"] = list_separator().join(str(Sector(s).label) for s in shown["sectors"] if s in Sector.values)
    if "types" in shown:
        shown["types"] = list_separator().join(
            str(DocumentType(t).label) for t in shown["types"] if t in DocumentType.values
        )
    for key in ("references", "titles"):
        if key in shown:
            shown[key] = ", ".join(shown[key])
    return str(template) % shown


def check_label(rule: str) -> str:
    """The name of a check (a rule kind or a screening check) in the reader's language."""
    if rule in RuleKind.values:
        return str(RuleKind(rule).label)
    return str(SCREENING_CHECKS.get(rule, rule))


def _number(value) -> str:
    """A figure as people write it: 2, 12.5, never 2.00."""
    return format(Decimal(value).normalize(), "f")


def _team(answers: dict, rule) -> list[dict] | None:
    rows = answers.get(rule.field_key or DEFAULT_TEAM_GROUP)
    return rows if isinstance(rows, list) else None


def _decimal(value) -> Decimal:
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        return Decimal(0)


def evaluate(
    rule, *, enterprise, answers: dict | None, application=None, today: datetime.date | None = None
) -> Outcome:
    """One rule's outcome. ``answers`` is ``None`` in the self-check, before any draft exists."""
    kind = rule.kind
    n = rule.number if rule.number is not None else Decimal(0)
    today = today or timezone.localdate()

    def outcome(passed, code, **params):
        return Outcome(rule=kind, passed=passed, code=code, params=params)

    if kind == RuleKind.HK_COMPANY:
        if enterprise.kind == Kind.HONG_KONG or enterprise.hk_br:
            return outcome(True, "hk_company_registered")
        if answers is None:
            return outcome(None, "answer_pending")
        if answers.get(rule.field_key) is True:
            return outcome(True, "hk_company_planned")
        return outcome(False, "hk_company_missing")
    if kind == RuleKind.MAX_COMPANY_AGE:
        if enterprise.founded_on is None:
            return outcome(False, "founding_date_missing")
        years = Decimal((today - enterprise.founded_on).days) / Decimal("365.25")
        shown = {"years": _number(years.quantize(Decimal("0.1"))), "max": _number(n)}
        return outcome(years <= n, "age_ok" if years <= n else "age_too_old", **shown)
    if kind in (RuleKind.MIN_FULL_TIME_STAFF, RuleKind.MIN_TECHNICAL_SHARE, RuleKind.MIN_TECHNICAL_EQUITY):
        team = None if answers is None else _team(answers, rule)
        if team is None:
            return outcome(None if answers is None else False, "team_pending")
        full_time = [row for row in team if row.get(TEAM_FULL_TIME) is True]
        technical = [row for row in team if row.get(TEAM_TECHNICAL) is True]
        if kind == RuleKind.MIN_FULL_TIME_STAFF:
            ok = len(full_time) >= n
            return outcome(ok, "staff_ok" if ok else "staff_too_few", count=len(full_time), min=_number(n))
        if kind == RuleKind.MIN_TECHNICAL_SHARE:
            technical_full_time = [row for row in full_time if row.get(TEAM_TECHNICAL) is True]
            share = Decimal(100 * len(technical_full_time)) / len(full_time) if full_time else Decimal(0)
            ok = bool(full_time) and share >= n
            shown = {"share": _number(share.quantize(Decimal("0.1"))), "min": _number(n)}
            return outcome(ok, "technical_share_ok" if ok else "technical_share_low", **shown)
        equity = sum((_decimal(row.get(TEAM_EQUITY, 0)) for row in technical), Decimal(0))
        ok = equity >= n
        shown = {"equity": _number(equity), "min": _number(n)}
        return outcome(ok, "technical_equity_ok" if ok else "technical_equity_low", **shown)
    if kind == RuleKind.SECTOR_IN:
        ok = enterprise.sector in rule.values
        return outcome(ok, "sector_ok" if ok else "sector_other", sectors=list(rule.values))
    if kind == RuleKind.REQUIRED_DOCUMENTS:
        present = {d.doc_type for d in enterprise.documents.all() if d.withdrawn_at is None}
        missing = [t for t in rule.values if t not in present]
        return outcome(not missing, "documents_missing" if missing else "documents_ok", types=missing)
    if kind == RuleKind.MIN_COMPLETENESS:
        percent = completeness(enterprise).percent
        ok = percent >= n
        return outcome(ok, "completeness_ok" if ok else "completeness_low", percent=percent, min=_number(n))
    if kind == RuleKind.IDENTIFIER_VALID:
        return _identifier(enterprise, rule=kind)
    if kind == RuleKind.NO_OPEN_APPLICATION:
        others = _open_applications(enterprise, rule.call.programme_id, application)
        if others:
            return outcome(False, "open_application", references=others)
        return outcome(True, "no_open_application")
    raise ValueError(f"unknown rule kind {kind!r}")


def _identifier(enterprise, *, rule: str) -> Outcome:
    checks = {Kind.MAINLAND: ("uscc", validate_uscc), Kind.HONG_KONG: ("hk_br", validate_hk_br)}
    if enterprise.kind not in checks:
        return Outcome(rule, True, "identifier_not_needed")
    name, validate = checks[enterprise.kind]
    value = getattr(enterprise, name)
    if not value:
        return Outcome(rule, False, "identifier_missing")
    try:
        validate(value)
    except ValidationError as exc:
        return Outcome(rule, False, "identifier_invalid", {"value": value, "error": " ".join(exc.messages)})
    return Outcome(rule, True, "identifier_ok")


def _open_applications(enterprise, programme_id, application) -> list[str]:
    from .models import Application

    others = Application.objects.filter(
        enterprise=enterprise, programme_id=programme_id, status__in=OPEN_STATES
    ).order_by()
    if application is not None:
        others = others.exclude(pk=application.pk)
    return list(others.values_list("reference", flat=True)[:5])


def self_check(call, enterprise) -> list[Outcome]:
    """The call's rules against an enterprise before it applies (``None``: decided by the answers)."""
    # ``call.rules.all()``: the rules the call page prefetched, each with its call in cache.
    return [evaluate(rule, enterprise=enterprise, answers=None) for rule in call.rules.all()]


def screening_checks(application) -> list[Outcome]:
    """Every screening check of a submitted application: completeness, the call's rules, the
    identifier, the attached documents and duplicates."""
    from .models import Application
    from .services.applications import library

    enterprise = application.enterprise
    answers = application.answers
    documents = library(application)
    checked = check_answers(form_schema(application.form_version), answers, documents=documents, complete=True)
    outcomes = [
        Outcome(
            "answers",
            checked.ok,
            "answers_complete" if checked.ok else "answers_incomplete",
            {"count": len(checked.errors)},
        )
    ]
    outcomes += [
        evaluate(rule, enterprise=enterprise, answers=answers, application=application)
        for rule in application.call.rules.select_related("call")
    ]
    if not any(o.rule == RuleKind.IDENTIFIER_VALID for o in outcomes):
        # Every application's identifier is checked; a call that lists the rule has done it already.
        outcomes.append(_identifier(enterprise, rule="identifier"))
    outcomes.append(_attachments(application, documents))
    duplicates = Application.objects.exclude(enterprise=enterprise).exclude(status="draft").order_by()
    identifiers = [("uscc", enterprise.uscc), ("hk_br", enterprise.hk_br)]
    references = set()
    for name, value in identifiers:
        if value:
            references |= set(duplicates.filter(**{name: value}).values_list("reference", flat=True)[:5])
    outcomes.append(
        Outcome(
            "duplicates",
            not references,
            "duplicates" if references else "no_duplicates",
            {"references": sorted(references)},
        )
    )
    return outcomes


def _attachments(application, documents: dict) -> Outcome:
    """Each document an answer points to is still current, and its latest file opens as what it claims."""
    from enterprises.models import Document
    from enterprises.uploads import validate_upload

    ids = set(_document_ids(application))
    broken = []
    found = list(Document.objects.filter(pk__in=ids).order_by().prefetch_related("versions"))
    for document in found:
        latest = max(document.versions.all(), key=lambda v: v.number, default=None)
        if document.pk not in documents or latest is None or not _readable(latest, validate_upload):
            broken.append(document.title or document.get_doc_type_display())
    broken += [str(pk) for pk in sorted(ids - {document.pk for document in found})]
    return Outcome("attachments", not broken, "attachments_broken" if broken else "attachments_ok", {"titles": broken})


def _document_ids(application) -> list[int]:
    """The documents the application's answers point to."""
    questions = form_schema(application.form_version).questions.values()
    return [
        application.answers[q.key] for q in questions if q.kind == FieldKind.DOCUMENT and q.key in application.answers
    ]


def _readable(version, validate_upload) -> bool:
    try:
        with version.file.open("rb"):
            validate_upload(version.file)
    except (OSError, ValidationError):
        return False
    return True


#: Each kind of rule in plain words, for the call's page (``%(n)s``: the rule's N).
RULE_WORDS = {
    RuleKind.HK_COMPANY: _("The enterprise is registered in Hong Kong, or will set up a Hong Kong company."),
    RuleKind.MAX_COMPANY_AGE: _("The company is at most %(n)s years old."),
    RuleKind.MIN_FULL_TIME_STAFF: _("At least %(n)s full-time staff."),
    RuleKind.MIN_TECHNICAL_SHARE: _("At least %(n)s %% of the full-time staff are technical."),
    RuleKind.MIN_TECHNICAL_EQUITY: _("The technical team holds at least %(n)s %% of the equity."),
    RuleKind.SECTOR_IN: _("The enterprise works in one of these sectors: %(sectors)s."),
    RuleKind.REQUIRED_DOCUMENTS: _("These documents are in the enterprise's library: %(types)s."),
    RuleKind.MIN_COMPLETENESS: _("The enterprise profile is at least %(n)s %% complete."),
    RuleKind.IDENTIFIER_VALID: _("The enterprise's USCC or BR number is valid."),
    RuleKind.NO_OPEN_APPLICATION: _("The enterprise has no other open application to this programme."),
}


def describe(rule) -> str:
    """A rule as an applicant reads it before applying, in their language."""
    values = list(rule.values or ())
    params = {
        "n": _number(rule.number) if rule.number is not None else "0",
        "sectors": list_separator().join(str(Sector(v).label) for v in values if v in Sector.values),
        "types": list_separator().join(str(DocumentType(v).label) for v in values if v in DocumentType.values),
    }
    return str(RULE_WORDS[rule.kind]) % params
