"""Reads of applications that pages and the API share. Each one scopes by who asks, so a
record of another enterprise or unit is a 404, never a hint that it exists."""

from django.db.models import Max, QuerySet
from django.shortcuts import get_object_or_404

from enterprises.models import Document
from hkhz_portal.accounts.roles import Role

from .models import Application, Call, ScreeningCheck, StatusChange


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


def timeline(application: Application) -> QuerySet[StatusChange]:
    """Every step of the application, oldest first, with who took it."""
    return application.status_changes.select_related("actor").order_by("created_at", "id")


def latest_screening(application: Application) -> list[ScreeningCheck]:
    """The checks of the application's latest screening run, in the order they ran."""
    last = ScreeningCheck.objects.filter(application=application).aggregate(run=Max("run"))["run"]
    if last is None:
        return []
    return list(ScreeningCheck.objects.filter(application=application, run=last).order_by("id"))


def answer_documents(application: Application, ids) -> dict[int, Document]:
    """The enterprise's documents (not withdrawn) among ``ids``, each with ``latest``: the number
    of its current version, for a download link."""
    documents = (
        Document.objects.filter(enterprise_id=application.enterprise_id, pk__in=ids)
        .current()
        .annotate(latest=Max("versions__number"))
    )
    return {d.pk: d for d in documents}
