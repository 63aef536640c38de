"""Placeholder until this module is written (enterprises issue)."""


def consent_page(request, *args, **kwargs):
    raise NotImplementedError


def consent_withdraw(request, *args, **kwargs):
    raise NotImplementedError
