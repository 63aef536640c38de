"""factory_boy factories shared by every test folder."""

import base64

import factory
from allauth.account.models import EmailAddress
from allauth.mfa.totp.internal.auth import TOTP

from hkhz_portal.accounts import services
from hkhz_portal.accounts.api_keys import Scope
from hkhz_portal.accounts.models import PartnerOrganisation, Unit, User
from hkhz_portal.accounts.roles import ROLE_UNIT_KINDS, Role, UnitKind

PASSWORD = "correct-horse-battery-9"
TOTP_SECRET = base64.b32encode(b"hkhz-portal-tests!!!").decode()


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit
        django_get_or_create = ["code"]

    code = factory.Sequence(lambda n: f"unit-{n}")
    kind = UnitKind.PLATFORM
    name_en = factory.LazyAttribute(lambda u: f"Unit {u.code}")
    name_zh_hans = factory.LazyAttribute(lambda u: f"单位 {u.code}")
    name_zh_hant = factory.LazyAttribute(lambda u: f"單位 {u.code}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.com")
    full_name = factory.Faker("name")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def verified(self, create, extracted, **kwargs):
        """Users can sign in: their e-mail address is verified, as after sign-up."""
        self.save()
        if create:
            EmailAddress.objects.create(user=self, email=self.email, verified=True, primary=True)


def unit_for(role: Role) -> Unit | None:
    kinds = ROLE_UNIT_KINDS[role]
    if kinds is None:
        return None
    kind = sorted(kinds)[0]
    return UnitFactory(code=f"test-{kind}", kind=kind)


def user_with_role(role: Role, *, mfa: bool = True, **fields) -> User:
    """A user holding ``role`` (in a unit of the right kind; a partner acting for a new
    organisation); staff get TOTP unless mfa=False."""
    if role == Role.PARTNER:
        fields.setdefault("partner_organisation", PartnerOrganisationFactory())
    user = UserFactory(**fields)
    services.assign_role(user, role, unit=unit_for(role), actor=None)
    if mfa and user.is_staff_role:
        TOTP.activate(user, TOTP_SECRET)
    return user


class PartnerOrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PartnerOrganisation

    code = factory.Sequence(lambda n: f"partner-{n}")
    name_en = factory.LazyAttribute(lambda o: f"Partner {o.code}")
    name_zh_hans = factory.LazyAttribute(lambda o: f"合作机构 {o.code}")
    name_zh_hant = factory.LazyAttribute(lambda o: f"合作機構 {o.code}")


def partner_user(organisation=None, **fields) -> User:
    """A partner user acting for ``organisation`` (a new one by default)."""
    return user_with_role(Role.PARTNER, partner_organisation=organisation or PartnerOrganisationFactory(), **fields)


def api_key(organisation=None, scopes=tuple(Scope.values), **fields) -> str:
    """A new active key's secret, for ``Authorization: Bearer``, made by a partner user."""
    user = partner_user(organisation)
    _key, secret = services.create_api_key(actor=user, name=fields.pop("name", "Test key"), scopes=scopes, **fields)
    return secret


# --- Enterprises -------------------------------------------------------------------------


def give_consent(user):
    """The user consents to the current cross-border notice (needed before submitting data)."""
    from enterprises.services.consent import give_consent as give

    return give(actor=user)


def _uscc(n):
    from enterprises.identifiers import make_uscc

    return make_uscc("9", "1", "330106", f"MA{n:06d}")


class EnterpriseFactory(factory.django.DjangoModelFactory):
    """A mainland biopharma firm in Xihu with a valid USCC; created directly, not via services."""

    class Meta:
        model = "enterprises.Enterprise"

    reference = factory.Sequence(lambda n: f"ENT-2026-{n + 10000:05d}")
    legal_name_en = factory.Sequence(lambda n: f"Hangzhou Test Biotech {n} Co., Ltd.")
    legal_name_zh = factory.Sequence(lambda n: f"杭州测试生物科技{n}有限公司")
    kind = "mainland"
    uscc = factory.Sequence(_uscc)
    district = "330106"
    sector = "biopharma"
    stage = "early"
    data_residency = "mainland"

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        # What the profile services do before saving, so that factory firms are found by search.
        enterprise = model_class(*args, **kwargs)
        enterprise.refresh_search_names()
        enterprise.save()
        return enterprise


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "enterprises.Membership"

    enterprise = factory.SubFactory(EnterpriseFactory)
    user = factory.SubFactory(UserFactory)
    role = "member"


def member_of(enterprise, role="member", *, consent=True, **user_fields):
    """A signed-up applicant who is a member (or owner) of ``enterprise``, with consent given."""
    user = user_with_role(Role.APPLICANT, **user_fields)
    MembershipFactory(enterprise=enterprise, user=user, role=role)
    if consent:
        give_consent(user)
    return user
