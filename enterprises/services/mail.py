"""E-mails about enterprises, rendered in the recipient's language.

An invitation mail is delivered in three steps, so that no transaction is open while the
mail server is slow (on SQLite an open write transaction blocks every other writer):

1. claim the row with one conditional UPDATE: it succeeds for one worker only, and a claim
   older than ``INVITATION_CLAIM_TIMEOUT`` (its worker died mid-send) may be taken over;
2. send, outside any transaction;
3. record the outcome with another UPDATE: sent, or the error. A network error is raised
   again for the task to retry with back-off; any other error (a bad header, a broken
   template) would fail again, so it is final at once, as is the last network failure. A
   final failure is shown to the enterprise's owners, who can send the invitation again.

``selectors.stranded_invitation_ids`` finds what fell through (the broker was down when the
invitation was made, retries ran out on a worker that died) for the sweep to enqueue again.
"""

import logging
from datetime import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db.models import F
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from ..invitations import invitation_token
from ..models import Invitation
from ..selectors import sendable_invitations

logger = logging.getLogger(__name__)

#: Tries (first send and retries together) before a failing invitation mail is given up.
MAX_SEND_ATTEMPTS = 5


def send_invitation_email(invitation_id: int) -> bool:
    """Send the invitation once; return whether a mail went out. Called by the task, never
    inside a transaction (it opens none while it talks to the mail server).

    Two workers running it for one invitation send one mail. The language is the invitee's
    if they have an account, else the inviter's. Raises ``OSError`` on a network error that
    deserves another try.
    """
    now = timezone.now()
    claimed = Invitation.objects.filter(sendable_invitations(now), pk=invitation_id).update(
        claimed_at=now, send_attempts=F("send_attempts") + 1
    )
    if not claimed:
        return False
    invitation = Invitation.objects.select_related("enterprise", "invited_by").get(pk=invitation_id)
    try:
        subject, body = _render_invitation(invitation)
        send_mail(subject, body, None, [invitation.email])
    except OSError as exc:  # network trouble (smtplib's errors are OSErrors): worth another try
        final = invitation.send_attempts >= MAX_SEND_ATTEMPTS
        _record_failure(invitation, claimed_at=now, error=exc, final=final)
        if final:
            return False
        raise
    except Exception as exc:  # noqa: BLE001 - anything else fails the same way next time: record it, stop
        _record_failure(invitation, claimed_at=now, error=exc, final=True)
        return False
    # Recorded even if a slow send lost its claim meanwhile: the mail did go out.
    Invitation.objects.filter(pk=invitation_id, sent_at__isnull=True).update(
        sent_at=timezone.now(), claimed_at=None, failed_at=None, last_error=""
    )
    return True


def _render_invitation(invitation: Invitation) -> tuple[str, str]:
    invitee = get_user_model().objects.filter(email__iexact=invitation.email).first()
    person = invitee or invitation.invited_by
    language = person.preferred_language if person else settings.LANGUAGE_CODE
    context = {
        "invitation": invitation,
        "url": settings.SITE_URL.rstrip("/") + reverse("invitation_accept", args=[invitation_token(invitation)]),
        "days": settings.INVITATION_MAX_AGE_DAYS,
    }
    with translation.override(language):
        subject = render_to_string("enterprises/email/invitation_subject.txt", context)
        body = render_to_string("enterprises/email/invitation_body.txt", context)
    # A subject is one line: a newline in an enterprise's name would make the header invalid.
    return " ".join(subject.split()), body


def _record_failure(invitation: Invitation, *, claimed_at: datetime, error: Exception, final: bool) -> None:
    """Release the claim with the error; a final failure is shown to the owners."""
    log = logger.error if final else logger.warning
    log("Invitation %s not sent (attempt %s): %r", invitation.pk, invitation.send_attempts, error)
    Invitation.objects.filter(pk=invitation.pk, claimed_at=claimed_at).update(
        claimed_at=None,
        last_error=(str(error) or type(error).__name__)[:500],
        failed_at=timezone.now() if final else None,
    )
