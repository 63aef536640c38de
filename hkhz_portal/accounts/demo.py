"""Demo units and one user per role, for ``seed_demo``."""

from allauth.account.models import EmailAddress

from . import services
from .models import Unit, User
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

#: (e-mail, full name, role, unit code, language)
USERS = [
    (APPLICANT_EMAIL, "Chen Jing 陈静", Role.APPLICANT, None, "zh-hans"),
    ("officer@demo.hkhz.local", "Wong Ka-man 黃嘉敏", Role.PROGRAM_OFFICER, "platform", "zh-hant"),
    (REVIEWER_EMAIL, "Dr. Li Wei 李伟", Role.REVIEWER, None, "en"),
    ("centre@demo.hkhz.local", "Chan Tai-man 陳大文", Role.CENTRE_STAFF, "hk-centre", "zh-hant"),
    ("fund@demo.hkhz.local", "Zhang Min 张敏", Role.FUND_MANAGER, "fund", "zh-hans"),
    ("committee@demo.hkhz.local", "Leung Siu-fai 梁兆輝", Role.COMMITTEE_MEMBER, "fund", "en"),
    ("partner@demo.hkhz.local", "Sarah Lee", Role.PARTNER, None, "en"),
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
    services.sync_role_groups()
    created = []
    for email, name, role, unit_code, language in USERS:
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User.objects.create_user(email, password, full_name=name, preferred_language=language)
            created.append(user)
        elif reset_passwords:
            user.set_password(password)
            user.save(update_fields=["password"])
            created.append(user)
        EmailAddress.objects.update_or_create(user=user, email=email, defaults={"verified": True, "primary": True})
        if not user.has_role(role):
            services.assign_role(user, role, unit=units.get(unit_code), actor=None)
    return created
