from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from hkhz_portal.core.i18n import in_active_language
from hkhz_portal.core.validators import validate_plain_text

from .roles import STAFF_ROLES, UnitKind


class Unit(models.Model):
    """An organisational unit staff belong to: the platform, a service centre or the fund."""

    code = models.SlugField(_("code"), unique=True)
    kind = models.CharField(_("kind"), max_length=32, choices=UnitKind.choices)
    name_en = models.CharField(_("name (English)"), max_length=200, validators=[validate_plain_text])
    name_zh_hans = models.CharField(_("name (Simplified Chinese)"), max_length=200, validators=[validate_plain_text])
    name_zh_hant = models.CharField(_("name (Traditional Chinese)"), max_length=200, validators=[validate_plain_text])

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        ordering = ["code"]

    def __str__(self):
        return self.name

    @property
    def name(self):
        """The unit's name in the active language."""
        return in_active_language(self, "name")


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
        """True for anyone who must use two-factor authentication."""
        return bool(self.roles & STAFF_ROLES)
