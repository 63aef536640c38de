import datetime
import uuid
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from djmoney.models.fields import MoneyField
from phonenumber_field.modelfields import PhoneNumberField
from phonenumber_field.phonenumber import to_python as to_phone_number

from hkhz_portal.core.i18n import LANG_ATTRIBUTES, in_active_language, language_variant
from hkhz_portal.core.search import normalise_names
from hkhz_portal.core.validators import validate_multiline_text, validate_plain_text

from .choices import (
    CURRENCIES,
    LOGGED_RESIDENCIES,
    ConsentScope,
    DocumentType,
    ExportKind,
    HangzhouDistrict,
    Headcount,
    Jurisdiction,
    Kind,
    MemberRole,
    MilestoneStatus,
    Modality,
    Pathway,
    Residency,
    Sector,
    Stage,
)
from .identifiers import validate_hk_br, validate_hk_cr, validate_uscc

DUPLICATE_MESSAGES = {
    "uscc": _("Another enterprise on the portal already has this Unified Social Credit Code."),
    "hk_br": _("Another enterprise on the portal already has this Business Registration number."),
    "hk_cr": _("Another enterprise on the portal already has this Companies Registry number."),
}
DISTRICT_NOT_MAINLAND = _(
    "Hangzhou districts apply to mainland enterprises only: leave this empty for a Hong Kong or overseas enterprise."
)
MAINLAND_NEEDS_CHINESE_NAME = _(
    "A mainland enterprise is registered under its Chinese name: enter it as on the business licence."
)

#: The region a contact's phone number is read in when it has no country code, by kind of enterprise.
PHONE_REGION_BY_KIND = {Kind.MAINLAND: "CN", Kind.HONG_KONG: "HK"}


#: The profile's fields a member may set, in the groups the create wizard asks them in. Everything
#: else on an enterprise (reference, data residency, timestamps) is the portal's to set.
IDENTITY_FIELDS = ["legal_name_en", "legal_name_zh", "short_name", "kind", "uscc", "hk_br", "hk_cr"]
LOCATION_FIELDS = ["registered_address", "city", "district", "founded_on", "sector", "stage", "headcount"]
FIGURES_FIELDS = [
    "annual_revenue",
    "rd_spend",
    "granted_patents",
    "website",
    "description_en",
    "description_zh",
    "listed_in_directory",
]
PROFILE_FIELDS = frozenset(IDENTITY_FIELDS + LOCATION_FIELDS + FIGURES_FIELDS)


def validate_not_future(value):
    if value > timezone.localdate():
        raise ValidationError(_("The founding date cannot be in the future."), code="future")


def validate_not_negative(value):
    if value.amount < 0:
        raise ValidationError(_("Enter an amount of zero or more."), code="negative")


def identifier_field(name, verbose_name, length, validator):
    """An identifier: unique when present, NULL when absent, checked by its validator."""
    return models.CharField(
        verbose_name,
        max_length=length,
        null=True,
        blank=True,
        unique=True,
        validators=[validator],
        error_messages={"unique": DUPLICATE_MESSAGES[name]},
    )


def money_field(verbose_name):
    """An optional amount with its currency (CNY, HKD or USD), never negative."""
    return MoneyField(
        verbose_name,
        max_digits=16,
        decimal_places=2,
        null=True,
        blank=True,
        default_currency="CNY",
        currency_choices=CURRENCIES,
        validators=[validate_not_negative],
    )


class Enterprise(models.Model):
    """An enterprise's profile: what every application, service request and investment draws on.

    The rules that depend on the kind of enterprise live in ``clean()``, which model forms,
    the services (``full_clean``) and so the API all run.
    """

    reference = models.CharField(_("reference"), max_length=20, unique=True, editable=False)
    legal_name_en = models.CharField(_("legal name (English)"), max_length=200, validators=[validate_plain_text])
    legal_name_zh = models.CharField(
        _("legal name (Chinese)"), max_length=200, blank=True, validators=[validate_plain_text]
    )
    short_name = models.CharField(_("short name"), max_length=60, blank=True, validators=[validate_plain_text])
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    uscc = identifier_field("uscc", _("Unified Social Credit Code"), 18, validate_uscc)
    hk_br = identifier_field("hk_br", _("Hong Kong Business Registration number"), 8, validate_hk_br)
    hk_cr = identifier_field("hk_cr", _("Companies Registry number"), 7, validate_hk_cr)
    registered_address = models.TextField(_("registered address"), blank=True, validators=[validate_multiline_text])
    city = models.CharField(_("city"), max_length=100, blank=True, validators=[validate_plain_text])
    district = models.CharField(_("district"), max_length=6, choices=HangzhouDistrict.choices, blank=True)
    founded_on = models.DateField(_("founding date"), null=True, blank=True, validators=[validate_not_future])
    sector = models.CharField(_("industry sector"), max_length=32, choices=Sector.choices)
    stage = models.CharField(_("stage"), max_length=16, choices=Stage.choices, blank=True)
    headcount = models.CharField(_("headcount"), max_length=16, choices=Headcount.choices, blank=True)
    annual_revenue = money_field(_("annual revenue"))
    rd_spend = money_field(_("annual R&D spend"))
    granted_patents = models.PositiveIntegerField(_("granted patents"), default=0)
    website = models.URLField(_("website"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True, validators=[validate_multiline_text])
    description_zh = models.TextField(_("description (Chinese)"), blank=True, validators=[validate_multiline_text])
    listed_in_directory = models.BooleanField(
        _("listed in the partner directory"),
        default=False,
        help_text=_("Partners of the platform may find this enterprise in their directory."),
    )
    data_residency = models.CharField(_("data residency"), max_length=16, choices=Residency.choices)
    #: Every name in one script, case and spacing (``hkhz_portal.core.search``), so that a search in
    #: Traditional finds a name written in Simplified and back. Set by ``refresh_search_names()``;
    #: on PostgreSQL a trigram index (migration 0004) serves its substring searches.
    search_names = models.TextField(_("names as searched"), blank=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("enterprise")
        verbose_name_plural = _("enterprises")
        ordering = ["legal_name_en"]
        indexes = [
            models.Index(fields=["sector", "legal_name_en"]),
            # The partner directory's pages: the listed enterprises in reference order.
            models.Index(fields=["reference"], condition=Q(listed_in_directory=True), name="enterprise_listed_idx"),
            models.Index(fields=["district"]),
            models.Index(fields=["stage"]),
            models.Index(fields=["kind"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind=Kind.MAINLAND) | Q(district=""), name="enterprise_district_only_for_mainland"
            ),
        ]

    def __str__(self):
        return self.display_name

    @property
    def display_name(self):
        return self.short_name or self.legal_name_en

    @property
    def local_name(self):
        """The legal name in the active language: Chinese for Chinese readers when there is one."""
        if language_variant() != "en" and self.legal_name_zh:
            return self.legal_name_zh
        return self.legal_name_en

    @property
    def heading_names(self) -> list[dict]:
        """The legal names as a page heads the profile: ``local_name`` first, the other below it,
        each with its ``lang`` so that the Chinese name is drawn with Chinese fonts on any page."""
        names = [{"text": self.legal_name_en, "lang": "en"}]
        if self.legal_name_zh:
            names.append({"text": self.legal_name_zh, "lang": "zh"})
        if self.local_name != self.legal_name_en:
            names.reverse()
        return names

    @property
    def phone_region(self) -> str | None:
        """Where a phone number without its country code is taken to be: the enterprise's own
        region; an overseas firm's contacts give the + form."""
        return PHONE_REGION_BY_KIND.get(self.kind)

    def refresh_search_names(self) -> None:
        """Derive ``search_names`` from the names as they are now; the profile services call this
        before every save."""
        self.search_names = normalise_names(self.legal_name_en, self.legal_name_zh, self.short_name)

    def clean(self):
        """Mainland firms need a USCC and Hong Kong firms a BR number (CR optional); overseas firms
        neither; an identifier of another kind, or a district outside the mainland, is refused
        rather than silently kept. A form that edits no kind (a wizard step) skips these."""
        errors = {}
        if self.kind == Kind.MAINLAND and not self.legal_name_zh:
            errors["legal_name_zh"] = MAINLAND_NEEDS_CHINESE_NAME
        if self.kind == Kind.MAINLAND and not self.uscc:
            errors["uscc"] = _("A mainland enterprise needs its Unified Social Credit Code (on its business licence).")
        if self.kind and self.kind != Kind.MAINLAND:
            if self.uscc:
                errors["uscc"] = _("Only mainland enterprises have a Unified Social Credit Code: leave this empty.")
            if self.district:
                errors["district"] = DISTRICT_NOT_MAINLAND
        if self.kind == Kind.HONG_KONG and not self.hk_br:
            errors["hk_br"] = _("A Hong Kong enterprise needs its Business Registration number.")
        if self.kind and self.kind != Kind.HONG_KONG:
            for name in ("hk_br", "hk_cr"):
                if getattr(self, name):
                    errors[name] = _("Only Hong Kong enterprises have this number: leave it empty.")
        if errors:
            raise ValidationError(errors)


class HongKongEntity(models.Model):
    """A mainland or overseas enterprise's company in Hong Kong (a Hong Kong enterprise is its own),
    recorded when it is registered, for instance while onboarding to Hong Kong Science Park."""

    enterprise = models.OneToOneField(
        Enterprise, verbose_name=_("enterprise"), on_delete=models.CASCADE, related_name="hk_entity"
    )
    name = models.CharField(_("company name"), max_length=200, validators=[validate_plain_text])
    hk_br = identifier_field("hk_br", _("Hong Kong Business Registration number"), 8, validate_hk_br)
    registered_on = models.DateField(_("registered"), null=True, blank=True, validators=[validate_not_future])
    recorded_at = models.DateTimeField(_("recorded"), auto_now=True)

    class Meta:
        verbose_name = _("Hong Kong company")
        verbose_name_plural = _("Hong Kong companies")

    def __str__(self):
        return f"{self.name} ({self.hk_br})"


class WizardSubmission(models.Model):
    """One run of the create wizard, claimed by the enterprise it created: a second POST of the
    last step (a double click, a retry, parallel requests) finds the claim and is answered with
    the same enterprise, never a second one."""

    token = models.CharField(max_length=64, unique=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    enterprise = models.ForeignKey(Enterprise, on_delete=models.CASCADE, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("wizard submission")
        verbose_name_plural = _("wizard submissions")

    def __str__(self):
        return f"{self.token} → {self.enterprise}"


class Membership(models.Model):
    enterprise = models.ForeignKey(Enterprise, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("role"), max_length=8, choices=MemberRole.choices, default=MemberRole.MEMBER)
    joined_at = models.DateTimeField(_("joined"), auto_now_add=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["role", "joined_at"]
        constraints = [models.UniqueConstraint(fields=["enterprise", "user"], name="membership_unique_user")]

    def __str__(self):
        return f"{self.user} · {self.enterprise} ({self.role})"

    @property
    def is_owner(self):
        return self.role == MemberRole.OWNER


class Invitation(models.Model):
    """An owner's invitation by e-mail; its link carries a signed token valid for 7 days, once.

    Its mail is delivered by ``services.mail.send_invitation_email``: a worker claims the row
    (``claimed_at``), sends, then records ``sent_at``, or the error and, once it will not be
    tried again, ``failed_at``; an owner may then send it again.
    """

    enterprise = models.ForeignKey(Enterprise, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField(_("e-mail address"))
    role = models.CharField(_("role"), max_length=8, choices=MemberRole.choices, default=MemberRole.MEMBER)
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    # Delivery. A claim older than INVITATION_CLAIM_TIMEOUT was left by a worker that died.
    claimed_at = models.DateTimeField(_("being sent since"), null=True, blank=True)
    send_attempts = models.PositiveSmallIntegerField(_("send attempts"), default=0)
    last_error = models.CharField(_("last delivery error"), max_length=500, blank=True)
    failed_at = models.DateTimeField(_("delivery given up"), null=True, blank=True)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at"]
        indexes = [
            # The sweep looks for the few invitations whose mail has not gone out.
            models.Index(
                fields=["created_at"],
                condition=Q(sent_at__isnull=True, failed_at__isnull=True),
                name="invitation_undelivered",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(sent_at__isnull=True) | Q(failed_at__isnull=True), name="invitation_sent_or_failed"
            ),
        ]

    def __str__(self):
        return f"{self.email} → {self.enterprise}"

    @property
    def is_open(self):
        return self.accepted_at is None and self.revoked_at is None


class ContactPerson(models.Model):
    """A person named on the profile (not necessarily a user): personal data that may cross the border.

    The phone number is stored in international (E.164) form; ``parse_phone`` reads what people
    type in the enterprise's region. The same person cannot be added twice: the same name with
    the same e-mail address, or with the same phone number, is refused (in any letter case).
    """

    enterprise = models.ForeignKey(Enterprise, on_delete=models.CASCADE, related_name="contacts")
    name = models.CharField(_("name"), max_length=150, validators=[validate_plain_text])
    title = models.CharField(_("job title"), max_length=150, blank=True, validators=[validate_plain_text])
    email = models.EmailField(_("e-mail address"))
    phone = PhoneNumberField(_("phone"), max_length=40, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("contact person")
        verbose_name_plural = _("contact persons")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                "enterprise",
                Lower("name"),
                Lower("email"),
                name="contact_unique_name_and_email",
                violation_error_message=_(
                    "This person is already a contact of the enterprise, with the same name and e-mail address."
                ),
            ),
            models.UniqueConstraint(
                "enterprise",
                Lower("name"),
                "phone",
                condition=~Q(phone=""),
                name="contact_unique_name_and_phone",
                violation_error_message=_(
                    "This person is already a contact of the enterprise, with the same name and phone number."
                ),
            ),
        ]

    def __str__(self):
        return self.name


def parse_phone(value, region):
    """A phone number as typed (spaces, hyphens, brackets, with or without the + and country
    code), read in ``region`` when it has no country code; unreadable text stays as typed, for
    the validators to refuse."""
    if isinstance(value, str):
        value = value.strip()
    return to_phone_number(value, region=region)


def document_path(version, filename):
    """Stored under an unguessable name; the original name is kept on the row for downloads."""
    suffix = PurePath(filename).suffix.lower()[:8]
    return f"enterprises/{version.document.enterprise.reference}/{uuid.uuid4().hex}{suffix}"


class DocumentQuerySet(models.QuerySet):
    def current(self):
        """Documents not withdrawn: what lists, completeness and the API show."""
        return self.filter(withdrawn_at__isnull=True)


class Document(models.Model):
    """A typed document with its versions. A withdrawn document stays (with its files) for the
    audit trail, but is no longer listed, downloadable or counted."""

    enterprise = models.ForeignKey(Enterprise, on_delete=models.CASCADE, related_name="documents")
    doc_type = models.CharField(_("type"), max_length=32, choices=DocumentType.choices)
    title = models.CharField(_("title"), max_length=200, blank=True, validators=[validate_plain_text])
    created_at = models.DateTimeField(auto_now_add=True)
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = DocumentQuerySet.as_manager()

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["doc_type", "title"]

    def __str__(self):
        return self.display_title

    @property
    def display_title(self) -> str:
        """The title given, else the type's name in the reader's language."""
        return self.title or str(self.get_doc_type_display())


class DocumentVersion(models.Model):
    """One uploaded file of a document. The highest number is the current version."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    file = models.FileField(upload_to=document_path, max_length=255)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField(_("size"))
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        verbose_name = _("document version")
        verbose_name_plural = _("document versions")
        ordering = ["document", "-number"]
        constraints = [models.UniqueConstraint(fields=["document", "number"], name="document_version_unique_number")]

    def __str__(self):
        return f"{self.document} v{self.number}"


class Product(models.Model):
    enterprise = models.ForeignKey(Enterprise, on_delete=models.CASCADE, related_name="products")
    name = models.CharField(_("product name"), max_length=200, validators=[validate_plain_text])
    modality = models.CharField(_("modality"), max_length=32, choices=Modality.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("product")
        verbose_name_plural = _("products")
        ordering = ["name"]

    def __str__(self):
        return self.name


EARLIEST_DATE = datetime.date(2000, 1, 1)

#: Statuses that record something that has happened, so their actual date cannot be in the future.
HAPPENED = frozenset(
    {
        MilestoneStatus.SUBMITTED,
        MilestoneStatus.ACCEPTED,
        MilestoneStatus.APPROVED,
        MilestoneStatus.REJECTED,
        MilestoneStatus.WITHDRAWN,
    }
)
#: A decision always has a date.
DECIDED = frozenset({MilestoneStatus.APPROVED, MilestoneStatus.REJECTED})

#: Pathways that exist in one jurisdiction only.
PATHWAY_JURISDICTION = {
    Pathway.K510: Jurisdiction.FDA,
    Pathway.DE_NOVO: Jurisdiction.FDA,
    Pathway.PMA: Jurisdiction.FDA,
    Pathway.NMPA_CLASS_I: Jurisdiction.NMPA,
    Pathway.NMPA_CLASS_II: Jurisdiction.NMPA,
    Pathway.NMPA_CLASS_III: Jurisdiction.NMPA,
}


def check_milestone(*, jurisdiction, pathway, status, planned_on, actual_on, today=None) -> None:
    """Refuse a milestone whose dates or pathway cannot be true; errors keyed by field.

    Run by ``Milestone.clean()``, so forms, services and the API refuse the same things.
    """
    today = today or timezone.localdate()
    errors = {}
    if planned_on and planned_on < EARLIEST_DATE:
        errors["planned_on"] = _("A planned date before 2000 is not plausible; check the year.")
    if actual_on and actual_on < EARLIEST_DATE:
        errors["actual_on"] = _("An actual date before 2000 is not plausible; check the year.")
    elif status == MilestoneStatus.PLANNED and actual_on:
        errors["actual_on"] = _("A planned milestone has no actual date yet: change the status or clear the date.")
    elif status in DECIDED and not actual_on:
        errors["actual_on"] = _("Give the date of the decision.")
    elif status in HAPPENED and actual_on and actual_on > today:
        errors["actual_on"] = _("The actual date cannot be in the future for a milestone that has happened.")
    required = PATHWAY_JURISDICTION.get(pathway)
    if required and jurisdiction and jurisdiction != required:
        errors["pathway"] = _("%(pathway)s is a pathway of %(jurisdiction)s only.") % {
            "pathway": Pathway(pathway).label,
            "jurisdiction": Jurisdiction(required).label,
        }
    if errors:
        raise ValidationError(errors)


#: A milestone's fields a member records: the one list the form, the service and the API share.
MILESTONE_FIELDS = (
    "jurisdiction",
    "pathway",
    "status",
    "planned_on",
    "actual_on",
    "reference_number",
    "priority_review",
    "notes",
)


class Milestone(models.Model):
    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="milestones")
    jurisdiction = models.CharField(_("jurisdiction"), max_length=16, choices=Jurisdiction.choices)
    pathway = models.CharField(_("pathway"), max_length=16, choices=Pathway.choices)
    status = models.CharField(_("status"), max_length=16, choices=MilestoneStatus.choices, default="planned")
    planned_on = models.DateField(_("planned date"), null=True, blank=True)
    actual_on = models.DateField(_("actual date"), null=True, blank=True)
    reference_number = models.CharField(
        _("reference number"), max_length=60, blank=True, validators=[validate_plain_text]
    )
    #: Shortens the FDA's PDUFA goal (10 months to 6) and the NMPA's NDA review (200 working days to 130).
    priority_review = models.BooleanField(
        _("priority review"),
        default=False,
        help_text=_("Granted priority review: the FDA's PDUFA goal and the NMPA's review time limit are shorter."),
    )
    notes = models.TextField(_("notes"), blank=True, validators=[validate_multiline_text])
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("regulatory milestone")
        verbose_name_plural = _("regulatory milestones")
        ordering = ["product", "pathway", "jurisdiction"]

    def __str__(self):
        return f"{self.product} · {self.get_jurisdiction_display()} {self.get_pathway_display()}"

    def clean(self):
        check_milestone(
            jurisdiction=self.jurisdiction,
            pathway=self.pathway,
            status=self.status,
            planned_on=self.planned_on,
            actual_on=self.actual_on,
        )


class ConsentNotice(models.Model):
    """A versioned notice on cross-border transfer (PIPL art. 39, PDPO): what a person consents to."""

    version = models.CharField(_("version"), max_length=20, unique=True)
    published_at = models.DateTimeField(_("published"))
    text_en = models.TextField(_("text (English)"))
    text_zh_hans = models.TextField(_("text (Simplified Chinese)"))
    text_zh_hant = models.TextField(_("text (Traditional Chinese)"))

    class Meta:
        verbose_name = _("consent notice")
        verbose_name_plural = _("consent notices")
        ordering = ["-published_at"]
        get_latest_by = "published_at"

    def __str__(self):
        return self.version

    @property
    def text(self) -> str:
        """The notice in the active language."""
        return in_active_language(self, "text")

    @property
    def lang(self) -> str:
        """The HTML ``lang`` of ``text``."""
        return LANG_ATTRIBUTES[language_variant()]


class Consent(models.Model):
    """One person's consent to one notice version; withdrawing stamps it and stops future transfers."""

    notice = models.ForeignKey(ConsentNotice, on_delete=models.PROTECT, related_name="consents")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, related_name="consents"
    )
    contact = models.ForeignKey(ContactPerson, on_delete=models.CASCADE, null=True, blank=True, related_name="consents")
    scope = models.CharField(_("scope"), max_length=20, choices=ConsentScope.choices, default=ConsentScope.BOTH_WAYS)
    given_at = models.DateTimeField(_("given"), auto_now_add=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)

    class Meta:
        verbose_name = _("cross-border consent")
        verbose_name_plural = _("cross-border consents")
        ordering = ["-given_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(user__isnull=False, contact__isnull=True) | Q(user__isnull=True, contact__isnull=False),
                name="consent_has_exactly_one_subject",
            ),
            # One live consent per person and notice, so parallel requests cannot record two. A new
            # notice does not end consents to the old one (they stay true records of what was agreed
            # to); the person consents to the new notice beside them, and withdrawing ends them all.
            models.UniqueConstraint(
                fields=["user", "notice"],
                condition=Q(withdrawn_at__isnull=True, user__isnull=False),
                name="consent_one_active_per_user_and_notice",
            ),
            models.UniqueConstraint(
                fields=["contact", "notice"],
                condition=Q(withdrawn_at__isnull=True, contact__isnull=False),
                name="consent_one_active_per_contact_and_notice",
            ),
        ]

    def __str__(self):
        return f"{self.user or self.contact} · {self.notice}"


class ExportLog(models.Model):
    """A record of personal data leaving the portal: a download, a CSV, an API read, a staff view."""

    kind = models.CharField(_("kind"), max_length=32, choices=ExportKind.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    enterprise = models.ForeignKey(Enterprise, on_delete=models.SET_NULL, null=True, related_name="exports")
    data_residency = models.CharField(_("data residency"), max_length=16, choices=LOGGED_RESIDENCIES)
    #: The partner organisation the data went to, when it left through the partner API.
    organisation = models.ForeignKey(
        "accounts.PartnerOrganisation",
        verbose_name=_("partner organisation"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    description = models.CharField(_("what"), max_length=255)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    created_at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("export log entry")
        verbose_name_plural = _("export log")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.kind} {self.description}"


class DataSharing(models.Model):
    """An enterprise's consent that one partner organisation reads its applications through the
    partner API (``applications:read``). Granted and revoked by an owner; a revoked grant stays
    as a record of what was shared when, and granting again adds a new row."""

    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("enterprise"), on_delete=models.CASCADE, related_name="data_sharings"
    )
    organisation = models.ForeignKey(
        "accounts.PartnerOrganisation",
        verbose_name=_("partner organisation"),
        on_delete=models.CASCADE,
        related_name="data_sharings",
    )
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("granted by"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    granted_at = models.DateTimeField(_("granted"), auto_now_add=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("revoked by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        verbose_name = _("data sharing with a partner")
        verbose_name_plural = _("data sharing with partners")
        ordering = ["-granted_at", "-pk"]
        indexes = [
            # What a partner reads: its organisation's active grants.
            models.Index(
                fields=["organisation", "enterprise"], condition=Q(revoked_at__isnull=True), name="sharing_active_idx"
            ),
        ]
        constraints = [
            # One active grant per enterprise and organisation, so parallel grants record one.
            models.UniqueConstraint(
                fields=["enterprise", "organisation"],
                condition=Q(revoked_at__isnull=True),
                name="sharing_one_active_per_pair",
            ),
        ]

    def __str__(self):
        return f"{self.enterprise} → {self.organisation}"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None
