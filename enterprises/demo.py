"""About 40 realistic demo enterprises for ``seed_demo``, created through the services.

Mainland firms get valid generated USCCs in their Hangzhou district; Hong Kong firms get
BR numbers. Biopharma is the largest sector; its firms carry NMPA and FDA milestones.
"""

import datetime
import hashlib
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.utils import timezone
from djmoney.money import Money

from hkhz_portal.accounts.demo import APPLICANT_EMAIL, PARTNER_ORGANISATION
from hkhz_portal.accounts.models import PartnerOrganisation
from hkhz_portal.accounts.roles import Role
from hkhz_portal.accounts.services import assign_role

from .choices import DocumentType, HangzhouDistrict, Kind, MilestoneStatus, Sector
from .identifiers import USCC_ALPHABET, make_uscc
from .models import Enterprise
from .services import consent, documents, profile, regulatory, sharing

# (English name, Chinese name, short name, kind, sector, district, stage, headcount, founded, revenue (millions), currency)
# fmt: off
FIRMS = [
    ("Hangzhou Qiantang Biologics Co., Ltd.", "杭州钱塘生物制药有限公司", "Qiantang Bio", "mainland", "biopharma", "330114", "growth", "200-999", 2012, 420, "CNY"),
    ("Zhejiang Xihu Antibody Therapeutics Co., Ltd.", "浙江西湖抗体药业有限公司", "Xihu Antibody", "mainland", "biopharma", "330106", "early", "50-199", 2018, 35, "CNY"),
    ("Hangzhou Binjiang Gene Medicine Co., Ltd.", "杭州滨江基因医药有限公司", "BJ GeneMed", "mainland", "biopharma", "330108", "early", "10-49", 2020, 8, "CNY"),
    ("Hangzhou Yuhang Peptide Pharma Co., Ltd.", "杭州余杭多肽药业有限公司", "Yuhang Peptide", "mainland", "biopharma", "330110", "growth", "50-199", 2015, 160, "CNY"),
    ("Hangzhou Liangzhu Cell Therapy Co., Ltd.", "杭州良渚细胞治疗有限公司", "Liangzhu Cell", "mainland", "biopharma", "330110", "seed", "10-49", 2022, 0, "CNY"),
    ("Hangzhou Xiaoshan Small Molecule R&D Co., Ltd.", "杭州萧山小分子研发有限公司", "XS Molecule", "mainland", "biopharma", "330109", "early", "10-49", 2019, 12, "CNY"),
    ("Zhejiang Gongshu mRNA Technology Co., Ltd.", "浙江拱墅信使核糖核酸科技有限公司", "Gongshu mRNA", "mainland", "biopharma", "330105", "seed", "1-9", 2023, 0, "CNY"),
    ("Hangzhou Linping Vaccine Bio Co., Ltd.", "杭州临平疫苗生物有限公司", "Linping Vaccine", "mainland", "biopharma", "330113", "growth", "200-999", 2010, 610, "CNY"),
    ("Hangzhou Shangcheng ADC Pharma Co., Ltd.", "杭州上城偶联药物有限公司", "SC ADC", "mainland", "biopharma", "330102", "early", "50-199", 2017, 48, "CNY"),
    ("Hangzhou Fuyang Traditional Medicine Innovation Co., Ltd.", "杭州富阳中药创新有限公司", "Fuyang TCM", "mainland", "biopharma", "330111", "growth", "50-199", 2008, 230, "CNY"),
    ("Hangzhou Zijingang RNAi Bio Co., Ltd.", "杭州紫金港核酸干扰生物有限公司", "ZJG RNAi", "mainland", "biopharma", "330106", "seed", "1-9", 2024, 0, "CNY"),
    ("Qiantang Biologics (Hong Kong) Limited", "錢塘生物製藥（香港）有限公司", "Qiantang Bio HK", "hong_kong", "biopharma", "", "early", "1-9", 2025, 0, "HKD"),
    ("Lakeside Therapeutics Limited", "湖畔治療有限公司", "Lakeside Tx", "hong_kong", "biopharma", "", "early", "10-49", 2024, 3, "HKD"),
    ("Westlake Oncology Inc.", "西湖肿瘤公司", "Westlake Onc", "overseas", "biopharma", "", "early", "10-49", 2021, 2, "USD"),
    ("Hangzhou Binjiang Medical Robotics Co., Ltd.", "杭州滨江医疗机器人有限公司", "BJ MedRobot", "mainland", "medical_devices", "330108", "growth", "200-999", 2014, 380, "CNY"),
    ("Hangzhou Xihu Cardiac Devices Co., Ltd.", "杭州西湖心脏器械有限公司", "Xihu Cardiac", "mainland", "medical_devices", "330106", "early", "50-199", 2018, 60, "CNY"),
    ("Hangzhou Qiantang Diagnostics Co., Ltd.", "杭州钱塘诊断技术有限公司", "QT Dx", "mainland", "medical_devices", "330114", "growth", "50-199", 2013, 150, "CNY"),
    ("Hangzhou Yuhang Ophthalmic Instruments Co., Ltd.", "杭州余杭眼科器械有限公司", "YH Eye", "mainland", "medical_devices", "330110", "early", "10-49", 2020, 15, "CNY"),
    ("Harbourview MedTech Limited", "海景醫療科技有限公司", "Harbourview", "hong_kong", "medical_devices", "", "seed", "1-9", 2025, 0, "HKD"),
    ("Hangzhou Binjiang Vision AI Co., Ltd.", "杭州滨江视觉智能有限公司", "BJ Vision", "mainland", "ai_data", "330108", "growth", "200-999", 2016, 520, "CNY"),
    ("Hangzhou Xihu Large Model Lab Co., Ltd.", "杭州西湖大模型实验室有限公司", "Xihu LLM", "mainland", "ai_data", "330106", "early", "50-199", 2022, 40, "CNY"),
    ("Hangzhou Yuhang Data Exchange Co., Ltd.", "杭州余杭数据交易有限公司", "YH Data", "mainland", "ai_data", "330110", "early", "10-49", 2021, 22, "CNY"),
    ("Pearl River AI Limited", "珠江人工智能有限公司", "Pearl AI", "hong_kong", "ai_data", "", "seed", "1-9", 2024, 1, "HKD"),
    ("Hangzhou Xiaoshan Chip Design Co., Ltd.", "杭州萧山芯片设计有限公司", "XS Chip", "mainland", "ict_semiconductors", "330109", "growth", "200-999", 2011, 890, "CNY"),
    ("Hangzhou Qiantang Power Semiconductor Co., Ltd.", "杭州钱塘功率半导体有限公司", "QT Power", "mainland", "ict_semiconductors", "330114", "early", "50-199", 2019, 75, "CNY"),
    ("Hangzhou Binjiang IoT Modules Co., Ltd.", "杭州滨江物联网模组有限公司", "BJ IoT", "mainland", "ict_semiconductors", "330108", "growth", "50-199", 2015, 210, "CNY"),
    ("Hangzhou Linping Graphene Materials Co., Ltd.", "杭州临平石墨烯材料有限公司", "LP Graphene", "mainland", "new_materials", "330113", "early", "10-49", 2018, 18, "CNY"),
    ("Hangzhou Fuyang Bio-based Fibre Co., Ltd.", "杭州富阳生物基纤维有限公司", "FY Fibre", "mainland", "new_materials", "330111", "growth", "50-199", 2012, 130, "CNY"),
    ("Victoria Advanced Materials Limited", "維港先進材料有限公司", "Victoria AM", "hong_kong", "new_materials", "", "early", "1-9", 2023, 2, "HKD"),
    ("Hangzhou Xiaoshan Hydrogen Energy Co., Ltd.", "杭州萧山氢能科技有限公司", "XS Hydrogen", "mainland", "green_energy", "330109", "early", "50-199", 2020, 55, "CNY"),
    ("Hangzhou Lin'an Solar Storage Co., Ltd.", "杭州临安光储科技有限公司", "LA Solar", "mainland", "green_energy", "330112", "growth", "200-999", 2013, 740, "CNY"),
    ("Hangzhou Tonglu Carbon Accounting Co., Ltd.", "杭州桐庐碳核算科技有限公司", "TL Carbon", "mainland", "green_energy", "330122", "seed", "1-9", 2024, 0, "CNY"),
    ("Hangzhou Shangcheng Digital Payments Co., Ltd.", "杭州上城数字支付有限公司", "SC Pay", "mainland", "fintech", "330102", "growth", "200-999", 2014, 460, "CNY"),
    ("Central Crossborder Fintech Limited", "中環跨境金融科技有限公司", "Central Fintech", "hong_kong", "fintech", "", "early", "10-49", 2021, 12, "HKD"),
    ("Hangzhou Qiantang Smart Manufacturing Co., Ltd.", "杭州钱塘智能制造有限公司", "QT SmartMfg", "mainland", "advanced_manufacturing", "330114", "growth", "200-999", 2009, 1200, "CNY"),
    ("Hangzhou Jiande Precision Machinery Co., Ltd.", "杭州建德精密机械有限公司", "JD Precision", "mainland", "advanced_manufacturing", "330182", "growth", "50-199", 2006, 310, "CNY"),
    ("Hangzhou Chun'an Eco Agritech Co., Ltd.", "杭州淳安生态农业科技有限公司", "CA Agritech", "mainland", "other", "330127", "early", "10-49", 2019, 9, "CNY"),
    ("Hangzhou Gongshu Medical Imaging AI Co., Ltd.", "杭州拱墅医学影像智能有限公司", "GS Imaging", "mainland", "medical_devices", "330105", "early", "10-49", 2021, 20, "CNY"),
    ("Hangzhou Binjiang Biosimilars Co., Ltd.", "杭州滨江生物类似药有限公司", "BJ Biosimilar", "mainland", "biopharma", "330108", "growth", "200-999", 2011, 520, "CNY"),
    ("Kowloon Clinical Research Limited", "九龍臨床研究有限公司", "Kowloon CRO", "hong_kong", "biopharma", "", "growth", "50-199", 2016, 45, "HKD"),
]
# fmt: on

#: The demo applicant owns these two: a Binjiang biotech and its Hong Kong company.
APPLICANT_FIRMS = {"Hangzhou Binjiang Gene Medicine Co., Ltd.", "Qiantang Biologics (Hong Kong) Limited"}


def _milestone(jurisdiction, pathway, status, planned, actual=None, reference="", priority_review=False):
    """A demo milestone; ``planned`` and ``actual`` are days from the seeding day (negative: before),
    so the regulators' clocks are running whenever the demo is seeded."""
    return {
        "jurisdiction": jurisdiction,
        "pathway": pathway,
        "status": status,
        "planned": planned,
        "actual": actual,
        "reference_number": reference,
        "priority_review": priority_review,
    }


S, A, OK = MilestoneStatus.SUBMITTED, MilestoneStatus.ACCEPTED, MilestoneStatus.APPROVED

#: Per sector: (product name, modality, milestones). Each status change is its own milestone, so the
#: side-by-side view has a history to show; filings on the two tracks are months apart, as in life.
DEVICE_PIPELINES = [
    (
        "{code}-Scope (surgical robot)",
        "medical_device",
        [
            _milestone("nmpa", "nmpa_class_iii", S, -1120, -1100, "CQZ2300412"),
            _milestone("nmpa", "nmpa_class_iii", A, -1095, -1093, "CQZ2300412"),
            _milestone("nmpa", "nmpa_class_iii", OK, -760, -752, "国械注准20243010871"),
            _milestone("fda", "510k", S, -70, -61, "K261234"),
            _milestone("fda", "510k", A, -46, -46, "K261234"),
        ],
    ),
    (
        "{code}-BP (upper-arm blood pressure monitor)",
        "medical_device",
        [
            _milestone("fda", "510k", S, -430, -421, "K250872"),
            _milestone("fda", "510k", OK, -320, -309, "K250872"),
            _milestone("nmpa", "nmpa_class_ii", S, -400, -395, "浙械注准受理2500311"),
            _milestone("nmpa", "nmpa_class_ii", A, -388, -388, "浙械注准受理2500311"),
            _milestone("nmpa", "nmpa_class_ii", OK, -200, -214, "浙械注准20252070544"),
        ],
    ),
]
DRUG_PIPELINES = [
    (
        "{code}-101 (anti-PD-1 antibody)",
        "biologic",
        [
            _milestone("nmpa", "ind", S, -1200, -1184, "CXSL2300123"),
            _milestone("nmpa", "ind", A, -1177, -1177, "CXSL2300123"),
            _milestone("nmpa", "ind", OK, -1090, -1088, "CXSL2300123"),
            _milestone("fda", "ind", S, -930, -909, "IND 165432"),
            _milestone("fda", "ind", OK, -879, -879, "IND 165432"),
            _milestone("nmpa", "bla", S, -160, -152, "CXSS2600042", priority_review=True),
            _milestone("nmpa", "bla", A, -145, -145, "CXSS2600042", priority_review=True),
            _milestone("fda", "bla", MilestoneStatus.PLANNED, 290),
        ],
    ),
    (
        "{code}-207 (oral KRAS inhibitor)",
        "small_molecule",
        [
            _milestone("nmpa", "ind", S, -45, -41, "CXHL2600318"),
            _milestone("nmpa", "ind", A, -34, -34, "CXHL2600318"),
            _milestone("fda", "ind", S, -20, -13, "IND 171205"),
        ],
    ),
]


def pdf_bytes(title: str) -> bytes:
    """A small, valid one-page PDF showing ``title`` (ASCII), with a correct cross-reference table."""
    text = title.encode("ascii", "replace").replace(b"(", b"[").replace(b")", b"]")
    stream = b"BT /F1 18 Tf 72 720 Td (" + text + b") Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{offset:010d} 00000 n \n".encode() for offset in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def _org_body(name: str) -> str:
    """A stable 8-character organisation-code body derived from the name."""
    digest = hashlib.sha256(name.encode()).digest()
    return "".join(USCC_ALPHABET[b % 31] for b in digest[:8])


def _address(kind, district, index):
    if kind == Kind.MAINLAND:
        district_name = HangzhouDistrict(district).label.split()[-1]
        return f"浙江省杭州市{district_name}科技大道{100 + index}号"
    if kind == Kind.HONG_KONG:
        return f"Unit {200 + index}, Building 1{index % 10}W, Hong Kong Science Park, Sha Tin, N.T."
    return f"{index + 1} Kendall Square, Cambridge, MA 02139, USA"


def _domain(short_name: str) -> str:
    """The firm's made-up web and mail domain."""
    return f"{short_name.lower().replace(' ', '-')}.example"


def _owner_email(index: int) -> str:
    """A made-up owner writes from their firm's domain, as in life: a reviewer's conflict of
    interest is detected from shared mail domains, and the demo users' own domain is no firm's."""
    return f"owner{index:02d}@{_domain(FIRMS[index][2])}"


def _move_owners_to_firm_domains() -> None:
    """Owners seeded when they wrote from the demo users' domain move to their firm's."""
    old = {f"owner{index:02d}@demo.hkhz.local": _owner_email(index) for index in range(len(FIRMS))}
    for user in get_user_model().objects.filter(email__in=old):
        user.email = old[user.email]
        user.save(update_fields=["email"])


def _owner_for(index: int, en_name: str, applicant):
    if en_name in APPLICANT_FIRMS:
        return applicant
    user, created = get_user_model().objects.get_or_create(
        email=_owner_email(index),
        defaults={"full_name": f"Demo owner {index:02d}", "preferred_language": "zh-hans"},
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    if not user.has_role(Role.APPLICANT):  # only applicants may own an enterprise
        assign_role(user, Role.APPLICANT, actor=None)
    return user


def seed_demo_enterprises() -> str:
    """``seed_demo``'s seeder (registered in ``EnterprisesConfig.ready``): the demo applicant
    owns two of the firms, made-up owners the rest."""
    applicant = get_user_model().objects.get(email=APPLICANT_EMAIL)
    _move_owners_to_firm_domains()
    created = seed_enterprises(applicant)
    return f"Demo enterprises: {created} created, {len(FIRMS) - created} already present."


def seed_enterprises(applicant) -> int:
    """Create the demo enterprises that are missing; return how many were created."""
    created = 0
    for index, (en, zh, short, kind, sector, district, stage, headcount, year, revenue, currency) in enumerate(FIRMS):
        if Enterprise.objects.filter(legal_name_en=en).exists():
            continue
        owner = _owner_for(index, en, applicant)
        city = {"mainland": "Hangzhou", "hong_kong": "Hong Kong"}.get(kind, "Cambridge, MA")
        consent.give_consent(actor=owner)
        identifiers = {}
        if kind == Kind.MAINLAND:
            identifiers["uscc"] = make_uscc("9", "1", district, _org_body(en))
        elif kind == Kind.HONG_KONG:
            identifiers["hk_br"] = f"{7_0000_000 + index * 104_729:08d}"
        enterprise = profile.create_enterprise(
            actor=owner,
            legal_name_en=en,
            legal_name_zh=zh,
            short_name=short,
            kind=kind,
            district=district,
            city=city,
            registered_address=_address(kind, district, index),
            founded_on=datetime.date(year, 1 + index % 12, 1 + index % 27),
            sector=sector,
            stage=stage,
            headcount=headcount,
            annual_revenue=Money(Decimal(revenue) * 1_000_000, currency),
            rd_spend=Money(Decimal(revenue) * 180_000 + 500_000, currency),
            granted_patents=(index * 7) % 40,
            website=f"https://www.{_domain(short)}",
            description_en=f"{short} is a {Sector(sector).label.lower()} company ({city}).",
            description_zh=f"{zh}专注于科技创新与成果转化。",
            **identifiers,
        )
        for doc_type, title in (
            (DocumentType.BUSINESS_LICENCE, "Business licence"),
            (DocumentType.PITCH_DECK, "Pitch deck"),
        ):
            if index % 3 == 2 and doc_type == DocumentType.PITCH_DECK:
                continue
            upload = ContentFile(pdf_bytes(f"{en} - {title}"), name=f"{title.lower().replace(' ', '-')}.pdf")
            documents.upload_document(enterprise, upload, actor=owner, doc_type=doc_type, title=title)
        if sector in ("biopharma", "medical_devices") and kind != Kind.HONG_KONG:
            _seed_pipeline(enterprise, owner, index)
        if en in APPLICANT_FIRMS and (
            bank := PartnerOrganisation.objects.filter(code=PARTNER_ORGANISATION["code"]).first()
        ):
            sharing.grant_sharing(enterprise, actor=owner, organisation=bank)
        created += 1
    return created


def _seed_pipeline(enterprise, owner, index):
    pipelines = DRUG_PIPELINES[: 1 + index % 2] if enterprise.sector == "biopharma" else DEVICE_PIPELINES
    code = "".join(word[0] for word in enterprise.short_name.split()).upper()
    today = timezone.localdate()
    for name, modality, milestones in pipelines:
        product = regulatory.save_product(enterprise, actor=owner, name=name.format(code=code), modality=modality)
        for milestone in milestones:
            planned, actual = milestone["planned"], milestone["actual"]
            regulatory.save_milestone(
                product,
                actor=owner,
                jurisdiction=milestone["jurisdiction"],
                pathway=milestone["pathway"],
                status=milestone["status"],
                planned_on=today + datetime.timedelta(days=planned),
                actual_on=None if actual is None else today + datetime.timedelta(days=actual),
                reference_number=milestone["reference_number"],
                priority_review=milestone["priority_review"],
            )
