from django.db import models
from django.utils.translation import gettext_lazy as _


class ProgrammeKind(models.TextChoices):
    BIOMEDICAL_INCUBATION = "biomedical_incubation", _("Biomedical incubation")
    TECHNOLOGY_INCUBATION = "technology_incubation", _("Technology incubation")
    ESTABLISHED = "established", _("Established firms")


class FieldKind(models.TextChoices):
    SHORT_TEXT = "short_text", _("Short text")
    LONG_TEXT = "long_text", _("Long text (word limit)")
    NUMBER = "number", _("Number")
    MONEY = "money", _("Amount of money")
    DATE = "date", _("Date")
    CHOICE = "choice", _("Single choice")
    MULTIPLE_CHOICE = "multiple_choice", _("Multiple choice")
    YES_NO = "yes_no", _("Yes or no")
    DOCUMENT = "document", _("Document")
    GROUP = "group", _("Repeating group")


class RuleKind(models.TextChoices):
    HK_COMPANY = "hk_company", _("Hong Kong company registered or to be set up")
    MAX_COMPANY_AGE = "max_company_age", _("Company age at most N years")
    MIN_FULL_TIME_STAFF = "min_full_time_staff", _("Full-time staff at least N")
    MIN_TECHNICAL_SHARE = "min_technical_share", _("Technical share of full-time staff at least N %")
    MIN_TECHNICAL_EQUITY = "min_technical_equity", _("Technical team equity at least N %")
    SECTOR_IN = "sector_in", _("Sector in a list")
    REQUIRED_DOCUMENTS = "required_documents", _("Required document types present")
    MIN_COMPLETENESS = "min_completeness", _("Profile completeness at least N %")
    IDENTIFIER_VALID = "identifier_valid", _("Identifier valid")
    NO_OPEN_APPLICATION = "no_open_application", _("No other open application to the same programme")


class CallState(models.TextChoices):
    UPCOMING = "upcoming", _("Upcoming")
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class AssignmentStatus(models.TextChoices):
    """Where a reviewer's assignment to an application stands."""

    AWAITING_DECLARATION = "awaiting_declaration", _("Waiting for the conflict declaration")
    REVIEWING = "reviewing", _("Reviewing")
    SUBMITTED = "submitted", _("Review submitted")
    CONFLICT = "conflict", _("Handed back: conflict of interest")
    REPLACED = "replaced", _("Replaced")
    CANCELLED = "cancelled", _("Ended: the application left review")


#: Assignments whose review is still owed: the reviewer's open load.
OWED_ASSIGNMENTS = frozenset({AssignmentStatus.AWAITING_DECLARATION, AssignmentStatus.REVIEWING})
#: Assignments that hold one of the application's review places.
ACTIVE_ASSIGNMENTS = frozenset(
    {AssignmentStatus.AWAITING_DECLARATION, AssignmentStatus.REVIEWING, AssignmentStatus.SUBMITTED}
)


#: Assignments whose reviewer declared no conflict of interest: they see the application.
DECLARED_NONE = frozenset({AssignmentStatus.REVIEWING, AssignmentStatus.SUBMITTED})


class Recommendation(models.TextChoices):
    ADMIT = "admit", _("Admit")
    ADMIT_WITH_CONDITIONS = "admit_with_conditions", _("Admit with conditions")
    DO_NOT_ADMIT = "do_not_admit", _("Do not admit")


class Outcome(models.TextChoices):
    """An officer's decision on a reviewed application (each is a workflow transition of the same name)."""

    APPROVE = "approve", _("Approve")
    WAITLIST = "waitlist", _("Waitlist")
    REJECT = "reject", _("Reject")


class SpaceKind(models.TextChoices):
    OFFICE = "office", _("Office")
    LAB = "lab", _("Laboratory")
    WET_LAB = "wet_lab", _("Wet laboratory")


class ExportFormat(models.TextChoices):
    CSV = "csv", _("CSV")
    XLSX = "xlsx", _("Excel workbook (XLSX)")


class ExportStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting for a worker")
    RUNNING = "running", _("Being built")
    DONE = "done", _("Ready")
    FAILED = "failed", _("Failed")
