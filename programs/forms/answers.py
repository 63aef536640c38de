"""An application form's questions as Django form fields, one field class per ``FieldKind``.

The fields only turn what the browser sent into answers as ``programs.answers`` stores them
(money as ``{"amount", "currency"}``, yes/no as a word, a group as a list of rows); what is
required and what is valid is the engine's to say (``check_answers``), through the service
that saves the answers, so a draft keeps partial answers and every message comes from one
place. ``AnswersForm.apply_errors`` then puts each message on the field, or the group's cell,
it is about (``team.2.equity`` → the cell ``team-2-equity``).
"""

import contextlib
import json
from dataclasses import dataclass

from django import forms
from django.utils.translation import gettext_lazy as _

from enterprises.choices import CURRENCIES
from enterprises.forms.documents import ACCEPT, _file_help
from enterprises.forms.profile import MarkedBoundField
from enterprises.uploads import validate_upload
from hkhz_portal.core.forms import DateInput

from ..answers import MAX_ROWS, Question, is_shown
from ..choices import FieldKind

#: The suffix of a document question's upload input: ``business_plan__upload``.
UPLOAD_SUFFIX = "__upload"
YES, NO = "yes", "no"


def cell_name(group: str, index: int, column: str) -> str:
    return f"{group}-{index}-{column}"


def widget_value(value) -> str:
    """A stored answer as its input's value (yes/no answers are words on the page)."""
    if isinstance(value, bool):
        return YES if value else NO
    return "" if value is None else str(value)


class QuestionField:
    """Mixed into a Django field: label, help and the required mark are the question's. Nothing is
    refused here: the engine decides what is required, and when (a draft may be incomplete)."""

    def __init__(self, question: Question, **kwargs):
        self.question = question
        kwargs.setdefault("label", str(question.label))
        kwargs.setdefault("help_text", str(question.help))
        super().__init__(required=question.required, **kwargs)

    def validate(self, value):
        """No check of its own (see the class docstring)."""

    def run_validators(self, value):
        """No validators either: the engine's messages are the ones shown."""


class ShortTextField(QuestionField, forms.CharField):
    pass


class LongTextField(QuestionField, forms.CharField):
    def __init__(self, question, **kwargs):
        super().__init__(question, widget=forms.Textarea(attrs={"rows": 8}), **kwargs)


class NumberField(QuestionField, forms.CharField):
    def __init__(self, question, **kwargs):
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "decimal", "class": "number-input"}))
        super().__init__(question, **kwargs)


class DateField(QuestionField, forms.CharField):
    def __init__(self, question, **kwargs):
        super().__init__(question, widget=DateInput(), **kwargs)


class MoneyWidget(forms.MultiWidget):
    def __init__(self):
        super().__init__(
            [
                forms.TextInput(attrs={"class": "money-amount", "inputmode": "decimal"}),
                forms.Select(choices=CURRENCIES, attrs={"class": "money-currency", "aria-label": _("Currency")}),
            ]
        )

    def id_for_label(self, id_):
        # The question's label names the amount; the currency has its own aria-label.
        return f"{id_}_0" if id_ else id_

    def decompress(self, value):
        if isinstance(value, dict):
            return [value.get("amount"), value.get("currency")]
        return [None, "HKD"]


class MoneyField(QuestionField, forms.Field):
    """An amount and a currency chosen beside it."""

    def __init__(self, question, **kwargs):
        super().__init__(question, widget=MoneyWidget(), **kwargs)

    def to_python(self, value):
        amount, currency = [*value, "", ""][:2] if isinstance(value, list | tuple) else ("", "")
        amount = (amount or "").strip()
        return {"amount": amount, "currency": currency or ""} if amount else None


class ChoiceField(QuestionField, forms.CharField):
    def __init__(self, question, **kwargs):
        choices = [(c["value"], question.choice_label(c["value"])) for c in question.choices]
        super().__init__(question, widget=forms.RadioSelect(choices=choices), **kwargs)


class MultipleChoiceField(QuestionField, forms.Field):
    def __init__(self, question, **kwargs):
        choices = [(c["value"], question.choice_label(c["value"])) for c in question.choices]
        super().__init__(question, widget=forms.CheckboxSelectMultiple(choices=choices), **kwargs)

    def to_python(self, value):
        return [str(v) for v in value] if isinstance(value, list | tuple) else []


class YesNoField(QuestionField, forms.CharField):
    """Yes or no as radios; in a group's cell, a compact select."""

    def __init__(self, question, *, in_cell=False, **kwargs):
        choices = [(YES, _("Yes")), (NO, _("No"))]
        widget = forms.Select(choices=[("", "—"), *choices]) if in_cell else forms.RadioSelect(choices=choices)
        super().__init__(question, widget=widget, **kwargs)

    def prepare_value(self, value):
        return widget_value(value)


class DocumentField(QuestionField, forms.CharField):
    """One of the enterprise's current documents of the type asked for."""

    def __init__(self, question, *, documents=(), **kwargs):
        choices = [("", _("Choose a document"))]
        choices += [(str(d.pk), d.display_title) for d in documents if d.doc_type == question.document_type]
        super().__init__(question, widget=forms.Select(choices=choices), **kwargs)

    def prepare_value(self, value):
        return widget_value(value)


class UploadField(forms.FileField):
    """A new file for a document question, checked by content as on the documents page."""

    def __init__(self, **kwargs):
        super().__init__(
            required=False,
            label=_("Or upload a new file"),
            help_text=_file_help(),
            widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}),
            **kwargs,
        )

    def clean(self, data, initial=None):
        upload = super().clean(data, initial)
        if upload:
            validate_upload(upload)
        return upload


class RowCountField(forms.IntegerField):
    """How many rows of a group the page holds (the "add a row" script raises it)."""

    def __init__(self, question, **kwargs):
        super().__init__(
            required=False,
            label=str(question.label),
            help_text=str(question.help),
            widget=forms.HiddenInput,
            **kwargs,
        )


FIELD_CLASSES = {
    FieldKind.SHORT_TEXT: ShortTextField,
    FieldKind.LONG_TEXT: LongTextField,
    FieldKind.NUMBER: NumberField,
    FieldKind.MONEY: MoneyField,
    FieldKind.DATE: DateField,
    FieldKind.CHOICE: ChoiceField,
    FieldKind.MULTIPLE_CHOICE: MultipleChoiceField,
    FieldKind.YES_NO: YesNoField,
    FieldKind.DOCUMENT: DocumentField,
}


def field_for(question: Question, *, documents=(), in_cell=False) -> forms.Field:
    if question.kind == FieldKind.DOCUMENT:
        return DocumentField(question, documents=documents)
    if in_cell:
        # A cell is labelled by its column heading (and row); its help would repeat in every row.
        extra = {"in_cell": True} if question.kind == FieldKind.YES_NO else {}
        return FIELD_CLASSES[question.kind](question, help_text="", **extra)
    return FIELD_CLASSES[question.kind](question)


@dataclass
class Item:
    """One question as the page lays it out."""

    question: Question
    field: forms.BoundField
    upload: forms.BoundField | None = None
    rows: list | None = None
    columns: tuple = ()
    show_if: str = ""
    show_values: str = ""
    hidden: bool = False

    @property
    def is_group(self):
        return self.rows is not None

    @property
    def is_choices(self):
        return self.question.kind in (FieldKind.CHOICE, FieldKind.MULTIPLE_CHOICE, FieldKind.YES_NO)

    @property
    def max_rows(self):
        return self.question.max_rows or MAX_ROWS


class AnswersForm(forms.Form):
    """The questions of one step, or the ones an officer reopened, as fields.

    ``answers`` are the application's stored answers (the initial values, and what decides the
    questions whose condition is an answer of another step); ``documents`` the enterprise's
    current documents, offered to document questions.
    """

    bound_field_class = MarkedBoundField
    # A draft may be saved half-written: the browser must not refuse an empty required field.
    use_required_attribute = False

    def __init__(self, data=None, files=None, *, questions, answers, documents=(), kinds=None, **kwargs):
        super().__init__(data, files, **kwargs)
        self.questions = list(questions)
        self.stored = answers
        #: The kind of every question of the form by key, to write conditions as the page's values.
        self.kinds = kinds or {}
        self.row_counts: dict[str, int] = {}
        for q in self.questions:
            if q.kind == FieldKind.GROUP:
                self._add_group(q, data)
                continue
            self.fields[q.key] = field_for(q, documents=documents)
            self.initial[q.key] = answers.get(q.key)
            if q.kind == FieldKind.DOCUMENT:
                self.fields[q.key + UPLOAD_SUFFIX] = UploadField()

    def _add_group(self, q: Question, data) -> None:
        rows = self.stored.get(q.key) if isinstance(self.stored.get(q.key), list) else []
        limit = q.max_rows or MAX_ROWS
        count = max(len(rows), q.min_rows or 1)
        if data is not None:
            with contextlib.suppress(TypeError, ValueError):
                count = int(data.get(q.key, count))
        count = min(max(count, 0), limit + 1)  # one over the limit reaches the engine, which says so
        self.row_counts[q.key] = count
        self.fields[q.key] = RowCountField(q)
        self.initial[q.key] = count
        for index in range(count):
            row = rows[index] if index < len(rows) and isinstance(rows[index], dict) else {}
            for column in q.columns:
                name = cell_name(q.key, index, column.key)
                self.fields[name] = field_for(column, in_cell=True)
                self.initial[name] = row.get(column.key)

    def answers(self) -> dict:
        """What was sent, as answers by question key (after ``is_valid()``)."""
        data = self.cleaned_data
        sent = {}
        for q in self.questions:
            if q.kind == FieldKind.GROUP:
                sent[q.key] = [
                    {c.key: data.get(cell_name(q.key, i, c.key)) for c in q.columns}
                    for i in range(self.row_counts[q.key])
                ]
            else:
                sent[q.key] = data.get(q.key)
        return sent

    def uploads(self) -> dict:
        """The files sent for document questions, by question key (after ``is_valid()``)."""
        return {
            q.key: self.cleaned_data[q.key + UPLOAD_SUFFIX]
            for q in self.questions
            if q.kind == FieldKind.DOCUMENT and self.cleaned_data.get(q.key + UPLOAD_SUFFIX)
        }

    def apply_errors(self, errors: dict) -> None:
        """Put the engine's messages (by question key, ``group.row.column`` for a cell) on their fields."""
        for key, messages in errors.items():
            parts = key.split(".")
            name = cell_name(*parts) if len(parts) == 3 else key
            if name in self.fields and name not in self.errors:
                self.add_error(name, list(messages))

    def layout(self) -> list[Item]:
        """The questions in order, each with its fields and, when it is conditional on a question
        of the same page, what the page's script reads to show or hide it."""
        on_page = {q.key for q in self.questions}
        items = []
        for q in self.questions:
            item = Item(question=q, field=self[q.key])
            if q.show_if_field and q.show_if_field in on_page:
                item.show_if = q.show_if_field
                values = q.show_if_values
                if self.kinds.get(q.show_if_field) == FieldKind.YES_NO:
                    values = [widget_value(v) for v in values]
                item.show_values = json.dumps([str(v) for v in values])
                item.hidden = not is_shown(q, self.stored)
            if q.kind == FieldKind.DOCUMENT:
                item.upload = self[q.key + UPLOAD_SUFFIX]
            if q.kind == FieldKind.GROUP:
                item.columns = q.columns
                item.rows = [
                    [self[cell_name(q.key, i, c.key)] for c in q.columns] for i in range(self.row_counts[q.key])
                ]
            items.append(item)
        return items
