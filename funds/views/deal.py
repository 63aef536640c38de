"""Placeholder views, replaced by the helper that owns this module."""

from django.http import Http404


def deal_page(request, **kwargs):
    raise Http404


def lead(request, **kwargs):
    raise Http404


def note(request, **kwargs):
    raise Http404


def upload(request, **kwargs):
    raise Http404


def document_download(request, **kwargs):
    raise Http404


def checklist_item(request, **kwargs):
    raise Http404


def condition_met(request, **kwargs):
    raise Http404
