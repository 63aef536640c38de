"""Placeholder views, replaced by the helper that owns this module."""

from django.http import Http404


def record_closing(request, **kwargs):
    raise Http404


def follow_on(request, **kwargs):
    raise Http404


def record_exit(request, **kwargs):
    raise Http404


def portfolio(request, **kwargs):
    raise Http404


def record_capital(request, **kwargs):
    raise Http404
