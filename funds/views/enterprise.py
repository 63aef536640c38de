"""Placeholder views, replaced by the helper that owns this module."""

from django.http import Http404


def funding(request, **kwargs):
    raise Http404


def request_investment(request, **kwargs):
    raise Http404


def new_round(request, **kwargs):
    raise Http404


def round_page(request, **kwargs):
    raise Http404
