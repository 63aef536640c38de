"""What a deal's transition waits for besides its stage, read in the same query as the deal.

``with_gates`` annotates a queryset of deals with what the gates need (the checklist's items
and those not signed off, the committee's approval, conditions not met, the closing recorded),
so that the board offers a transition or says why not yet without a query per deal, and the
services check the very same rule (``blocked``)."""

from django.db.models import Count, Exists, IntegerField, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from .models import AgendaItem, Condition, DiligenceItem, Investment, Outcome

APPROVALS = (Outcome.APPROVED, Outcome.APPROVED_WITH_CONDITIONS)


def _count(queryset) -> Coalesce:
    counted = queryset.order_by().values("deal").annotate(n=Count("id")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def with_gates(deals: QuerySet) -> QuerySet:
    items = DiligenceItem.objects.filter(deal=OuterRef("pk"))
    return deals.annotate(
        checklist_total=_count(items),
        checklist_unsigned=_count(items.filter(signed_off_at__isnull=True)),
        committee_approved=Exists(AgendaItem.objects.filter(deal=OuterRef("pk"), outcome__in=APPROVALS)),
        conditions_unmet=_count(Condition.objects.filter(deal=OuterRef("pk"), met_at__isnull=True)),
        closing_recorded=Exists(Investment.objects.filter(deal=OuterRef("pk"), kind="initial")),
    )


#: The transitions that wait for something besides the deal's stage.
GATED = frozenset({"to_committee", "issue_term_sheet", "close"})


def blocked(deal, name: str) -> str | None:
    """Why ``deal`` (annotated by ``with_gates``) cannot take transition ``name`` yet, or ``None``."""
    if name == "to_committee":
        if not deal.checklist_total:
            return _("The due-diligence checklist is empty.")
        if deal.checklist_unsigned:
            return _("%(count)s checklist items are not signed off yet.") % {"count": deal.checklist_unsigned}
    if name == "issue_term_sheet":
        if not deal.committee_approved:
            return _("The committee has not approved the deal.")
        if deal.conditions_unmet:
            return _("%(count)s conditions precedent are not met yet.") % {"count": deal.conditions_unmet}
    if name == "close" and not deal.closing_recorded:
        return _("Record the closing: amount, instrument, valuation and ownership.")
    return None
