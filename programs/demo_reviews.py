"""Review and decision demo data for ``seed_demo``, after the applications' (``programs.demo``):
the rubric of every demo call, a panel of reviewers, a closed call reviewed and decided to the
end, and reviews under way on the open biomedical call.

The closed call (the first biomedical cohort) has fourteen applications, each reviewed by three
of the six panel members. One of them is harsh (a point below the others) and one lenient (a
point above); they take alternate applications down the field, so the raw ranking lifts the
lenient reviewer's applications over the harsh reviewer's, and the normalised ranking (each
reviewer's scores as z-scores) puts them back: at the capacity line the raw ranking would have
let in another firm. The officer decides from the normalised ranking, as the page invites, and
the applications end in every state: admitted (mainland firms with their new Hong Kong
company), onboarding (one with part of its checklist done), approved, withdrawn after approval
(its place offered to the first on the waiting list), waitlisted and rejected.

On the open rolling call the demo reviewer has reviews waiting: one to declare, one begun whose
two other reviews are in (submitting it moves the application on and shows the others' scores),
and one application they were kept off, because they named an organisation tied to the firm (a
detected conflict, which the officer's page explains). Another reviewer is overdue, and one
application has all its reviews in, waiting for the officer's decision.

Everything goes through the services, so timelines, decisions and the audit trail are real. The
officer assigns the closed call's reviewers by hand; the worker's step assigns the open call's
(the worker does not run while seeding: its tasks, sent after each commit, find nothing left to do).
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from types import SimpleNamespace

from django.contrib.auth import get_user_model
from django.utils import timezone

from enterprises.models import Enterprise
from hkhz_portal.accounts.demo import REVIEWER_EMAIL
from hkhz_portal.accounts.roles import Role
from hkhz_portal.accounts.services import assign_role
from hkhz_portal.core.calendars import working_days_after

from .choices import ACTIVE_ASSIGNMENTS, AssignmentStatus, Outcome, Recommendation, SpaceKind
from .demo import OFFICER_EMAIL, SOUND_TEAM, _call, _t, _take_to, owner_of, seed_setup
from .models import (
    Application,
    Call,
    ConflictDeclaration,
    Criterion,
    CriterionLevel,
    Decision,
    PanelMember,
    Rubric,
    StatusChange,
)
from .selectors import call_ranking
from .services import applications as applications_svc
from .services import decisions as decisions_svc
from .services import reviews as reviews_svc
from .workflow import Status

# --- The rubric -------------------------------------------------------------------------------

#: (key, weight, name, what is assessed, the meaning of each score from 1 to 5); each text in
#: English, Simplified and Traditional Chinese.
RUBRIC = [
    (
        "science",
        35,
        ("Science and technology", "科学与技术", "科學與技術"),
        (
            "The strength and originality of the science or technology, the evidence behind it (data, "
            "prototypes, patents) and a credible R&D plan for the incubation period.",
            "科学或技术的实力与原创性、支持证据（数据、原型、专利），以及培育期内可信的研发计划。",
            "科學或技術的實力與原創性、支持證據（數據、原型、專利），以及培育期內可信的研發計劃。",
        ),
        [
            (
                "No evidence behind the claims, or nothing new; the R&D plan has no milestones.",
                "主张缺乏证据支持，或并无创新；研发计划没有里程碑。",
                "主張缺乏證據支持，或並無創新；研發計劃沒有里程碑。",
            ),
            (
                "A plausible idea with thin evidence (in vitro or bench data only); the intellectual property is "
                "unclear and the milestones vague.",
                "想法合理但证据薄弱（仅有体外或台架数据）；知识产权不明确，里程碑含糊。",
                "想法合理但證據薄弱（僅有體外或台架數據）；知識產權不明確，里程碑含糊。",
            ),
            (
                "Sound science with supporting data; patents filed; an R&D plan with dated milestones.",
                "科学基础扎实并有数据支持；已提交专利申请；研发计划有明确日期的里程碑。",
                "科學基礎紮實並有數據支持；已提交專利申請；研發計劃有明確日期的里程碑。",
            ),
            (
                "Convincing data (efficacy in vivo, a validated prototype or early clinical signals), patents "
                "granted or well drafted, and the regulatory path mapped.",
                "数据有说服力（体内药效、经验证的原型或早期临床信号），专利已获授权或撰写完善，并已规划注册路径。",
                "數據具說服力（體內藥效、經驗證的原型或早期臨床信號），專利已獲授權或撰寫完善，並已規劃註冊路徑。",
            ),
            (
                "Outstanding: a differentiated, well-protected technology with robust data and a realistic path to "
                "the clinic or the market within the programme.",
                "出色：技术差异化明显、保护完善，数据扎实，并有在计划期内进入临床或市场的现实路径。",
                "出色：技術差異化明顯、保護完善，數據紮實，並有在計劃期內進入臨床或市場的現實路徑。",
            ),
        ],
    ),
    (
        "team",
        25,
        ("Team", "团队", "團隊"),
        (
            "Whether the founders and staff have the scientific, clinical, regulatory and business experience "
            "to carry out the plan, and work on it full-time.",
            "创始人及员工是否具备执行计划所需的科学、临床、注册及商业经验，并全职投入。",
            "創辦人及員工是否具備執行計劃所需的科學、臨床、註冊及商業經驗，並全職投入。",
        ),
        [
            (
                "Key skills are missing, with no plan to recruit them; the founders work part-time.",
                "缺少关键能力且没有招聘计划；创始人兼职投入。",
                "缺少關鍵能力且沒有招聘計劃；創辦人兼職投入。",
            ),
            (
                "Strong in science only: the business, regulatory or clinical gaps are not addressed.",
                "仅科研实力较强：商业、注册或临床方面的不足未获处理。",
                "僅科研實力較強：商業、註冊或臨床方面的不足未獲處理。",
            ),
            (
                "The core skills are covered by full-time members; the gaps are known, with a plan to hire.",
                "核心能力由全职成员覆盖；已识别不足之处并有招聘计划。",
                "核心能力由全職成員覆蓋；已識別不足之處並有招聘計劃。",
            ),
            (
                "An experienced, complementary team with a track record (a previous IND, product launch or exit) "
                "and active advisers.",
                "团队经验丰富、优势互补，有过往业绩（曾提交 IND、推出产品或成功退出），并有积极参与的顾问。",
                "團隊經驗豐富、優勢互補，有過往業績（曾提交 IND、推出產品或成功退出），並有積極參與的顧問。",
            ),
            (
                "Exceptional: founders who have taken products to market, with regulatory and commercial leaders "
                "already on board.",
                "卓越：创始人曾将产品推向市场，注册及商业负责人均已到位。",
                "卓越：創辦人曾將產品推向市場，註冊及商業負責人均已到位。",
            ),
        ],
    ),
    (
        "market",
        25,
        ("Market and commercialisation", "市场与商业化", "市場與商業化"),
        (
            "The need and size of the target market, the route to revenue (licensing, partnering, sales, "
            "reimbursement), the competition and the funding plan.",
            "目标市场的需求与规模、收入路径（授权、合作、销售、医保报销）、竞争状况及融资计划。",
            "目標市場的需求與規模、收入路徑（授權、合作、銷售、醫保報銷）、競爭狀況及融資計劃。",
        ),
        [
            (
                "No clear customer or unmet need; no funding plan.",
                "没有明确的客户或未满足的需求；没有融资计划。",
                "沒有明確的客戶或未滿足的需求；沒有融資計劃。",
            ),
            (
                "The need is described, but the market is small or crowded and the route to revenue unclear.",
                "已描述需求，但市场规模小或竞争激烈，收入路径不明确。",
                "已描述需求，但市場規模小或競爭激烈，收入路徑不明確。",
            ),
            (
                "A defined market and a plausible business model; the main competitors known; funding for the "
                "next 12 months.",
                "市场清晰，商业模式合理；了解主要竞争对手；未来 12 个月的资金已有着落。",
                "市場清晰，商業模式合理；了解主要競爭對手；未來 12 個月的資金已有著落。",
            ),
            (
                "Demand validated (clinicians' feedback, letters of intent, pilot users), a clear partnering or "
                "pricing strategy, and committed investors.",
                "需求已获验证（临床专家反馈、意向书、试点用户），合作或定价策略清晰，并有已承诺的投资者。",
                "需求已獲驗證（臨床專家回饋、意向書、試點用戶），合作或定價策略清晰，並有已承諾的投資者。",
            ),
            (
                "A compelling case: a large unmet need, early revenue or partnering deals, and funding secured for "
                "the programme period.",
                "商业论证有力：未满足的需求庞大，已有早期收入或合作交易，计划期内的资金已落实。",
                "商業論證有力：未滿足的需求龐大，已有早期收入或合作交易，計劃期內的資金已落實。",
            ),
        ],
    ),
    (
        "hong_kong",
        15,
        ("Hong Kong fit", "香港契合度", "香港契合度"),
        (
            "What the company will do in Hong Kong: R&D and staff based in the Park, use of its labs, partners "
            "among Hong Kong's universities, hospitals and clinical trial centres, and Hong Kong as its bridge "
            "between the mainland and international markets.",
            "公司在香港的实际工作：在园区开展研发并聘用员工、使用园区实验室、与香港的大学、医院及临床试验中心合作，"
            "以及以香港连接内地与国际市场。",
            "公司在香港的實際工作：在園區開展研發並聘用員工、使用園區實驗室、與香港的大學、醫院及臨床試驗中心合作，"
            "以及以香港連接內地與國際市場。",
        ),
        [
            (
                "A nominal presence: no activity or staff planned in Hong Kong.",
                "仅象征性存在：没有在香港开展业务或聘用员工的计划。",
                "僅象徵性存在：沒有在香港開展業務或聘用員工的計劃。",
            ),
            (
                "A small office only, with little use of the Park's facilities or partners.",
                "只设小型办公室，甚少使用园区的设施或合作资源。",
                "只設小型辦公室，甚少使用園區的設施或合作資源。",
            ),
            (
                "Some R&D in Hong Kong, with local hires planned and some use of the Park's labs.",
                "在香港开展部分研发，计划聘用本地员工，并使用部分园区实验室。",
                "在香港開展部分研發，計劃聘用本地員工，並使用部分園區實驗室。",
            ),
            (
                "A real R&D base in the Park, local hires and a Hong Kong partner (a university, hospital or "
                "phase 1 centre).",
                "在园区设立实质研发基地，聘用本地员工，并有香港合作伙伴（大学、医院或 I 期临床中心）。",
                "在園區設立實質研發基地，聘用本地員工，並有香港合作夥伴（大學、醫院或 I 期臨床中心）。",
            ),
            (
                "Hong Kong is central: the regional or global R&D centre, clinical work with Hong Kong centres, "
                "and the route to international approvals (FDA, EMA).",
                "香港是核心：作为区域或全球研发中心，与香港的中心合作开展临床工作，并以此取得国际审批（FDA、EMA）。",
                "香港是核心：作為區域或全球研發中心，與香港的中心合作開展臨床工作，並以此取得國際審批（FDA、EMA）。",
            ),
        ],
    ),
]


def _rubric(call: Call) -> Rubric:
    """``call``'s rubric, created with the demo's criteria if it has none."""
    rubric, created = Rubric.objects.get_or_create(call=call, defaults={"scale_min": 1, "scale_max": 5})
    if created:
        for order, (key, weight, names, descriptions, levels) in enumerate(RUBRIC, start=1):
            criterion = Criterion.objects.create(
                rubric=rubric,
                key=key,
                weight=Decimal(weight),
                order=order,
                **_t(*names, prefix="name"),
                **_t(*descriptions, prefix="description"),
            )
            CriterionLevel.objects.bulk_create(
                CriterionLevel(criterion=criterion, score=score, **_t(*texts, prefix="description"))
                for score, texts in enumerate(levels, start=1)
            )
    return rubric


# --- The panel --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Reviewer:
    email: str
    name: str
    language: str
    sectors: tuple
    #: What they add to a firm's merit on every criterion: the harsh reviewer -1, the lenient +1.
    bias: int = 0


#: The demo reviewer (the demo login) first, then made-up reviewers who cannot sign in.
REVIEWERS = {
    "li": Reviewer(REVIEWER_EMAIL, "Dr. Li Wei 李伟", "en", ("biopharma", "medical_devices")),
    "chan": Reviewer("siuming.chan@cuhk-med.example", "Prof. Chan Siu-ming 陳兆明", "zh-hant", ("biopharma",), -1),
    "huang": Reviewer("mei.huang@zju-pharm.example", "Dr. Huang Mei 黄梅", "zh-hans", ("biopharma", "medical_devices")),
    "kwok": Reviewer(
        "wailun.kwok@harbour-ventures.example",
        "Kwok Wai-lun 郭偉倫",
        "en",
        ("biopharma", "medical_devices", "ai_data"),
        +1,
    ),
    "zhao": Reviewer("xin.zhao@ra-consult.example", "Zhao Xin 赵欣", "zh-hans", ("biopharma",)),
    "ng": Reviewer("chikeung.ng@hku-bme.example", "Dr. Ng Chi-keung 吳志強", "en", ("medical_devices", "ai_data")),
    "lau": Reviewer(
        "hoiyan.lau@fintech-mentors.example",
        "Lau Hoi-yan 劉凱欣",
        "zh-hant",
        ("ai_data", "fintech", "ict_semiconductors"),
    ),
}
BIOMEDICAL_PANEL = ["li", "chan", "huang", "kwok", "zhao", "ng"]
TECHNOLOGY_PANEL = ["ng", "lau", "kwok"]


def _reviewers() -> dict:
    """The panel's users by key, the made-up ones created if missing."""
    users = {}
    for key, reviewer in REVIEWERS.items():
        user, created = get_user_model().objects.get_or_create(
            email=reviewer.email, defaults={"full_name": reviewer.name, "preferred_language": reviewer.language}
        )
        if created:
            user.set_unusable_password()
            user.save(update_fields=["password"])
        if not user.has_role(Role.REVIEWER):
            assign_role(user, Role.REVIEWER, actor=None)
        users[key] = user
    return users


def _panel(call: Call, keys, users) -> None:
    for key in keys:
        PanelMember.objects.get_or_create(
            call=call, reviewer=users[key], defaults={"sectors": list(REVIEWERS[key].sectors)}
        )


# --- Reviews ----------------------------------------------------------------------------------

#: Per criterion: what a reviewer praises, and what they ask the applicant to work on.
REMARKS = {
    "science": (
        (
            "convincing data behind the lead programme and a dated R&D plan",
            "主导项目数据扎实，研发计划有明确时间节点",
            "主導項目數據紮實，研發計劃有明確時間節點",
        ),
        (
            "Show the data behind the lead programme (in vivo or clinical where there is some) and date the R&D "
            "milestones.",
            "请提供主导项目的支持数据（如有体内或临床数据），并为研发里程碑注明时间。",
            "請提供主導項目的支持數據（如有體內或臨床數據），並為研發里程碑註明時間。",
        ),
    ),
    "team": (
        (
            "an experienced, complementary team working full-time",
            "团队经验丰富、优势互补，且全职投入",
            "團隊經驗豐富、優勢互補，且全職投入",
        ),
        (
            "Say who will lead regulatory affairs and business development, and when they join.",
            "请说明由谁负责注册事务和商务拓展，以及何时到岗。",
            "請說明由誰負責註冊事務和商務拓展，以及何時到崗。",
        ),
    ),
    "market": (
        (
            "a clear market need and a credible route to revenue",
            "市场需求明确，商业化路径可信",
            "市場需求明確，商業化路徑可信",
        ),
        (
            "Size the target market, name the main competitors and explain how the product will earn revenue "
            "(licensing, partnering or sales).",
            "请测算目标市场规模，列出主要竞争对手，并说明产品如何获得收入（授权、合作或销售）。",
            "請測算目標市場規模，列出主要競爭對手，並說明產品如何獲得收入（授權、合作或銷售）。",
        ),
    ),
    "hong_kong": (
        (
            "a real R&D base in Hong Kong with local partners",
            "在香港设立实质研发基地并有本地合作伙伴",
            "在香港設立實質研發基地並有本地合作夥伴",
        ),
        (
            "Describe the work planned in the Park: the staff you will hire in Hong Kong and your local partners "
            "(universities, hospitals, phase 1 centres).",
            "请说明在园区开展的工作：计划在香港聘用的人员及本地合作伙伴（大学、医院、I 期临床中心）。",
            "請說明在園區開展的工作：計劃在香港聘用的人員及本地合作夥伴（大學、醫院、I 期臨床中心）。",
        ),
    ),
}
TO_OFFICER = (
    "Strongest on {strong}: {praise}. Main concern: {weak}.",
    "优势在于{strong}：{praise}。主要顾虑：{weak}。",
    "優勢在於{strong}：{praise}。主要顧慮：{weak}。",
)
LANGUAGES = {"en": 0, "zh-hans": 1, "zh-hant": 2}
NAMES = {key: names for key, _weight, names, _descriptions, _levels in RUBRIC}
WEIGHTS = {key: weight for key, weight, _names, _descriptions, _levels in RUBRIC}
CRITERIA = [SimpleNamespace(key=key, weight=Decimal(weight)) for key, weight in WEIGHTS.items()]


def _scores(merit: tuple, reviewer_key: str, place: int) -> dict:
    """A reviewer's scores of a firm of ``merit`` (a score per criterion, in the rubric's order):
    the merit, the reviewer's bias, and now and then (``place`` and the reviewer decide where) a
    fair-minded reviewer a point off on one criterion; on the scale 1 to 5."""
    reviewer = REVIEWERS[reviewer_key]
    who = list(REVIEWERS).index(reviewer_key)
    scores = {}
    for index, (key, *_rest) in enumerate(RUBRIC):
        spin = (place * 7 + who * 3 + index * 5) % 17
        disagreement = 0 if reviewer.bias else {0: -1, 16: 1}.get(spin, 0)
        scores[key] = min(5, max(1, merit[index] + reviewer.bias + disagreement))
    return scores


def _review(assignment, scores: dict, *, submit: bool = True):
    """The reviewer declares no conflict (if not yet) and saves ``scores`` with comments in their
    language, handing the review in with ``submit``."""
    reviewer = assignment.reviewer
    if assignment.status == AssignmentStatus.AWAITING_DECLARATION:
        assignment = reviews_svc.declare(actor=reviewer, assignment=assignment, conflict=False)
    language = LANGUAGES.get(reviewer.preferred_language, 0)
    strong = max(scores, key=lambda k: (scores[k], WEIGHTS[k]))
    weak = min(scores, key=lambda k: (scores[k], WEIGHTS[k]))
    return reviews_svc.save_review(
        actor=reviewer,
        assignment=assignment,
        scores=scores,
        recommendation=_recommendation(scores) if submit else "",
        comment_to_officer=TO_OFFICER[language].format(
            strong=NAMES[strong][language], praise=REMARKS[strong][0][language], weak=NAMES[weak][language]
        ),
        comment_to_applicant=REMARKS[weak][1][language],
        submit=submit,
    )


def _recommendation(scores: dict) -> Recommendation:
    total = reviews_svc.weighted_total(CRITERIA, scores)
    if total >= Decimal("3.75"):
        return Recommendation.ADMIT
    if total >= 3:
        return Recommendation.ADMIT_WITH_CONDITIONS
    return Recommendation.DO_NOT_ADMIT


# --- The closed call --------------------------------------------------------------------------


@dataclass(frozen=True)
class Entry:
    """A firm applying to the closed call."""

    firm: str
    #: What the firm deserves on each criterion, in the rubric's order.
    merit: tuple
    #: The firm's own answers (over the demo's usual ones).
    about: dict
    #: Its three reviewers.
    reviewers: tuple = ()
    #: The Hong Kong company a mainland or overseas firm registers while onboarding: (name, BR number).
    hk_company: tuple = ()
    #: The space allocated if approved: (kind, m²).
    space: tuple = (SpaceKind.WET_LAB, 50)
    #: Why it is declined, if it is.
    reasons: str = ""
    #: (reviewer, reason): a reviewer first assigned, who declared a conflict and was replaced.
    handed_back: tuple = field(default=())


def _about(summary, modality, stage, rd_plan, **more) -> dict:
    return {
        "company_summary": summary,
        "modality": modality,
        "development_stage": stage,
        "rd_plan": rd_plan,
        **more,
    }


CLOSED_SLUG = "biomedical-incubation-first-cohort"
CLOSED_CAPACITY = 8
CONDITIONS = (
    "Register the Hong Kong company and sign the tenancy within 60 days of this offer, and base at least two "
    "full-time R&D staff in the Park within six months."
)

#: The closed call's applicants, from the strongest. Reviewers alternate the harsh (chan) and the
#: lenient (kwok) one; the other four review seven applications each.
ROUND = [
    Entry(
        "Hangzhou Shangcheng ADC Pharma Co., Ltd.",
        (5, 4, 4, 4),
        _about(
            "Antibody-drug conjugates for HER2-low breast cancer",
            "biologic",
            "phase_1",
            "Finish the phase 1 dose escalation of SC-101 in Hangzhou, open a Hong Kong arm at a phase 1 centre, "
            "and file the FDA IND for phase 2 from the Park.",
        ),
        ("chan", "huang", "li"),
        ("Shangcheng ADC Pharma (Hong Kong) Limited", "75103428"),
        (SpaceKind.WET_LAB, 85),
        handed_back=("zhao", "I advised the company on its NMPA IND filing in 2024."),
    ),
    Entry(
        "Hangzhou Binjiang Medical Robotics Co., Ltd.",
        (4, 5, 4, 4),
        _about(
            "Robot-assisted endoscopic surgery systems",
            "device",
            "marketed",
            "Adapt the NMPA-approved surgical robot for an FDA 510(k) with two Hong Kong hospitals, and build the "
            "next haptic arm in the Park's robotics lab.",
            device_class="iii",
        ),
        ("kwok", "zhao", "ng"),
        ("Binjiang Medical Robotics (Hong Kong) Limited", "75218816"),
        (SpaceKind.LAB, 120),
    ),
    Entry(
        "Hangzhou Zijingang RNAi Bio Co., Ltd.",
        (4, 4, 4, 5),
        _about(
            "Twice-yearly GalNAc-siRNA to lower LDL cholesterol",
            "cell_gene",
            "preclinical",
            "Complete the GLP toxicology of ZJG-01 and file INDs with the NMPA and the FDA within 18 months, with "
            "the oligonucleotide chemistry team in the Park's wet labs.",
        ),
        ("chan", "li", "zhao"),
        ("Zijingang RNAi Bio (Hong Kong) Limited", "75330742"),
        (SpaceKind.WET_LAB, 60),
    ),
    Entry(
        "Hangzhou Xihu Cardiac Devices Co., Ltd.",
        (4, 4, 4, 3),
        _about(
            "Transcatheter repair of the mitral valve",
            "device",
            "phase_1",
            "Run the first-in-human study of the repair clip with a Hong Kong cardiac centre, then prepare the "
            "NMPA class III and FDA early feasibility submissions.",
            device_class="iii",
        ),
        ("kwok", "huang", "ng"),
        ("Xihu Cardiac Devices (Hong Kong) Limited", "75447105"),
        (SpaceKind.LAB, 70),
    ),
    Entry(
        "Hangzhou Xiaoshan Small Molecule R&D Co., Ltd.",
        (4, 3, 4, 4),
        _about(
            "Oral antibiotics against drug-resistant Gram-negative bacteria",
            "small_molecule",
            "preclinical",
            "Take XS-207 through IND-enabling studies with a Hong Kong university's microbiology department and "
            "file an NMPA IND within 12 months.",
        ),
        ("chan", "li", "ng"),
        ("Xiaoshan Small Molecule (Hong Kong) Limited", "75562390"),
        (SpaceKind.WET_LAB, 50),
    ),
    Entry(
        "Lakeside Therapeutics Limited",
        (4, 4, 3, 3),
        _about(
            "Antibody therapy for thyroid eye disease",
            "biologic",
            "preclinical",
            "Complete the preclinical package of LT-3 with a Hong Kong eye centre and file an FDA IND next year.",
        ),
        ("kwok", "huang", "zhao"),
        space=(SpaceKind.WET_LAB, 40),
    ),
    Entry(
        "Westlake Oncology Inc.",
        (3, 4, 3, 4),
        _about(
            "Personalised cancer vaccines from tumour neoantigens",
            "biologic",
            "phase_1",
            "Move the neoantigen design platform to Hong Kong and run a phase 1 study with a Hong Kong cancer centre.",
        ),
        ("chan", "li", "huang"),
        ("Westlake Oncology (Hong Kong) Limited", "75679934"),
        (SpaceKind.LAB, 45),
    ),
    Entry(
        "Hangzhou Gongshu Medical Imaging AI Co., Ltd.",
        (3, 3, 4, 3),
        _about(
            "AI reading of chest CT for lung nodules",
            "device",
            "marketed",
            "Retrain the lung nodule model on Hong Kong hospital data and seek FDA 510(k) clearance, training on "
            "the Park's AI computing cluster.",
            device_class="iii",
        ),
        ("kwok", "zhao", "ng"),
        ("Gongshu Medical Imaging AI (Hong Kong) Limited", "75781256"),
        (SpaceKind.OFFICE, 30),
    ),
    Entry(
        "Hangzhou Qiantang Diagnostics Co., Ltd.",
        (3, 3, 3, 4),
        _about(
            "Point-of-care PCR tests for respiratory infections",
            "diagnostic",
            "marketed",
            "Develop a multiplex point-of-care panel with a Hong Kong public health laboratory and list it with "
            "Hong Kong's Medical Device Division.",
        ),
        ("chan", "li", "zhao"),
        ("Qiantang Diagnostics (Hong Kong) Limited", "75804471"),
        (SpaceKind.LAB, 45),
    ),
    Entry(
        "Hangzhou Yuhang Peptide Pharma Co., Ltd.",
        (3, 3, 3, 3),
        _about(
            "Long-acting peptides for obesity and type 2 diabetes",
            "biologic",
            "phase_1",
            "Run the phase 1 study of YH-GLP-2 at a Hong Kong phase 1 centre and prepare the FDA IND from the Park.",
        ),
        ("kwok", "huang", "ng"),
        ("Yuhang Peptide Pharma (Hong Kong) Limited", "75915083"),
        (SpaceKind.WET_LAB, 55),
    ),
    Entry(
        "Kowloon Clinical Research Limited",
        (3, 2, 3, 3),
        _about(
            "First-in-human trial services for mainland biotechs",
            "small_molecule",
            "phase_1",
            "Add a bioanalytical laboratory to the phase 1 unit so that mainland sponsors run FDA-grade "
            "first-in-human studies in Hong Kong.",
        ),
        ("chan", "li", "ng"),
        space=(SpaceKind.OFFICE, 35),
    ),
    Entry(
        "Hangzhou Binjiang Biosimilars Co., Ltd.",
        (2, 3, 2, 3),
        _about(
            "Biosimilars of adalimumab and trastuzumab",
            "biologic",
            "phase_3",
            "Scale up manufacturing in Hangzhou and prepare the marketing applications of two biosimilars.",
        ),
        ("kwok", "huang", "zhao"),
        reasons="The panel found the biosimilar programme sound but with little new R&D to carry out in Hong Kong: "
        "the work planned is mainly manufacturing scale-up in Hangzhou, which the incubation programme does not "
        "fund.",
    ),
    Entry(
        "Hangzhou Linping Vaccine Bio Co., Ltd.",
        (2, 2, 3, 2),
        _about(
            "Recombinant vaccines against shingles and RSV",
            "biologic",
            "marketed",
            "Extend the shingles vaccine to adults over 50 in South-east Asia.",
        ),
        ("chan", "li", "huang"),
        reasons="The company is well established, with more than 200 staff and products on the market: the "
        "Programme for Established Technology Companies suits it better than incubation, and we invite an "
        "application there.",
    ),
    Entry(
        "Hangzhou Fuyang Traditional Medicine Innovation Co., Ltd.",
        (2, 2, 2, 2),
        _about(
            "Modernised traditional Chinese medicine for chronic cough",
            "small_molecule",
            "preclinical",
            "Standardise the extract of the lead formula and start animal studies.",
        ),
        ("kwok", "zhao", "ng"),
        reasons="The panel could not see the evidence behind the lead formula: no preclinical data or regulatory "
        "path was given, and the Hong Kong plan is a sales office only.",
    ),
]

#: What becomes of the closed call's applications, by their place in the normalised ranking.
ADMITTED, ONBOARDING_BEGUN, ONBOARDING, APPROVED, WITHDRAWN, WAITLISTED, REJECTED = (
    "admitted",
    "onboarding_begun",
    "onboarding",
    "approved",
    "withdrawn",
    "waitlisted",
    "rejected",
)
FATES = [ADMITTED] * 4 + [ONBOARDING_BEGUN, ONBOARDING, APPROVED, WITHDRAWN] + [WAITLISTED] * 3 + [REJECTED] * 3


def _apply(firm: str, about: dict, call: Call, officer) -> Application | None:
    """``firm`` applies to ``call`` (its own answers ``about``): submitted, screened and (overridden
    if flagged) in review. ``None`` if the firm is missing or has applied already."""
    enterprise = Enterprise.objects.filter(legal_name_en=firm).first()
    if enterprise is None or Application.objects.filter(enterprise=enterprise, call=call).exists():
        return None
    owner = owner_of(enterprise)
    application = applications_svc.start_application(actor=owner, call=call, enterprise=enterprise)
    _take_to(application, Status.IN_REVIEW, owner=owner, officer=officer, team=SOUND_TEAM, about=about)
    application.refresh_from_db()
    return application


def _review_by_hand(application, entry: Entry, place: int, officer, users) -> None:
    """The officer assigns ``entry``'s reviewers, who all review: the last review in moves the
    application to ``reviewed``."""
    first = [users[k] for k in entry.reviewers]
    if entry.handed_back:
        first[-1] = users[entry.handed_back[0]]
    for user in first:
        reviews_svc.assign_reviewer(actor=officer, application=application, reviewer=user)
    if entry.handed_back:
        key, reason = entry.handed_back
        assignment = application.assignments.get(reviewer=users[key])
        reviews_svc.declare(actor=users[key], assignment=assignment, conflict=True, reason=reason)
        reviews_svc.assign_reviewer(actor=officer, application=application, reviewer=users[entry.reviewers[-1]])
    by_user = {user.pk: key for key, user in users.items()}
    for assignment in application.assignments.filter(status__in=ACTIVE_ASSIGNMENTS).select_related("reviewer"):
        _review(assignment, _scores(entry.merit, by_user[assignment.reviewer_id], place))


def _seed_closed_call(biomedical: Call, officer, users) -> int:
    """The closed call, reviewed and decided; the number of applications made (none if it exists)."""
    if Call.objects.filter(slug=CLOSED_SLUG).exists():
        return 0
    now = timezone.now()
    call = _call(
        CLOSED_SLUG,
        biomedical.programme,
        biomedical.form_version,
        titles=(
            "Biomedical incubation: first cohort",
            "生物医药科技培育计划：首期招募",
            "生物醫藥科技培育計劃：首期招募",
        ),
        summaries=(
            "The first fixed intake, now closed: the panel's reviews are in, the places are decided and the cohort "
            "is moving into the Park.",
            "首期定期招募已截止：评审小组已完成评审，名额已确定，入选企业正陆续进驻园区。",
            "首期定期招募已截止：評審小組已完成評審，名額已確定，入選企業正陸續進駐園區。",
        ),
        opens_at=now - datetime.timedelta(days=150),
        closes_at=now + datetime.timedelta(days=1),
        capacity=CLOSED_CAPACITY,
    )
    _rubric(call)
    _panel(call, BIOMEDICAL_PANEL, users)
    entries = {}
    for place, entry in enumerate(ROUND):
        application = _apply(entry.firm, entry.about, call, officer)
        if application is not None:
            _review_by_hand(application, entry, place, officer, users)
            entries[application.pk] = entry
    call.closes_at = timezone.now()
    call.save(update_fields=["closes_at"])
    _decide(call, entries, officer)
    _spread_over_months(call)
    return len(entries)


#: Typical days an application of the closed call stayed in each state, so that the dashboard's
#: time in each state reads like a real intake's (everything above happened within seconds).
TYPICAL_DAYS = {
    Status.DRAFT: 12,
    Status.SUBMITTED: 0.02,
    Status.SCREENING: 0.01,
    Status.IN_REVIEW: 16,
    Status.REVIEWED: 6,
    Status.APPROVED: 8,
    Status.ONBOARDING: 35,
    Status.WAITLISTED: 20,
}


def _spread_over_months(call: Call) -> None:
    """Date the closed call's steps as a real intake's: each application starts within the call's
    first weeks and stays in each state about ``TYPICAL_DAYS`` (varied per application), ending
    no later than today; its decision and status date follow its steps."""
    now = timezone.now()
    for application in call.applications.all():
        changes = list(application.status_changes.order_by("created_at", "id"))
        vary = 0.7 + (application.pk * 37 % 60) / 100
        stays = [datetime.timedelta(days=TYPICAL_DAYS.get(c.to_status, 3) * vary) for c in changes[:-1]]
        at = min(call.opens_at + datetime.timedelta(days=application.pk % 20), now - sum(stays, datetime.timedelta()))
        for change, stay in zip(changes, [*stays, datetime.timedelta()], strict=True):
            change.created_at = at
            at += stay
        StatusChange.objects.bulk_update(changes, ["created_at"])
        by_step = {c.transition: c.created_at for c in changes}
        application.status_changed_at = changes[-1].created_at
        application.submitted_at = by_step.get("submit", application.submitted_at)
        application.save(update_fields=["status_changed_at", "submitted_at"])
        for decision in application.decisions.all():
            Decision.objects.filter(pk=decision.pk).update(
                decided_at=by_step.get(decision.outcome, by_step.get("offer_place", decision.decided_at))
            )


def _decide(call: Call, entries: dict, officer) -> None:
    """The officer decides down the normalised ranking; the firms then go their ways."""
    today = timezone.localdate()
    ranked = [(row.application, FATES[place]) for place, row in enumerate(call_ranking(call).rows)]
    for application, fate in ranked:
        entry = entries[application.pk]
        if fate == WAITLISTED:
            decisions_svc.decide(actor=officer, application=application, outcome=Outcome.WAITLIST)
        elif fate == REJECTED:
            decisions_svc.decide(actor=officer, application=application, outcome=Outcome.REJECT, reasons=entry.reasons)
        else:
            decisions_svc.decide(
                actor=officer,
                application=application,
                outcome=Outcome.APPROVE,
                conditions=CONDITIONS,
                space_kind=entry.space[0],
                area_m2=Decimal(entry.space[1]),
                move_in_on=today if fate == ADMITTED else today + datetime.timedelta(days=30),
                term_months=call.programme.duration_months,
            )
    for application, fate in ranked:
        entry, owner = entries[application.pk], owner_of(application.enterprise)
        if fate in (ADMITTED, ONBOARDING_BEGUN, ONBOARDING):
            decisions_svc.accept_offer(actor=owner, application=application)
        if fate == ADMITTED:
            name, br = entry.hk_company
            decisions_svc.record_onboarding(
                actor=officer,
                application=application,
                tenancy_signed_on=today - datetime.timedelta(days=12),
                company_name=name,
                hk_br=br,
                company_registered_on=today - datetime.timedelta(days=40),
                moved_in_on=today,
            )
            decisions_svc.admit(actor=officer, application=application)
        elif fate == ONBOARDING_BEGUN:
            decisions_svc.record_onboarding(
                actor=officer, application=application, tenancy_signed_on=today - datetime.timedelta(days=3)
            )
        elif fate == WITHDRAWN:
            applications_svc.withdraw(
                actor=owner,
                application=application,
                reason="Our board has decided to base the company's Asian R&D in Singapore; we thank the panel.",
            )


# --- The open call ----------------------------------------------------------------------------

#: Firms that apply to the open rolling call (their own answers) and are in review.
NEWCOMERS = [
    (
        "Hangzhou Liangzhu Cell Therapy Co., Ltd.",
        _about(
            "Off-the-shelf CAR-NK cell therapy for solid tumours",
            "cell_gene",
            "preclinical",
            "Finish the IND-enabling studies of LZ-NK1 and set up its GMP process development in the Park.",
        ),
    ),
    (
        "Zhejiang Gongshu mRNA Technology Co., Ltd.",
        _about(
            "mRNA cancer vaccines in a heat-stable lipid nanoparticle",
            "biologic",
            "preclinical",
            "Validate the heat-stable formulation with a Hong Kong university and file an IND with the NMPA.",
        ),
    ),
    (
        "Hangzhou Yuhang Ophthalmic Instruments Co., Ltd.",
        _about(
            "Handheld OCT for diabetic retinopathy screening",
            "device",
            "preclinical",
            "Run a screening study with Hong Kong's community eye clinics and prepare the NMPA class II filing.",
            device_class="ii",
        ),
    ),
]

#: The demo reviewer named this organisation, to which they are tied: assignment keeps them off
#: its firm's application (a detected conflict).
DECLARED_ORGANISATION = (
    "Liangzhu Cell Therapy",
    "I sat on the company's scientific advisory board until last year.",
)

AWAIT, DECLARE, BEGIN, SUBMIT, OVERDUE = "await", "declare", "begin", "submit", "overdue"


@dataclass(frozen=True)
class Script:
    """How far an open application's reviews have gone: the demo reviewer's own (if assigned) and
    the others', in the order they were assigned."""

    merit: tuple
    mine: str
    others: tuple


#: In the order the worker assigns them (the least loaded first, then matching expertise, then the
#: longest on the panel): the conflicted firm first, when the demo reviewer would otherwise have
#: been the first choice; the one that ends ``reviewed`` last, for the officer to decide.
OPEN_REVIEWS = {
    "Hangzhou Liangzhu Cell Therapy Co., Ltd.": Script((4, 3, 3, 4), AWAIT, (SUBMIT, OVERDUE, DECLARE)),
    "Hangzhou Yuhang Ophthalmic Instruments Co., Ltd.": Script((3, 3, 4, 3), AWAIT, (DECLARE, AWAIT)),
    "Harbourview MedTech Limited": Script((4, 3, 3, 4), BEGIN, (SUBMIT, SUBMIT)),
    "Zhejiang Gongshu mRNA Technology Co., Ltd.": Script((3, 3, 3, 4), AWAIT, (SUBMIT, SUBMIT, SUBMIT)),
}


def _play(assignment, step: str, merit: tuple, key: str, place: int) -> None:
    if step == DECLARE:
        reviews_svc.declare(actor=assignment.reviewer, assignment=assignment, conflict=False)
    elif step == BEGIN:
        scores = _scores(merit, key, place)
        _review(assignment, {k: scores[k] for k in ("science", "team")}, submit=False)
    elif step == SUBMIT:
        _review(assignment, _scores(merit, key, place))
    elif step == OVERDUE:
        assigned_on = timezone.localdate() - datetime.timedelta(days=21)
        assignment.due_on = working_days_after(assigned_on, assignment.application.call.review_period_days, "HK")
        assignment.assigned_at = timezone.now() - datetime.timedelta(days=21)
        assignment.save(update_fields=["due_on", "assigned_at"])


def _seed_open_reviews(calls, officer, users) -> int:
    """The newcomers' applications to the rolling call, then reviewers for every demo application in
    review that has none (the worker's step), each taken as far as its script says. Returns the
    number of applications made."""
    rolling = calls[0]
    reviewer = users["li"]
    name, reason = DECLARED_ORGANISATION
    if not ConflictDeclaration.objects.filter(reviewer=reviewer, organisation=name).exists():
        reviews_svc.declare_organisation(actor=reviewer, organisation=name, reason=reason)
    made = sum(_apply(firm, about, rolling, officer) is not None for firm, about in NEWCOMERS)
    waiting = Application.objects.filter(call__in=calls, status=Status.IN_REVIEW).exclude(
        assignments__status__in=ACTIVE_ASSIGNMENTS
    )
    order = list(OPEN_REVIEWS)
    by_user = {user.pk: key for key, user in users.items()}
    for place, application in enumerate(
        sorted(waiting.select_related("enterprise"), key=lambda a: _position(order, a.enterprise.legal_name_en))
    ):
        reviews_svc.assign_reviewers(application.pk)
        script = OPEN_REVIEWS.get(application.enterprise.legal_name_en)
        if script is None:
            continue
        others = iter(script.others)
        for assignment in application.assignments.select_related("application__call", "reviewer").order_by("id"):
            step = script.mine if assignment.reviewer_id == reviewer.pk else next(others, AWAIT)
            _play(assignment, step, script.merit, by_user[assignment.reviewer_id], place)
    return made


def _position(order: list, name: str) -> int:
    return order.index(name) if name in order else len(order)


def seed_demo_reviews() -> str:
    """``seed_demo``'s seeder (registered in ``ProgramsConfig.ready``, after the applications')."""
    biomedical, technology = seed_setup()
    officer = get_user_model().objects.get(email=OFFICER_EMAIL)
    users = _reviewers()
    for call, panel in ((biomedical, BIOMEDICAL_PANEL), (technology, TECHNOLOGY_PANEL)):
        _rubric(call)
        _panel(call, panel, users)
    made = _seed_closed_call(biomedical, officer, users)
    made += _seed_open_reviews((biomedical, technology), officer, users)
    expected = len(ROUND) + len(NEWCOMERS)
    return f"Demo reviews: {made} applications created, {expected - made} already present."
