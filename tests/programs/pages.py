"""Shared set-up of the programs page tests: a call, an applicant with an enterprise, a draft."""

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from enterprises.services.documents import upload_document
from hkhz_portal.accounts.roles import Role
from programs.services import applications as svc
from tests.factories import EnterpriseFactory, member_of, user_with_role
from tests.files import pdf

from .factories import CallFactory, park_rules


def open_call(**kwargs):
    call = CallFactory(**kwargs)
    park_rules(call)
    return call


def applicant_with_enterprise(**enterprise_fields):
    enterprise_fields.setdefault("founded_on", timezone.localdate() - datetime.timedelta(days=300))
    enterprise = EnterpriseFactory(**enterprise_fields)
    return member_of(enterprise, role="owner"), enterprise


def business_plan(user, enterprise, name="plan.pdf"):
    upload = SimpleUploadedFile(name, pdf(), content_type="application/pdf")
    return upload_document(enterprise, upload, actor=user, doc_type="business_plan").document


def draft(user, enterprise, call):
    return svc.start_application(actor=user, call=call, enterprise=enterprise)


def officer_of(call):
    officer = user_with_role(Role.PROGRAM_OFFICER)
    officer.unit = call.programme.unit
    officer.save(update_fields=["unit"])
    return officer


def staff_page(application):
    """The officer's page of ``application``."""
    return reverse("programs:staff_application", args=[application.reference])


def staff_action(application, name):
    """Where the officer's form for transition ``name`` posts."""
    return reverse("programs:staff_application_action", args=[application.reference, name])
