"""Placeholder until this module is written (enterprises issue)."""


def directory(request, *args, **kwargs):
    raise NotImplementedError


def staff_enterprise_detail(request, *args, **kwargs):
    raise NotImplementedError
