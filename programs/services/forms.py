"""Form versions: publishing one (after checking its structure) and copying one into a new draft.

A published version never changes: applications written under it keep displaying and
validating under it (``answers.form_schema``). To change a form, an administrator copies the
version, edits the copy and publishes it; calls then point at the new version.
"""

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hkhz_portal.core import audit
from hkhz_portal.core.errors import DomainError

from ..audit_actions import AuditAction
from ..choices import FieldKind
from ..models import FormField, FormVersion

#: The kinds of question a condition may read: their answers are one of a known set of values.
CONDITION_KINDS = frozenset({FieldKind.CHOICE, FieldKind.MULTIPLE_CHOICE, FieldKind.YES_NO})
CHOICE_KINDS = frozenset({FieldKind.CHOICE, FieldKind.MULTIPLE_CHOICE})


class FormProblems(DomainError):
    """Publishing refused: ``problems`` lists each fault of the version's structure, in form order."""

    def __init__(self, problems: list[str]):
        super().__init__(
            _("This form version cannot be published until its problems are fixed."), code="form_invalid", status=400
        )
        self.problems = problems


def _possible_values(field: FormField) -> list:
    if field.kind == FieldKind.YES_NO:
        return [True, False]
    return [c.get("value") for c in field.choices if isinstance(c, dict)]


def _condition_problems(item, where: str, earlier: dict[str, FormField]) -> list[str]:
    """Faults of the condition of ``item`` (a section or a question), given the questions before it."""
    if not item.show_if_field:
        if item.show_if_values:
            return [_("%(where)s: its values are set but not the question they belong to.") % {"where": where}]
        return []
    source = earlier.get(item.show_if_field)
    if source is None:
        return [
            _("%(where)s: shows only after the question “%(key)s”, which is not an earlier question of this version.")
            % {"where": where, "key": item.show_if_field}
        ]
    if source.kind not in CONDITION_KINDS:
        return [
            _("%(where)s: a condition can read only a choice or yes/no question; “%(key)s” is neither.")
            % {"where": where, "key": item.show_if_field}
        ]
    values = item.show_if_values
    possible = _possible_values(source)
    if not isinstance(values, list) or not values:
        return [_("%(where)s: list the answers that show it.") % {"where": where}]
    unknown = [v for v in values if not any(v == p and type(v) is type(p) for p in possible)]
    if unknown:
        return [
            _("%(where)s: “%(key)s” cannot be answered %(values)s (it takes %(possible)s).")
            % {
                "where": where,
                "key": source.key,
                "values": ", ".join(map(_json, unknown)),
                "possible": ", ".join(map(_json, possible)),
            }
        ]
    return []


def _json(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return f'"{value}"' if isinstance(value, str) else str(value)


def _field_problems(field: FormField, where: str) -> list[str]:
    problems = []
    if field.kind in CHOICE_KINDS:
        values = _possible_values(field)
        if not values or not all(isinstance(v, str) and v for v in values):
            problems.append(_('%(where)s: give each choice a "value" and its labels.') % {"where": where})
        elif len(set(values)) != len(values):
            problems.append(_("%(where)s: two choices have the same value.") % {"where": where})
    if field.kind == FieldKind.DOCUMENT and not field.document_type:
        problems.append(_("%(where)s: say which type of document it asks for.") % {"where": where})
    if field.min_value is not None and field.max_value is not None and field.min_value > field.max_value:
        problems.append(_("%(where)s: the greatest value is below the least value.") % {"where": where})
    if field.min_rows is not None and field.max_rows is not None and field.min_rows > field.max_rows:
        problems.append(_("%(where)s: the most rows are fewer than the least rows.") % {"where": where})
    return problems


def _column_problems(group: FormField, columns: list[FormField], where: str) -> list[str]:
    if group.kind != FieldKind.GROUP:
        return [_("%(where)s: only a repeating group has columns.") % {"where": where}]
    if not columns:
        return [_("%(where)s: a repeating group needs at least one column.") % {"where": where}]
    problems, seen = [], set()
    for column in columns:
        at = _("%(where)s, column “%(key)s”") % {"where": where, "key": column.key}
        if column.key in seen:
            problems.append(_("%(where)s: another column has the same key.") % {"where": at})
        seen.add(column.key)
        if column.section_id != group.section_id:
            problems.append(_("%(where)s: a column belongs to its group's section.") % {"where": at})
        if column.kind in (FieldKind.GROUP, FieldKind.DOCUMENT):
            problems.append(_("%(where)s: a column cannot be a group or a document.") % {"where": at})
        if column.show_if_field or column.show_if_values:
            problems.append(_("%(where)s: a column cannot have a condition.") % {"where": at})
        problems += _field_problems(column, at)
    return problems


def structure_problems(version: FormVersion) -> list[str]:
    """Everything that keeps ``version`` from being published, in form order; empty when it may be.

    Question keys are unique in the version (a group's column keys within their group);
    a condition names an earlier choice or yes/no question of the version and only answers
    that question can have; a repeating group has valid columns; a document question says
    which type of document it asks for."""
    sections = list(version.sections.order_by("order", "id"))
    fields = list(FormField.objects.filter(section__version=version).order_by("order", "id"))
    columns: dict[int, list[FormField]] = {}
    for f in fields:
        if f.group_id:
            columns.setdefault(f.group_id, []).append(f)
    problems: list[str] = []
    earlier: dict[str, FormField] = {}
    if not any(not f.group_id for f in fields):
        problems.append(_("The form has no questions."))
    for section in sections:
        where = _("Section “%(key)s”") % {"key": section.key}
        problems += _condition_problems(section, where, earlier)
        for field in (f for f in fields if f.section_id == section.pk and not f.group_id):
            at = _("Question “%(key)s”") % {"key": field.key}
            if field.key in earlier:
                problems.append(_("%(where)s: another question of this version has the same key.") % {"where": at})
            problems += _condition_problems(field, at, earlier)
            problems += _field_problems(field, at)
            if field.kind == FieldKind.GROUP or field.pk in columns:
                problems += _column_problems(field, columns.get(field.pk, []), at)
            earlier.setdefault(field.key, field)
    top_level = {f.pk for f in fields if not f.group_id}
    for group_id, orphans in columns.items():
        if group_id not in top_level:
            keys = ", ".join(c.key for c in orphans)
            problems.append(_("Columns %(keys)s belong to a group of another form version.") % {"keys": keys})
    return problems


@transaction.atomic(durable=True)
def publish_version(*, actor, version: FormVersion) -> FormVersion:
    """An administrator publishes a version whose structure holds (``structure_problems``); from
    then on it never changes, and calls may use it. Refused with ``FormProblems`` otherwise."""
    version = FormVersion.objects.select_for_update().select_related("form").get(pk=version.pk)
    if version.is_published:
        raise DomainError(_("This form version is already published."), code="already_published", status=409)
    problems = structure_problems(version)
    if problems:
        raise FormProblems([str(p) for p in problems])
    version.published_at = timezone.now()
    version.save(update_fields=["published_at"])
    audit.record(
        AuditAction.FORM_PUBLISHED,
        actor=actor,
        target=version,
        changes={"form": version.form.name, "number": version.number},
    )
    return version


@transaction.atomic(durable=True)
def copy_version(*, actor, version: FormVersion) -> FormVersion:
    """An administrator copies a version, sections, questions and group columns alike, into a new
    unpublished version numbered after the form's latest, to edit and publish in its turn."""
    form = version.form
    type(form).objects.select_for_update().get(pk=form.pk)  # one new number at a time
    number = (form.versions.aggregate(last=Max("number"))["last"] or 0) + 1
    copy = FormVersion.objects.create(form=form, number=number)
    fields = list(FormField.objects.filter(section__version=version).order_by("order", "id"))
    sections = {}
    for section in version.sections.order_by("order", "id"):
        old_pk = section.pk
        section.pk = None
        section.version = copy
        section.save()
        sections[old_pk] = section
    groups = {}
    # Groups before their columns, so that each column can point to its group's copy.
    for field in sorted(fields, key=lambda f: f.group_id is not None):
        old_pk = field.pk
        field.pk = None
        field.section = sections[field.section_id]
        field.group = groups.get(field.group_id)
        field.save()
        groups[old_pk] = field
    audit.record(
        AuditAction.FORM_COPIED,
        actor=actor,
        target=copy,
        changes={"form": form.name, "from": version.number, "number": number},
    )
    return copy
