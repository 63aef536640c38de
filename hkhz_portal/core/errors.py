class DomainError(Exception):
    """A business rule refused the request.

    Pages show ``message`` to the user (on the form field ``field`` when a form was sent, see
    ``hkhz_portal.core.forms``); the API answers with ``status`` and a problem+json body
    carrying ``code`` and, for a refusal of several fields at once, ``errors`` by field (see
    ``hkhz_portal.core.api``). An error names no page: where a user
    fixes a refusal of some kind is the page layer's business (``register_fix_page``).
    """

    def __init__(self, message, *, code="invalid", status=400, field=None, errors=None):
        super().__init__(message)
        self.message = message
        self.code = code
        self.status = status
        self.field = field
        self.errors = errors


#: URL names of the pages where a refusal of each kind is put right, registered by the app that
#: owns both the error type and the page (``hkhz_portal`` imports no app).
_FIX_PAGES: dict[type, str] = {}


def register_fix_page(error_type: type[DomainError], url_name: str) -> None:
    """Send a user refused with ``error_type`` (or a subclass) to the page ``url_name``."""
    _FIX_PAGES[error_type] = url_name


def fix_page(error: DomainError) -> str | None:
    """The URL name registered for this kind of refusal, if any."""
    return next((_FIX_PAGES[t] for t in type(error).__mro__ if t in _FIX_PAGES), None)
