"""How complete a profile is for an application: a rule on one enterprise, no query of its own."""

from dataclasses import dataclass
from dataclasses import field as dataclass_field

from django.utils.translation import gettext_lazy as _

from .choices import DocumentType, Kind


@dataclass(frozen=True)
class Completeness:
    percent: int
    missing: list
    #: Where each missing item is fixed, parallel to ``missing``: a profile field name, or
    #: ``"documents"`` for a document still to upload.
    missing_fields: list = dataclass_field(default_factory=list)

    @property
    def missing_items(self) -> list[tuple]:
        return list(zip(self.missing, self.missing_fields, strict=True))


def completeness(enterprise) -> Completeness:
    """What share of what an application needs is filled in, and what is missing.

    Reads the enterprise's documents (a withdrawn one counts for nothing): prefetch them
    (``selectors.enterprise_summaries``), or the call costs one query for them.
    """
    identifier = {Kind.MAINLAND: ("uscc", _("Unified Social Credit Code")), Kind.HONG_KONG: ("hk_br", _("BR number"))}
    checks = [
        (_("Legal name (English)"), bool(enterprise.legal_name_en), "legal_name_en"),
        (_("Legal name (Chinese)"), bool(enterprise.legal_name_zh), "legal_name_zh"),
        (_("Registered address"), bool(enterprise.registered_address), "registered_address"),
        (_("Founding date"), enterprise.founded_on is not None, "founded_on"),
        (_("Stage"), bool(enterprise.stage), "stage"),
        (_("Headcount"), bool(enterprise.headcount), "headcount"),
        (_("Annual revenue"), enterprise.annual_revenue is not None, "annual_revenue"),
        (_("Annual R&D spend"), enterprise.rd_spend is not None, "rd_spend"),
        (_("Website"), bool(enterprise.website), "website"),
        (_("Description (English)"), bool(enterprise.description_en), "description_en"),
        (_("Description (Chinese)"), bool(enterprise.description_zh), "description_zh"),
    ]
    if enterprise.kind in identifier:
        name, label = identifier[enterprise.kind]
        checks.append((label, bool(getattr(enterprise, name)), name))
    if enterprise.kind == Kind.MAINLAND:
        checks.append((_("District"), bool(enterprise.district), "district"))
    doc_types = {d.doc_type for d in enterprise.documents.all() if d.withdrawn_at is None}
    checks.append((_("Business licence document"), DocumentType.BUSINESS_LICENCE in doc_types, "documents"))
    checks.append((_("Articles of association document"), DocumentType.ARTICLES in doc_types, "documents"))
    filled = sum(1 for _label, ok, _name in checks if ok)
    return Completeness(
        percent=round(100 * filled / len(checks)),
        missing=[label for label, ok, _name in checks if not ok],
        missing_fields=[name for _label, ok, name in checks if not ok],
    )
