"""Placeholder until this module is written (enterprises issue)."""


def product_list(request, *args, **kwargs):
    raise NotImplementedError


def product_detail(request, *args, **kwargs):
    raise NotImplementedError


def product_edit(request, *args, **kwargs):
    raise NotImplementedError


def product_delete(request, *args, **kwargs):
    raise NotImplementedError


def milestone_edit(request, *args, **kwargs):
    raise NotImplementedError


def milestone_delete(request, *args, **kwargs):
    raise NotImplementedError
