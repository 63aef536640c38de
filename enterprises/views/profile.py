"""Placeholder until this module is written (enterprises issue)."""


def enterprise_list(request, *args, **kwargs):
    raise NotImplementedError


def enterprise_detail(request, *args, **kwargs):
    raise NotImplementedError


def enterprise_edit(request, *args, **kwargs):
    raise NotImplementedError


def contact_list(request, *args, **kwargs):
    raise NotImplementedError


def contact_remove(request, *args, **kwargs):
    raise NotImplementedError


class EnterpriseCreateWizard:
    @classmethod
    def as_view(cls):
        return enterprise_list
