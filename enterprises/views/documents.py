"""Placeholder until this module is written (enterprises issue)."""


def document_list(request, *args, **kwargs):
    raise NotImplementedError


def document_upload(request, *args, **kwargs):
    raise NotImplementedError


def document_download(request, *args, **kwargs):
    raise NotImplementedError
