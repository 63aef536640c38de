"""Where to send a user next."""

from django.contrib.auth import REDIRECT_FIELD_NAME
from django.utils.http import url_has_allowed_host_and_scheme

#: The longest ``next`` followed (longer ones are not links the portal made).
MAX_NEXT_LENGTH = 2000


def safe_next(request) -> str:
    """The page the user wanted (``next``, in the form or the query) if it is a path on this site,
    else "": never an open redirect to another host or scheme, nor a word ``redirect()`` would
    take for a view's name, nor a URL longer than a browser keeps."""
    url = request.POST.get(REDIRECT_FIELD_NAME) or request.GET.get(REDIRECT_FIELD_NAME) or ""
    if not url.startswith("/") or len(url) > MAX_NEXT_LENGTH:
        return ""
    ours = url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()}, require_https=request.is_secure())
    return url if ours else ""
