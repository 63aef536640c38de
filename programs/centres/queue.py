"""The centre's queue filters on the SLA clocks, read from the figures each request keeps of them
(``services.recompute_clocks``) and the time now, so that a clock that ran past a moment since
its last recomputation counts at once, before the beat recomputes it.
"""

from django.db.models import Q, QuerySet

from ..models import ClockLevel


def _breached(now) -> Q:
    return (
        Q(response_level=ClockLevel.BREACHED)
        | Q(resolution_level=ClockLevel.BREACHED)
        | Q(response_due_at__lte=now)
        | Q(resolution_due_at__lte=now)
    )


def breached(qs: QuerySet, now) -> QuerySet:
    """The requests with a clock past its target (either clock)."""
    return qs.filter(_breached(now))


def at_risk(qs: QuerySet, now) -> QuerySet:
    """The requests with a clock past its at-risk share but neither past its target."""
    risky = (
        Q(response_level=ClockLevel.AT_RISK)
        | Q(resolution_level=ClockLevel.AT_RISK)
        | Q(response_risk_at__lte=now)
        | Q(resolution_risk_at__lte=now)
    )
    return qs.filter(risky).exclude(_breached(now))
