"""Placeholder until this module is written (enterprises issue)."""


def member_list(request, *args, **kwargs):
    raise NotImplementedError


def member_invite(request, *args, **kwargs):
    raise NotImplementedError


def member_role(request, *args, **kwargs):
    raise NotImplementedError


def member_remove(request, *args, **kwargs):
    raise NotImplementedError


def ownership_transfer(request, *args, **kwargs):
    raise NotImplementedError


def invitation_revoke(request, *args, **kwargs):
    raise NotImplementedError


def invitation_accept(request, *args, **kwargs):
    raise NotImplementedError
