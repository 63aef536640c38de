"""Admission demo data for ``seed_demo``: the platform's programmes as the Park has them, an open
rolling biomedical incubation call and a technology call closing in about three weeks, each with
a trilingual form and the Park's rules, and applications of the demo enterprises in every state
part 1 reaches, taken there through the services (screened by the real screening service), so
their timelines are real and the demo officer finds work waiting.

Applications left ``submitted`` or ``screening`` are screened as soon as a worker runs (the
sweep re-enqueues them), as they would be in life.
"""

import datetime
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone, translation

from enterprises.choices import DocumentType
from enterprises.demo import pdf_bytes
from enterprises.models import DocumentVersion, Enterprise
from enterprises.services import documents
from hkhz_portal.accounts.models import Unit

from .choices import FieldKind, ProgrammeKind, RuleKind
from .models import Application, ApplicationForm, Call, EligibilityRule, FormField, FormSection, FormVersion, Programme
from .services import applications as svc
from .workflow import Status

OFFICER_EMAIL = "officer@demo.hkhz.local"


def _t(en, hans, hant, prefix="label"):
    return {f"{prefix}_en": en, f"{prefix}_zh_hans": hans, f"{prefix}_zh_hant": hant}


def _c(value, en, hans, hant):
    return {"value": value, "en": en, "zh_hans": hans, "zh_hant": hant}


PROGRAMMES = [
    (
        "biomedical-incubation",
        ProgrammeKind.BIOMEDICAL_INCUBATION,
        48,
        ("Incubation Programme for Biomedical Technology", "生物医药科技培育计划", "生物醫藥科技培育計劃"),
        (
            "Four years of support for biomedical start-ups: funding in tranches, including regulatory affairs "
            "funding for IND, FDA, EMA and NMPA submissions, and co-working and lab space at preferential rent.",
            "为生物医药初创企业提供四年支持：分阶段资助（包括用于 IND、FDA、EMA 及 NMPA 申报的注册事务资助），"
            "以及优惠租金的共享办公室和实验室。",
            "為生物醫藥初創企業提供四年支援：分階段資助（包括用於 IND、FDA、EMA 及 NMPA 申報的註冊事務資助），"
            "以及優惠租金的共享辦公室和實驗室。",
        ),
    ),
    (
        "technology-incubation",
        ProgrammeKind.TECHNOLOGY_INCUBATION,
        36,
        ("Technology Incubation Programme", "科技创业培育计划", "科技創業培育計劃"),
        (
            "Three years of funding, office space and mentoring for technology start-ups.",
            "为科技初创企业提供三年资助、办公空间及导师指导。",
            "為科技初創企業提供三年資助、辦公空間及導師指導。",
        ),
    ),
    (
        "established-firms",
        ProgrammeKind.ESTABLISHED,
        None,
        ("Programme for Established Technology Companies", "成熟科技企业发展计划", "成熟科技企業發展計劃"),
        (
            "For firms at least two years old with at least 30 staff worldwide that commit to a local spend "
            "in Hong Kong.",
            "适用于成立至少两年、全球员工至少 30 人并承诺在香港本地投入的企业。",
            "適用於成立至少兩年、全球員工至少 30 人並承諾在香港本地投入的企業。",
        ),
    ),
]

YES = [True]


@dataclass
class Q:
    """One demo question (or a group column)."""

    key: str
    kind: str
    label: tuple
    required: bool = False
    help: tuple = ("", "", "")
    columns: list = field(default_factory=list)
    show_if: tuple = ("", [])
    extra: dict = field(default_factory=dict)


def _company_section():
    return (
        "company",
        ("The company", "公司", "公司"),
        ("Tell us about the applying company.", "请介绍申请公司。", "請介紹申請公司。"),
        ("", []),
        [
            Q(
                "company_summary",
                FieldKind.SHORT_TEXT,
                ("What does the company do, in one line?", "一句话介绍公司业务", "一句話介紹公司業務"),
                required=True,
                extra={"max_length": 150},
            ),
            Q(
                "hk_company_planned",
                FieldKind.YES_NO,
                (
                    "Will you set up a Hong Kong company if admitted?",
                    "获录取后会否在香港成立公司？",
                    "獲錄取後會否在香港成立公司？",
                ),
                required=True,
                help=(
                    "Answer yes if the company is already registered in Hong Kong.",
                    "如公司已在香港注册，请回答“是”。",
                    "如公司已在香港註冊，請回答「是」。",
                ),
            ),
            Q(
                "hk_setup_date",
                FieldKind.DATE,
                ("When will the Hong Kong company be set up?", "香港公司预计何时成立？", "香港公司預計何時成立？"),
                required=True,
                show_if=("hk_company_planned", YES),
            ),
            Q(
                "hk_centre_help",
                FieldKind.YES_NO,
                (
                    "Would you like the Hong Kong service centre's help with the set-up?",
                    "是否需要香港服务中心协助成立公司？",
                    "是否需要香港服務中心協助成立公司？",
                ),
                show_if=("hk_company_planned", YES),
            ),
            Q(
                "staff_worldwide",
                FieldKind.NUMBER,
                ("Staff worldwide", "全球员工人数", "全球員工人數"),
                required=True,
                extra={"min_value": 1, "max_value": 100000},
            ),
            Q(
                "funding_raised",
                FieldKind.MONEY,
                ("Funding raised to date", "迄今已融资金额", "迄今已融資金額"),
                extra={"min_value": 0},
            ),
            Q(
                "funding_sought",
                FieldKind.MONEY,
                ("Funding sought from the programme", "申请计划资助金额", "申請計劃資助金額"),
                required=True,
                extra={"min_value": 0, "max_value": 6000000},
            ),
        ],
    )


def _team_section():
    return (
        "team",
        ("The team", "团队", "團隊"),
        (
            "List the founders and staff: the Park counts full-time and technical staff and the technical "
            "team's equity from this list.",
            "请列出创始人及员工：园区据此计算全职员工、技术人员及技术团队持股比例。",
            "請列出創辦人及員工：園區據此計算全職員工、技術人員及技術團隊持股比例。",
        ),
        ("", []),
        [
            Q(
                "team",
                FieldKind.GROUP,
                ("Team members", "团队成员", "團隊成員"),
                required=True,
                extra={"min_rows": 2, "max_rows": 30},
                columns=[
                    Q("name", FieldKind.SHORT_TEXT, ("Name", "姓名", "姓名"), required=True),
                    Q("role", FieldKind.SHORT_TEXT, ("Role", "职位", "職位")),
                    Q("full_time", FieldKind.YES_NO, ("Full-time", "全职", "全職"), required=True),
                    Q("technical", FieldKind.YES_NO, ("Technical", "技术人员", "技術人員"), required=True),
                    Q(
                        "equity",
                        FieldKind.NUMBER,
                        ("Equity %", "持股比例 %", "持股比例 %"),
                        extra={"min_value": 0, "max_value": 100},
                    ),
                ],
            ),
            Q(
                "business_plan",
                FieldKind.DOCUMENT,
                ("Business plan", "商业计划书", "商業計劃書"),
                required=True,
                help=(
                    "10 to 20 pages: summary, products, R&D plan and schedule, market, team, finance.",
                    "10 至 20 页：摘要、产品、研发计划及时间表、市场、团队、财务。",
                    "10 至 20 頁：摘要、產品、研發計劃及時間表、市場、團隊、財務。",
                ),
                extra={"document_type": DocumentType.BUSINESS_PLAN},
            ),
        ],
    )


RD_PLAN = Q(
    "rd_plan",
    FieldKind.LONG_TEXT,
    ("R&D plan for the incubation period", "培育期内的研发计划", "培育期內的研發計劃"),
    required=True,
    help=("At most 300 words.", "不超过 300 字。", "不超過 300 字。"),
    extra={"max_words": 300},
)
MARKETS = Q(
    "markets",
    FieldKind.MULTIPLE_CHOICE,
    ("Target markets", "目标市场", "目標市場"),
    extra={
        "choices": [
            _c("mainland", "Mainland China", "中国内地", "中國內地"),
            _c("hong_kong", "Hong Kong", "香港", "香港"),
            _c("us", "United States", "美国", "美國"),
            _c("eu", "European Union", "欧盟", "歐盟"),
            _c("asean", "South-east Asia", "东南亚", "東南亞"),
        ]
    },
)

BIOMEDICAL_FORM = [
    _company_section(),
    (
        "product",
        ("Product and R&D", "产品与研发", "產品與研發"),
        ("", "", ""),
        ("", []),
        [
            Q(
                "modality",
                FieldKind.CHOICE,
                ("Main product type", "主要产品类型", "主要產品類型"),
                required=True,
                extra={
                    "choices": [
                        _c("small_molecule", "Small molecule", "小分子药物", "小分子藥物"),
                        _c("biologic", "Biologic", "生物制品", "生物製品"),
                        _c("cell_gene", "Cell or gene therapy", "细胞或基因治疗", "細胞或基因治療"),
                        _c("device", "Medical device", "医疗器械", "醫療器械"),
                        _c("diagnostic", "Diagnostic", "诊断产品", "診斷產品"),
                    ]
                },
            ),
            Q(
                "device_class",
                FieldKind.CHOICE,
                ("Device class (NMPA)", "器械类别（NMPA）", "器械類別（NMPA）"),
                required=True,
                show_if=("modality", ["device"]),
                extra={
                    "choices": [
                        _c("i", "Class I", "第一类", "第一類"),
                        _c("ii", "Class II", "第二类", "第二類"),
                        _c("iii", "Class III", "第三类", "第三類"),
                    ]
                },
            ),
            Q(
                "development_stage",
                FieldKind.CHOICE,
                ("Stage of the lead product", "主导产品所处阶段", "主導產品所處階段"),
                required=True,
                extra={
                    "choices": [
                        _c("preclinical", "Preclinical", "临床前", "臨床前"),
                        _c("ind", "IND filed or cleared", "IND 已申报或获批", "IND 已申報或獲批"),
                        _c("phase_1", "Phase 1", "I 期临床", "I 期臨床"),
                        _c("phase_2", "Phase 2", "II 期临床", "II 期臨床"),
                        _c("phase_3", "Phase 3", "III 期临床", "III 期臨床"),
                        _c("marketed", "On the market", "已上市", "已上市"),
                    ]
                },
            ),
            RD_PLAN,
            MARKETS,
        ],
    ),
    (
        "regulatory",
        ("Regulatory plan", "注册申报计划", "註冊申報計劃"),
        (
            "For medicines: the Park funds regulatory affairs for IND, FDA, EMA and NMPA filings.",
            "适用于药品：园区资助 IND、FDA、EMA 及 NMPA 申报的注册事务。",
            "適用於藥品：園區資助 IND、FDA、EMA 及 NMPA 申報的註冊事務。",
        ),
        ("modality", ["small_molecule", "biologic", "cell_gene"]),
        [
            Q(
                "ind_planned",
                FieldKind.YES_NO,
                (
                    "Do you plan an IND filing in the next 12 months?",
                    "未来 12 个月内是否计划提交 IND？",
                    "未來 12 個月內是否計劃提交 IND？",
                ),
                required=True,
            ),
            Q(
                "regulatory_funding",
                FieldKind.MONEY,
                ("Regulatory affairs funding sought", "申请注册事务资助金额", "申請註冊事務資助金額"),
                extra={"min_value": 0, "max_value": 4000000},
            ),
        ],
    ),
    _team_section(),
]

TECHNOLOGY_FORM = [
    _company_section(),
    (
        "product",
        ("Product and R&D", "产品与研发", "產品與研發"),
        ("", "", ""),
        ("", []),
        [
            Q(
                "technology_area",
                FieldKind.CHOICE,
                ("Technology area", "技术领域", "技術領域"),
                required=True,
                extra={
                    "choices": [
                        _c("ai_data", "AI and data", "人工智能与数据", "人工智能與數據"),
                        _c("robotics", "Robotics", "机器人", "機械人"),
                        _c("semiconductors", "Semiconductors", "半导体", "半導體"),
                        _c("fintech", "Fintech", "金融科技", "金融科技"),
                        _c("materials", "New materials", "新材料", "新材料"),
                        _c("green", "Green energy", "绿色能源", "綠色能源"),
                    ]
                },
            ),
            Q(
                "product_stage",
                FieldKind.CHOICE,
                ("Stage of the product", "产品所处阶段", "產品所處階段"),
                required=True,
                extra={
                    "choices": [
                        _c("prototype", "Prototype", "原型", "原型"),
                        _c("pilot", "Pilot customers", "试点客户", "試點客戶"),
                        _c("revenue", "Paying customers", "已有付费客户", "已有付費客戶"),
                    ]
                },
            ),
            Q(
                "manufacturing_partner",
                FieldKind.SHORT_TEXT,
                ("Who manufactures the hardware?", "硬件由谁生产？", "硬件由誰生產？"),
                show_if=("technology_area", ["robotics", "semiconductors", "materials"]),
            ),
            RD_PLAN,
            MARKETS,
        ],
    ),
    _team_section(),
]


def _create_question(section, q: Q, order: int, group=None) -> FormField:
    show_field, show_values = q.show_if
    created = FormField.objects.create(
        section=section,
        group=group,
        key=q.key,
        order=order,
        kind=q.kind,
        required=q.required,
        show_if_field=show_field,
        show_if_values=show_values,
        **_t(*q.label),
        **_t(*q.help, prefix="help"),
        **q.extra,
    )
    for index, column in enumerate(q.columns, start=1):
        _create_question(section, column, index, group=created)
    return created


def _form(name: str, sections) -> FormVersion:
    """The published version of the demo form ``name``, created (and published) if missing."""
    form, _created = ApplicationForm.objects.get_or_create(name=name)
    version = form.versions.filter(published_at__isnull=False).order_by("-number").first()
    if version is not None:
        return version
    version = FormVersion.objects.create(form=form, number=1)
    for order, (key, title, help_texts, (show_field, show_values), questions) in enumerate(sections, start=1):
        section = FormSection.objects.create(
            version=version,
            key=key,
            order=order,
            show_if_field=show_field,
            show_if_values=show_values,
            **_t(*title, prefix="title"),
            **_t(*help_texts, prefix="help"),
        )
        for index, q in enumerate(questions, start=1):
            _create_question(section, q, index)
    version.published_at = timezone.now()
    version.save(update_fields=["published_at"])
    return version


PARK_RULES = [
    (RuleKind.HK_COMPANY, None, "hk_company_planned"),
    (RuleKind.MAX_COMPANY_AGE, 2, ""),
    (RuleKind.MIN_FULL_TIME_STAFF, 2, "team"),
    (RuleKind.MIN_TECHNICAL_SHARE, 50, "team"),
    (RuleKind.MIN_TECHNICAL_EQUITY, 10, "team"),
    (RuleKind.IDENTIFIER_VALID, None, ""),
    (RuleKind.NO_OPEN_APPLICATION, None, ""),
]


def _call(slug, programme, version, *, titles, summaries, opens_at, closes_at, capacity) -> Call:
    call = Call.objects.filter(slug=slug).first()
    if call is not None:
        return call
    call = Call.objects.create(
        slug=slug,
        programme=programme,
        form_version=version,
        opens_at=opens_at,
        closes_at=closes_at,
        capacity=capacity,
        **_t(*titles, prefix="title"),
        **_t(*summaries, prefix="summary"),
    )
    for order, (kind, number, key) in enumerate(PARK_RULES, start=1):
        EligibilityRule.objects.create(call=call, kind=kind, number=number, field_key=key, order=order)
    return call


@transaction.atomic
def seed_setup() -> tuple[Call, Call]:
    """The platform's programmes, the two demo forms and the two open calls (what is missing)."""
    platform = Unit.objects.get(code="platform")
    programmes = {}
    for slug, kind, months, names, descriptions in PROGRAMMES:
        programmes[slug], _created = Programme.objects.get_or_create(
            slug=slug,
            defaults={
                "unit": platform,
                "kind": kind,
                "duration_months": months,
                **_t(*names, prefix="name"),
                **_t(*descriptions, prefix="description"),
            },
        )
    now = timezone.now()
    biomedical = _call(
        "biomedical-incubation-rolling",
        programmes["biomedical-incubation"],
        _form("Biomedical incubation application", BIOMEDICAL_FORM),
        titles=(
            "Biomedical incubation: rolling intake",
            "生物医药科技培育计划：全年招募",
            "生物醫藥科技培育計劃：全年招募",
        ),
        summaries=(
            "Applications are taken all year; an assessment panel meets monthly. Admission takes about two months.",
            "全年接受申请；评审小组每月开会，录取约需两个月。",
            "全年接受申請；評審小組每月開會，錄取約需兩個月。",
        ),
        opens_at=now - datetime.timedelta(days=120),
        closes_at=None,
        capacity=40,
    )
    technology = _call(
        "technology-incubation-round",
        programmes["technology-incubation"],
        _form("Technology incubation application", TECHNOLOGY_FORM),
        titles=(
            "Technology incubation: current round",
            "科技创业培育计划：本轮招募",
            "科技創業培育計劃：本輪招募",
        ),
        summaries=(
            "This round closes in about three weeks; drafts cannot be submitted after the close.",
            "本轮约三周后截止；截止后草稿不能再提交。",
            "本輪約三週後截止；截止後草稿不能再提交。",
        ),
        opens_at=now - datetime.timedelta(days=30),
        closes_at=now + datetime.timedelta(days=21),
        capacity=25,
    )
    return biomedical, technology


def _team(*rows):
    return [
        {"name": name, "role": role, "full_time": full_time, "technical": technical, "equity": equity}
        for name, role, full_time, technical, equity in rows
    ]


SOUND_TEAM = _team(
    ("Zhou Ming 周明", "CEO and founder", True, True, "45"),
    ("Dr. Lin Hui 林慧", "Chief scientific officer", True, True, "25"),
    ("Ho Wing-sze 何詠詩", "Finance and operations", True, False, "5"),
)
SOLO_TEAM = _team(("Wang Lei 王磊", "Founder", True, True, "90"), ("Sun Yu 孙宇", "Adviser", False, False, "10"))


def _answers(call: Call, *, team, plan_id=None, complete=True, about=None) -> dict:
    """The demo's answers to ``call``'s form; ``about`` (answers by key) tells one firm's own story."""
    biomedical = call.programme.kind == ProgrammeKind.BIOMEDICAL_INCUBATION
    answers = {
        "company_summary": "Antibody-drug conjugates for solid tumours"
        if biomedical
        else "Edge AI modules for factory inspection",
        "hk_company_planned": True,
        "hk_setup_date": (timezone.localdate() + datetime.timedelta(days=90)).isoformat(),
        "hk_centre_help": True,
        "staff_worldwide": "18",
        "funding_raised": {"amount": "12000000.00", "currency": "CNY"},
        "funding_sought": {"amount": "3000000.00", "currency": "HKD"},
    }
    if not complete:
        return answers
    if biomedical:
        answers |= {
            "modality": "biologic",
            "development_stage": "preclinical",
            "ind_planned": True,
            "rd_plan": "Finish the preclinical package in Hong Kong and file INDs with the NMPA and the FDA within "
            "eighteen months, running the first-in-human study at a Hong Kong phase 1 centre.",
        }
    else:
        answers |= {
            "technology_area": "ai_data",
            "product_stage": "pilot",
            "rd_plan": "Train the inspection models on the pilot customers' lines in Hangzhou, move the edge "
            "inference to a Hong Kong-designed module, and reach ten paying factories within two years.",
        }
    answers |= {
        "markets": ["mainland", "hong_kong", "us"],
        "team": team,
        "business_plan": plan_id,
    }
    return answers | (about or {})


def library_document(enterprise, owner, doc_type: DocumentType) -> DocumentVersion:
    """The current version of the enterprise's document of ``doc_type``, which its owner uploads
    (a one-page PDF, untitled: shown under its type's name) if the library has none."""
    existing = enterprise.documents.current().filter(doc_type=doc_type).first()
    if existing is not None:
        return existing.versions.first()
    with translation.override("en"):
        heading = f"{enterprise.legal_name_en} - {DocumentType(doc_type).label}"
    upload = ContentFile(pdf_bytes(heading), name=f"{doc_type.replace('_', '-')}.pdf")
    return documents.upload_document(enterprise, upload, actor=owner, doc_type=doc_type)


def _business_plan(enterprise, owner) -> int:
    return library_document(enterprise, owner, DocumentType.BUSINESS_PLAN).document_id


def owner_of(enterprise):
    return enterprise.memberships.filter(role="owner").select_related("user").first().user


#: (enterprise, call, the state to reach, team). The demo applicant owns the first two firms.
PLAN = [
    ("Hangzhou Binjiang Gene Medicine Co., Ltd.", "biomedical", Status.DRAFT, SOUND_TEAM),
    ("Qiantang Biologics (Hong Kong) Limited", "biomedical", Status.MORE_INFO_REQUESTED, SOUND_TEAM),
    ("Hangzhou Binjiang Gene Medicine Co., Ltd.", "technology", Status.WITHDRAWN, SOUND_TEAM),
    ("Harbourview MedTech Limited", "biomedical", Status.IN_REVIEW, SOUND_TEAM),
    ("Zhejiang Xihu Antibody Therapeutics Co., Ltd.", "biomedical", Status.NEEDS_ATTENTION, SOUND_TEAM),
    ("Hangzhou Xihu Large Model Lab Co., Ltd.", "technology", Status.NEEDS_ATTENTION, SOLO_TEAM),
    ("Hangzhou Yuhang Data Exchange Co., Ltd.", "technology", Status.REJECTED, SOLO_TEAM),
    ("Victoria Advanced Materials Limited", "technology", Status.SUBMITTED, SOUND_TEAM),
    ("Pearl River AI Limited", "technology", Status.SCREENING, SOUND_TEAM),
]


def _take_to(application, target, *, owner, officer, team, about=None):
    """Move a new draft to ``target`` the way people and the worker would."""
    call = application.call
    if target == Status.DRAFT:
        svc.save_answers(actor=owner, application=application, answers=_answers(call, team=team, complete=False))
        return
    plan_id = _business_plan(application.enterprise, owner)
    answers = _answers(call, team=team, plan_id=plan_id, about=about)
    svc.save_answers(actor=owner, application=application, answers=answers)
    if target == Status.WITHDRAWN:
        svc.withdraw(actor=owner, application=application, reason="We will apply to the biomedical programme instead.")
        return
    svc.submit(actor=owner, application=application, declaration=True)
    if target == Status.SUBMITTED:
        return
    svc.begin_screening(application.pk)
    if target == Status.SCREENING:
        return
    svc.finish_screening(application.pk)
    application.refresh_from_db()
    if target == Status.NEEDS_ATTENTION:
        return
    if target == Status.REJECTED:
        svc.reject_ineligible(
            actor=officer,
            application=application,
            reasons="The company was founded more than two years ago and has one full-time member of staff; "
            "the programme admits start-ups of at most two years with at least two full-time staff.",
        )
        return
    if application.status == Status.NEEDS_ATTENTION:  # the firm aged past a rule since the demo was written
        svc.override_flag(
            actor=officer, application=application, reason="Checked against the BR certificate: the company qualifies."
        )
    if target == Status.MORE_INFO_REQUESTED:
        svc.request_info(
            actor=officer,
            application=application,
            message="Please add the planned dates of the IND filings to the R&D plan, and attach the latest "
            "business plan.",
            fields=["rd_plan"],
            due_at=timezone.now() + datetime.timedelta(days=14),
        )


def seed_demo_applications() -> str:
    """``seed_demo``'s seeder (registered in ``ProgramsConfig.ready``, after the enterprises')."""
    biomedical, technology = seed_setup()
    calls = {"biomedical": biomedical, "technology": technology}
    officer = get_user_model().objects.get(email=OFFICER_EMAIL)
    created = 0
    for name, call_key, target, team in PLAN:
        call = calls[call_key]
        enterprise = Enterprise.objects.filter(legal_name_en=name).first()
        if enterprise is None or Application.objects.filter(enterprise=enterprise, call=call).exists():
            continue
        owner = owner_of(enterprise)
        application = svc.start_application(actor=owner, call=call, enterprise=enterprise)
        _take_to(application, target, owner=owner, officer=officer, team=team)
        created += 1
    return f"Demo applications: {created} created, {len(PLAN) - created} already present."
