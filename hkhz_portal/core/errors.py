class DomainError(Exception):
    """A business rule refused the request.

    Pages show ``message`` to the user (and, with ``redirect_to``, send them to the named
    page where they can fix it); the API answers with ``status`` and a problem+json body
    carrying ``code`` (see ``hkhz_portal.core.api``).
    """

    def __init__(self, message, *, code="invalid", status=400, field=None, redirect_to=None):
        super().__init__(message)
        self.message = message
        self.code = code
        self.status = status
        self.field = field
        self.redirect_to = redirect_to
