"""Placeholder views, replaced by the helper that owns this module."""

from django.http import Http404


def board(request, **kwargs):
    raise Http404


def source(request, **kwargs):
    raise Http404


def step(request, **kwargs):
    raise Http404
