"""How API clients prove who they are."""

from rest_framework import authentication


class SessionAuthentication(authentication.SessionAuthentication):
    """DRF's session authentication (CSRF enforced on unsafe methods, as DRF does), which also
    names its scheme, so that an anonymous request is told 401 with a ``WWW-Authenticate`` header
    (RFC 9110 §15.5.2) rather than 403: DRF answers 401 only when the first authentication class
    has a header to send. Browsers show no password prompt for this scheme."""

    def authenticate_header(self, request):
        return 'Session realm="api"'
