"""E-mails about enterprises, rendered in the recipient's language."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from ..invitations import invitation_token
from ..models import Invitation


def send_invitation_email(invitation_id: int) -> bool:
    """Send the invitation once; return whether a mail went out.

    The row is claimed with a conditional update, so two workers running the same task
    send one mail. The language is the invitee's if they have an account, else the inviter's.
    """
    invitation = Invitation.objects.select_related("enterprise", "invited_by").filter(pk=invitation_id).first()
    if invitation is None or not invitation.is_open:
        return False
    with transaction.atomic():
        claimed = Invitation.objects.filter(pk=invitation_id, sent_at__isnull=True).update(sent_at=timezone.now())
        if not claimed:
            return False
        invitee = get_user_model().objects.filter(email__iexact=invitation.email).first()
        person = invitee or invitation.invited_by
        language = person.preferred_language if person else settings.LANGUAGE_CODE
        context = {
            "invitation": invitation,
            "url": settings.SITE_URL.rstrip("/") + reverse("invitation_accept", args=[invitation_token(invitation)]),
            "days": settings.INVITATION_MAX_AGE_DAYS,
        }
        with translation.override(language):
            subject = render_to_string("enterprises/email/invitation_subject.txt", context).strip()
            body = render_to_string("enterprises/email/invitation_body.txt", context)
        send_mail(subject, body, None, [invitation.email])
    return True
