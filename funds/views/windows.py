"""Placeholder views, replaced by the helper that owns this module."""

from django.http import Http404


def windows(request, **kwargs):
    raise Http404


def window(request, **kwargs):
    raise Http404
