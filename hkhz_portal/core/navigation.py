"""Where to send a user next."""

from django.contrib.auth import REDIRECT_FIELD_NAME
from django.utils.http import url_has_allowed_host_and_scheme


def safe_next(request) -> str:
    """The page the user wanted (``next``, in the form or the query) if it is on this site, else
    "": never an open redirect to another host or scheme."""
    url = request.POST.get(REDIRECT_FIELD_NAME) or request.GET.get(REDIRECT_FIELD_NAME) or ""
    ours = url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()}, require_https=request.is_secure())
    return url if url and ours else ""
