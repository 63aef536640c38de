from django import template
from django.conf import settings

register = template.Library()


@register.simple_tag
def support_email() -> str:
    """The address people write to when signing in, verifying or resetting gets them stuck."""
    return settings.SUPPORT_EMAIL
