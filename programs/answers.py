"""Answers checked against the form version they were written under.

``form_schema(version)`` reads a version's sections and fields once (a published version
never changes, so it is kept in memory); ``check_answers`` cleans what a page or the API
sent, question by question:

- a question is *shown* when it has no condition, or when the earlier answer it names is
  one of its values (a section's condition hides all of its questions); answers to hidden
  questions are dropped, never stored;
- a draft (``complete=False``) keeps every valid answer and reports the invalid ones;
  a submission (``complete=True``) also needs every shown, required question answered.

Values are stored as JSON: text as strings, numbers as decimal strings, money as
``{"amount": "…", "currency": "…"}``, dates as ``YYYY-MM-DD``, yes/no as booleans, a
document as the id of a document in the enterprise's library, a repeating group as a list
of rows (dicts of its columns).
"""

import datetime
import functools
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from enterprises.choices import CURRENCIES
from hkhz_portal.core.i18n import language_variant
from hkhz_portal.core.validators import validate_multiline_text, validate_plain_text

from .choices import FieldKind

SHORT_TEXT_MAX = 300
LONG_TEXT_MAX = 20_000
MAX_ROWS = 50
TRUE_WORDS = frozenset({"yes", "true", "on", "1"})
FALSE_WORDS = frozenset({"no", "false", "off", "0"})

REQUIRED = _("Answer this question.")


@dataclass(frozen=True)
class Texts:
    en: str
    zh_hans: str
    zh_hant: str

    def __str__(self):
        return getattr(self, language_variant()) or self.en


@dataclass(frozen=True)
class Question:
    key: str
    kind: str
    label: Texts
    help: Texts
    required: bool = False
    choices: tuple = ()
    max_length: int | None = None
    max_words: int | None = None
    min_value: Decimal | None = None
    max_value: Decimal | None = None
    document_type: str = ""
    min_rows: int | None = None
    max_rows: int | None = None
    show_if_field: str = ""
    show_if_values: tuple = ()
    columns: tuple = ()

    def choice_label(self, value) -> str:
        for choice in self.choices:
            if choice.get("value") == value:
                return choice.get(language_variant()) or choice.get("en") or str(value)
        return str(value)

    @property
    def choice_values(self) -> frozenset:
        return frozenset(c["value"] for c in self.choices)


@dataclass(frozen=True)
class Section:
    key: str
    title: Texts
    help: Texts
    questions: tuple
    show_if_field: str = ""
    show_if_values: tuple = ()


@dataclass(frozen=True)
class Schema:
    version_id: int
    sections: tuple

    @functools.cached_property
    def questions(self) -> dict[str, Question]:
        """Every top-level question by key, in form order."""
        return {q.key: q for s in self.sections for q in s.questions}

    def section(self, key: str) -> Section | None:
        return next((s for s in self.sections if s.key == key), None)


def _texts(obj, prefix) -> Texts:
    return Texts(*(getattr(obj, f"{prefix}_{v}") for v in ("en", "zh_hans", "zh_hant")))


def _question(f, columns=()) -> Question:
    return Question(
        key=f.key,
        kind=f.kind,
        label=_texts(f, "label"),
        help=_texts(f, "help"),
        required=f.required,
        choices=tuple(f.choices or ()),
        max_length=f.max_length,
        max_words=f.max_words,
        min_value=f.min_value,
        max_value=f.max_value,
        document_type=f.document_type,
        min_rows=f.min_rows,
        max_rows=f.max_rows,
        show_if_field=f.show_if_field,
        show_if_values=tuple(f.show_if_values or ()),
        columns=tuple(columns),
    )


def build_schema(version) -> Schema:
    """Read a form version's structure in two queries."""
    from .models import FormField

    sections = list(version.sections.order_by("order", "id"))
    fields = list(FormField.objects.filter(section__version=version).order_by("order", "id"))
    columns: dict[int, list] = {}
    for f in fields:
        if f.group_id:
            columns.setdefault(f.group_id, []).append(_question(f))
    built = []
    for s in sections:
        questions = [_question(f, columns.get(f.pk, ())) for f in fields if f.section_id == s.pk and not f.group_id]
        built.append(
            Section(
                key=s.key,
                title=_texts(s, "title"),
                help=_texts(s, "help"),
                questions=tuple(questions),
                show_if_field=s.show_if_field,
                show_if_values=tuple(s.show_if_values or ()),
            )
        )
    return Schema(version_id=version.pk, sections=tuple(built))


@functools.lru_cache(maxsize=64)
def _published_schema(version_id: int) -> Schema:
    from .models import FormVersion

    return build_schema(FormVersion.objects.get(pk=version_id))


def form_schema(version) -> Schema:
    """The version's schema; a published version's is read once per process."""
    if version.is_published:
        return _published_schema(version.pk)
    return build_schema(version)


def _matches(answer, values) -> bool:
    if isinstance(answer, list):
        return any(a in values for a in answer)
    return answer in values


def is_shown(item, answers: dict) -> bool:
    """Whether a section or question shows, given the (already cleaned) earlier answers."""
    if not item.show_if_field:
        return True
    return item.show_if_field in answers and _matches(answers[item.show_if_field], item.show_if_values)


def shown_sections(schema: Schema, answers: dict) -> list[Section]:
    return [s for s in schema.sections if is_shown(s, answers)]


@dataclass
class Checked:
    answers: dict
    errors: dict = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.errors


def check_answers(schema: Schema, submitted: dict, *, documents=None, complete: bool) -> Checked:
    """Clean ``submitted`` (a dict of answers by key) against the schema.

    ``documents`` holds the ids and types of the documents the answers may point to, as
    ``{id: doc_type}`` (the enterprise's current library). Returns the cleaned answers of
    shown questions and errors by key (``team.2.equity`` for a group's cell).
    """
    documents = documents or {}
    cleaned: dict = {}
    errors: dict = {}
    for section in schema.sections:
        # A section shows on answers given before it; its questions on answers before them.
        if not is_shown(section, cleaned):
            continue
        for q in section.questions:
            if not is_shown(q, cleaned):
                continue
            raw = submitted.get(q.key)
            if _is_empty(raw):
                if complete and q.required:
                    errors[q.key] = [str(REQUIRED)]
                continue
            if q.kind == FieldKind.GROUP:
                rows, row_errors = _clean_group(q, raw, documents=documents, complete=complete)
                errors.update(row_errors)
                if rows is not None:
                    cleaned[q.key] = rows
                continue
            try:
                cleaned[q.key] = clean_value(q, raw, documents=documents)
            except ValidationError as exc:
                errors[q.key] = [str(m) for m in exc.messages]
    return Checked(answers=cleaned, errors=errors)


def _is_empty(raw) -> bool:
    return raw is None or raw == "" or raw == [] or raw == {} or (isinstance(raw, str) and not raw.strip())


def _clean_group(q: Question, raw, *, documents, complete):
    if not isinstance(raw, list) or not all(isinstance(r, dict) for r in raw):
        return None, {q.key: [str(_("Send the rows as a list of answers by column."))]}
    limit = q.max_rows or MAX_ROWS
    errors: dict = {}
    if len(raw) > limit:
        errors[q.key] = [str(ngettext_lazy("Add at most %(n)d row.", "Add at most %(n)d rows.", limit) % {"n": limit})]
        return None, errors
    rows = []
    for index, row in enumerate(raw):
        if all(_is_empty(row.get(c.key)) for c in q.columns):
            continue  # an empty row (the page's spare one) is not an answer
        clean_row = {}
        for column in q.columns:
            cell = row.get(column.key)
            name = f"{q.key}.{index}.{column.key}"
            if _is_empty(cell):
                if column.required:
                    errors[name] = [str(REQUIRED)]
                continue
            try:
                clean_row[column.key] = clean_value(column, cell, documents=documents)
            except ValidationError as exc:
                errors[name] = [str(m) for m in exc.messages]
        rows.append(clean_row)
    if complete and q.min_rows and len(rows) < q.min_rows:
        errors.setdefault(q.key, []).append(
            str(ngettext_lazy("Add at least %(n)d row.", "Add at least %(n)d rows.", q.min_rows) % {"n": q.min_rows})
        )
    return rows, errors


def _decimal(raw) -> Decimal:
    if isinstance(raw, bool):
        raise ValidationError(_("Enter a number."), code="invalid")
    try:
        value = Decimal(str(raw).strip().replace(",", ""))
    except (InvalidOperation, ValueError):
        raise ValidationError(_("Enter a number."), code="invalid") from None
    if not value.is_finite() or abs(value) >= Decimal("1e14"):
        raise ValidationError(_("Enter a number."), code="invalid")
    return value


def _bounds(q: Question, value: Decimal) -> None:
    if q.min_value is not None and value < q.min_value:
        raise ValidationError(_("Enter %(min)s or more.") % {"min": _plain(q.min_value)}, code="min_value")
    if q.max_value is not None and value > q.max_value:
        raise ValidationError(_("Enter %(max)s or less.") % {"max": _plain(q.max_value)}, code="max_value")


def _plain(value: Decimal) -> str:
    """A decimal without trailing zeros or exponent: ``Decimal("10.00")`` → ``"10"``."""
    return format(value.normalize(), "f")


def clean_value(q: Question, raw, *, documents=None):
    """One answer, cleaned to its stored JSON form; raises ``ValidationError`` with the reason."""
    kind = q.kind
    if kind in (FieldKind.SHORT_TEXT, FieldKind.LONG_TEXT):
        if not isinstance(raw, str):
            raise ValidationError(_("Enter text."), code="invalid")
        text = raw.strip()
        if kind == FieldKind.SHORT_TEXT:
            validate_plain_text(text)
            limit = q.max_length or SHORT_TEXT_MAX
        else:
            validate_multiline_text(text)
            limit = q.max_length or LONG_TEXT_MAX
            words = len(text.split())
            if q.max_words and words > q.max_words:
                raise ValidationError(
                    _("Keep to %(max)d words: this has %(words)d.") % {"max": q.max_words, "words": words},
                    code="max_words",
                )
        if len(text) > limit:
            raise ValidationError(
                _("Keep to %(max)d characters: this has %(length)d.") % {"max": limit, "length": len(text)},
                code="max_length",
            )
        return text
    if kind == FieldKind.NUMBER:
        value = _decimal(raw)
        _bounds(q, value)
        return _plain(value)
    if kind == FieldKind.MONEY:
        if not isinstance(raw, dict):
            raise ValidationError(_("Enter an amount and its currency."), code="invalid")
        currency = raw.get("currency")
        if currency not in dict(CURRENCIES):
            raise ValidationError(_("Choose a currency: CNY, HKD or USD."), code="currency")
        amount = _decimal(raw.get("amount"))
        if amount.as_tuple().exponent < -2:
            raise ValidationError(_("Enter the amount to the cent at most."), code="precision")
        if amount < 0:
            raise ValidationError(_("Enter an amount of zero or more."), code="negative")
        _bounds(q, amount)
        return {"amount": format(amount.quantize(Decimal("0.01")), "f"), "currency": currency}
    if kind == FieldKind.DATE:
        if isinstance(raw, datetime.date):
            return raw.isoformat()
        try:
            return datetime.date.fromisoformat(str(raw).strip()).isoformat()
        except ValueError:
            raise ValidationError(_("Enter a date as YYYY-MM-DD."), code="invalid") from None
    if kind == FieldKind.CHOICE:
        if not isinstance(raw, str) or raw not in q.choice_values:
            raise ValidationError(_("Choose one of the choices given."), code="invalid_choice")
        return raw
    if kind == FieldKind.MULTIPLE_CHOICE:
        values = [raw] if isinstance(raw, str) else raw
        if not isinstance(values, list) or not all(isinstance(v, str) and v in q.choice_values for v in values):
            raise ValidationError(_("Choose among the choices given."), code="invalid_choice")
        return [c["value"] for c in q.choices if c["value"] in values]
    if kind == FieldKind.YES_NO:
        if isinstance(raw, bool):
            return raw
        word = str(raw).strip().lower()
        if word in TRUE_WORDS:
            return True
        if word in FALSE_WORDS:
            return False
        raise ValidationError(_("Answer yes or no."), code="invalid")
    if kind == FieldKind.DOCUMENT:
        try:
            document_id = int(raw)
        except (TypeError, ValueError):
            raise ValidationError(_("Choose a document from the enterprise's library."), code="invalid") from None
        if isinstance(raw, bool) or (documents or {}).get(document_id) != q.document_type:
            raise ValidationError(
                _("Choose a current document of the type asked for from the enterprise's library."), code="invalid"
            )
        return document_id
    raise ValidationError(_("This question cannot be answered."), code="invalid")


def list_separator() -> str:
    """Between the items of a list in the reader's language: 中國內地、香港 but Mainland China, Hong Kong."""
    return ", " if language_variant() == "en" else "、"


def display_value(q: Question, value, *, documents=None) -> str:
    """An answer as a reader sees it, in their language (``documents``: ``{id: title}``)."""
    if value is None:
        return ""
    kind = q.kind
    if kind == FieldKind.YES_NO:
        return str(_("Yes") if value else _("No"))
    if kind == FieldKind.CHOICE:
        return q.choice_label(value)
    if kind == FieldKind.MULTIPLE_CHOICE:
        return list_separator().join(q.choice_label(v) for v in value)
    if kind == FieldKind.MONEY:
        return f"{value['currency']} {Decimal(value['amount']):,.2f}"
    if kind == FieldKind.DOCUMENT:
        return (documents or {}).get(value) or str(_("a document no longer in the library"))
    return str(value)
