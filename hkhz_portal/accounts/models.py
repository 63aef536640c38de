from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from hkhz_portal.core.i18n import in_active_language
from hkhz_portal.core.validators import validate_plain_text

from .roles import STAFF_ROLES, UnitKind


class NamedInThreeScripts(models.Model):
    """An organisation known by a name in English, Simplified and Traditional Chinese."""

    name_en = models.CharField(_("name (English)"), max_length=200, validators=[validate_plain_text])
    name_zh_hans = models.CharField(_("name (Simplified Chinese)"), max_length=200, validators=[validate_plain_text])
    name_zh_hant = models.CharField(_("name (Traditional Chinese)"), max_length=200, validators=[validate_plain_text])

    class Meta:
        abstract = True

    def __str__(self):
        return self.name

    @property
    def name(self):
        """The name in the active language."""
        return in_active_language(self, "name")


class Unit(NamedInThreeScripts):
    """An organisational unit staff belong to: the platform, a service centre or the fund."""

    code = models.SlugField(_("code"), unique=True)
    kind = models.CharField(_("kind"), max_length=32, choices=UnitKind.choices)

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        ordering = ["code"]


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create(self, email, password, **fields):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **fields):
        fields.setdefault("is_staff", False)
        fields.setdefault("is_superuser", False)
        return self._create(email, password, **fields)

    def create_superuser(self, email, password=None, **fields):
        fields.update(is_staff=True, is_superuser=True)
        return self._create(email, password, **fields)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who signs in. The e-mail address is the login."""

    email = models.EmailField(_("e-mail address"), unique=True)
    full_name = models.CharField(_("full name"), max_length=150, validators=[validate_plain_text])
    preferred_language = models.CharField(
        _("preferred language"), max_length=10, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="staff",
        help_text=_("The unit a staff member works for."),
    )
    partner_organisation = models.ForeignKey(
        "PartnerOrganisation",
        verbose_name=_("partner organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="members",
        help_text=_("The outside organisation a partner user acts for."),
    )
    is_staff = models.BooleanField(
        _("admin site access"), default=False, help_text=_("Whether the user can log into the admin site.")
    )
    is_active = models.BooleanField(_("active"), default=True)
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self):
        return self.full_name or self.email

    def get_full_name(self):
        return self.full_name

    def get_short_name(self):
        return self.full_name or self.email

    @cached_property
    def roles(self) -> frozenset[str]:
        """Names of the roles (groups) this user holds, read once per request."""
        return frozenset(self.groups.values_list("name", flat=True))

    def has_role(self, role) -> bool:
        return role in self.roles

    @property
    def is_staff_role(self) -> bool:
        """True for anyone who must use two-factor authentication: a staff role, or the Django
        flags that open the admin (a superuser or staff user without a role reaches as much)."""
        return self.is_superuser or self.is_staff or bool(self.roles & STAFF_ROLES)


class PartnerKind(models.TextChoices):
    BANK = "bank", _("Bank")
    LAW_FIRM = "law_firm", _("Law firm")
    INVESTOR = "investor", _("Investor")
    GOVERNMENT = "government", _("Government bureau")
    OTHER = "other", _("Other")


class PartnerOrganisation(NamedInThreeScripts):
    """An outside organisation that reads the portal through the API and receives webhooks.
    Its partner users manage its API keys and webhook endpoints; its keys act for it, not for them."""

    code = models.SlugField(_("code"), unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=PartnerKind.choices, default=PartnerKind.OTHER)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("partner organisation")
        verbose_name_plural = _("partner organisations")
        ordering = ["code"]


class KeyState(models.TextChoices):
    """What a key does now: opens what its scopes allow, or nothing any more (and why)."""

    ACTIVE = "active", _("Active")
    EXPIRED = "expired", _("Expired")
    REVOKED = "revoked", _("Revoked")


class APIKey(models.Model):
    """A partner organisation's API key. The secret is shown once and stored only as its SHA-256
    (a key has 256 bits of entropy, so a fast hash is safe, and a request costs microseconds, not
    a password hash's 0.4 s); ``prefix`` (the start of the key) tells keys apart on pages and logs."""

    organisation = models.ForeignKey(
        PartnerOrganisation, verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="api_keys"
    )
    name = models.CharField(_("name"), max_length=100, validators=[validate_plain_text])
    prefix = models.CharField(_("prefix"), max_length=32, unique=True, editable=False)
    secret_hash = models.CharField(max_length=64, unique=True, editable=False)
    scopes = models.JSONField(_("scopes"), default=list)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"))
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("revoked by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    last_used_ip = models.GenericIPAddressField(_("last used from"), null=True, blank=True)

    class Meta:
        verbose_name = _("API key")
        verbose_name_plural = _("API keys")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.state == KeyState.ACTIVE

    @property
    def state(self) -> KeyState:
        if self.revoked_at is not None:
            return KeyState.REVOKED
        return KeyState.ACTIVE if self.expires_at > timezone.now() else KeyState.EXPIRED
