"""Placeholder views, replaced by the helper that owns this module."""

from django.http import Http404


def committee(request, **kwargs):
    raise Http404


def convene(request, **kwargs):
    raise Http404


def meeting(request, **kwargs):
    raise Http404


def agenda(request, **kwargs):
    raise Http404


def declare(request, **kwargs):
    raise Http404


def vote(request, **kwargs):
    raise Http404


def close_vote(request, **kwargs):
    raise Http404


def paper_download(request, **kwargs):
    raise Http404
