"""Demo units, one user per role, and the demo partner's organisation and API key, for ``seed_demo``."""

from allauth.account.models import EmailAddress

from . import services
from .api_keys import Scope
from .models import APIKey, PartnerKind, PartnerOrganisation, Unit, User
from .roles import Role, UnitKind

UNITS = [
    (
        "platform",
        UnitKind.PLATFORM,
        "Hangzhou–Hong Kong Technology Collaborative Innovation Platform",
        "杭港科技协同创新平台",
        "杭港科技協同創新平台",
    ),
    (
        "hk-centre",
        UnitKind.GO_GLOBAL_CENTRE,
        "Go-Global Service Centre (Hong Kong)",
        "出海服务中心（香港）",
        "出海服務中心（香港）",
    ),
    (
        "hz-centre",
        UnitKind.COME_IN_CENTRE,
        "Come-In Service Centre (Hangzhou)",
        "引进服务中心（杭州）",
        "引進服務中心（杭州）",
    ),
    (
        "fund",
        UnitKind.FUND,
        "Hangzhou–Hong Kong Technology Achievement Transformation Fund",
        "杭港科技成果转化基金",
        "杭港科技成果轉化基金",
    ),
]

APPLICANT_EMAIL = "applicant@demo.hkhz.local"
REVIEWER_EMAIL = "reviewer@demo.hkhz.local"
PARTNER_EMAIL = "partner@demo.hkhz.local"
CENTRE_EMAIL = "centre@demo.hkhz.local"

#: The demo partner: a Hong Kong bank that lends to the platform's enterprises.
PARTNER_ORGANISATION = {
    "code": "lion-rock-bank",
    "kind": PartnerKind.BANK,
    "name_en": "Lion Rock Commercial Bank Limited",
    "name_zh_hans": "狮子山商业银行有限公司",
    "name_zh_hant": "獅子山商業銀行有限公司",
}
DEMO_KEY_NAME = "Demo key (seed_demo)"

#: (e-mail, full name, role, unit code, language)
USERS = [
    (APPLICANT_EMAIL, "Chen Jing 陈静", Role.APPLICANT, None, "zh-hans"),
    ("officer@demo.hkhz.local", "Wong Ka-man 黃嘉敏", Role.PROGRAM_OFFICER, "platform", "zh-hant"),
    (REVIEWER_EMAIL, "Dr. Li Wei 李伟", Role.REVIEWER, None, "en"),
    (CENTRE_EMAIL, "Chan Tai-man 陳大文", Role.CENTRE_STAFF, "hk-centre", "zh-hant"),
    # The centres' other people: each centre's lead (a program officer of the centre) and staff.
    ("hk-lead@demo.hkhz.local", "Ip Ka-wai 葉嘉慧", Role.PROGRAM_OFFICER, "hk-centre", "zh-hant"),
    ("hk-staff@demo.hkhz.local", "Lam Wing-yan 林詠欣", Role.CENTRE_STAFF, "hk-centre", "en"),
    ("hz-lead@demo.hkhz.local", "Xu Lan 徐岚", Role.PROGRAM_OFFICER, "hz-centre", "zh-hans"),
    ("hz-staff@demo.hkhz.local", "Zhao Yifan 赵一帆", Role.CENTRE_STAFF, "hz-centre", "zh-hans"),
    ("hz-staff2@demo.hkhz.local", "Olivia Shen 沈悦", Role.CENTRE_STAFF, "hz-centre", "en"),
    ("fund@demo.hkhz.local", "Zhang Min 张敏", Role.FUND_MANAGER, "fund", "zh-hans"),
    ("committee@demo.hkhz.local", "Leung Siu-fai 梁兆輝", Role.COMMITTEE_MEMBER, "fund", "en"),
    # The fund's other people: a second manager, and three more committee members (the first chairs).
    ("fund2@demo.hkhz.local", "Tsang Ka-ho 曾家豪", Role.FUND_MANAGER, "fund", "zh-hant"),
    ("committee2@demo.hkhz.local", "Prof. Wang Jianguo 王建国", Role.COMMITTEE_MEMBER, "fund", "zh-hans"),
    ("committee3@demo.hkhz.local", "Dr. Cheung Mei-ling 張美玲", Role.COMMITTEE_MEMBER, "fund", "zh-hant"),
    ("committee4@demo.hkhz.local", "Liu Yang 刘洋", Role.COMMITTEE_MEMBER, "fund", "en"),
    (PARTNER_EMAIL, "Sarah Lee 李詩雅", Role.PARTNER, None, "en"),
    ("admin@demo.hkhz.local", "Portal Administrator", Role.ADMIN, "platform", "en"),
]


def seed_units() -> dict[str, Unit]:
    units = {}
    for code, kind, en, hans, hant in UNITS:
        units[code], _ = Unit.objects.update_or_create(
            code=code, defaults={"kind": kind, "name_en": en, "name_zh_hans": hans, "name_zh_hant": hant}
        )
    return units


def seed_users(password: str, *, reset_passwords: bool = False) -> list[User]:
    """Create the demo users that are missing; return the ones whose password was set."""
    units = seed_units()
    organisation = seed_partner_organisation()
    services.sync_role_groups()
    created = []
    for email, name, role, unit_code, language in USERS:
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User.objects.create_user(email, password, full_name=name, preferred_language=language)
            created.append(user)
        if role == Role.PARTNER and user.partner_organisation_id is None:
            user.partner_organisation = organisation
            user.save(update_fields=["partner_organisation"])
        elif reset_passwords:
            user.set_password(password)
            user.save(update_fields=["password"])
            created.append(user)
        EmailAddress.objects.update_or_create(user=user, email=email, defaults={"verified": True, "primary": True})
        if not user.has_role(role):
            services.assign_role(user, role, unit=units.get(unit_code), actor=None)
    return created


def seed_partner_organisation() -> PartnerOrganisation:
    code = PARTNER_ORGANISATION["code"]
    organisation, _ = PartnerOrganisation.objects.update_or_create(code=code, defaults=PARTNER_ORGANISATION)
    return organisation


def seed_partner_key() -> str | None:
    """The demo partner's key, made through the service as a partner would; its secret is
    returned this once (None when the key already exists: its secret cannot be shown again)."""
    partner = User.objects.get(email=PARTNER_EMAIL)
    if APIKey.objects.filter(organisation=partner.partner_organisation, name=DEMO_KEY_NAME).exists():
        return None
    _key, secret = services.create_api_key(
        actor=partner,
        name=DEMO_KEY_NAME,
        scopes=[Scope.CALLS_READ, Scope.DIRECTORY_READ, Scope.STATS_READ, Scope.APPLICATIONS_READ],
    )
    return secret
