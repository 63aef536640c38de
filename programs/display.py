"""Answers as a reader sees them: the applicant's pages and the officer's page show them alike."""

from dataclasses import dataclass, field

from django.urls import reverse

from . import selectors
from .answers import display_value, is_shown, shown_sections
from .choices import FieldKind


@dataclass
class ShownAnswer:
    label: str
    value: str = ""
    url: str = ""
    columns: list = field(default_factory=list)
    rows: list = field(default_factory=list)


def _document_answer(application, question, value, documents, download: str) -> ShownAnswer:
    title, version = documents.get(value, (None, None))
    shown = ShownAnswer(label=str(question.label), value=title or display_value(question, value))
    if version is not None:
        shown.url = reverse(download, args=[application.enterprise.reference, value, version])
    return shown


def answer_sections(application, schema, *, download: str) -> list[dict]:
    """The answers under the application's own form version, section by section: groups as
    tables, documents as links to their download through the URL named ``download`` (the
    member's or the staff's document download)."""
    answers = application.answers
    documents = selectors.answer_documents(application)
    sections = []
    for section in shown_sections(schema, answers):
        shown = []
        for q in section.questions:
            if not is_shown(q, answers):
                continue
            value = answers.get(q.key)
            if q.kind == FieldKind.DOCUMENT and value is not None:
                shown.append(_document_answer(application, q, value, documents, download))
            elif q.kind == FieldKind.GROUP:
                rows = [[(str(c.label), display_value(c, row.get(c.key))) for c in q.columns] for row in value or []]
                shown.append(ShownAnswer(label=str(q.label), columns=[str(c.label) for c in q.columns], rows=rows))
            else:
                shown.append(ShownAnswer(label=str(q.label), value=display_value(q, value)))
        sections.append({"title": str(section.title), "key": section.key, "answers": shown})
    return sections
