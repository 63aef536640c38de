"""The service centres' demo data for ``seed_demo``: both catalogues (``demo_catalogue``), and
forty requests of the demo enterprises with a past, in every state.

Each request lives its life through the real services (``centres.services``): requested by the
enterprise's owner with the documents the service needs (from the library, uploaded there first
if missing), given by the centre's lead to its assignee, accepted, worked on, paused on the
enterprise or on a bank, a regulator or the Immigration Department, answered, completed, rated or
cancelled, with messages, internal notes and steps ticked; so its log, thread, steps, audit trail
and domain events are the ones the pages and the API read.

The services stamp ``timezone.now()``; a demo needs a history. So each request's script says how
many business hours (on the centre's calendar, as its frozen SLA policy counts them) passed
before each step, and how many since the last one, and the seeder dates the steps backwards from
the moment of seeding: after the services have made each row, it rewrites ``created_at`` of the
request, of its log rows (``RequestStateChange``), of its messages and of its rating, the steps'
``done_at``, and the request's ``state_changed_at``, ``first_response_at`` and ``closed_at``, then
recomputes the clocks with ``services.recompute_clocks``. The clocks therefore read as they would
have: a request written to stand at 88 % of its target is at risk when seeded, whatever the day
or hour. Audit rows, domain events and notifications keep the moment of seeding.
"""

import datetime
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from enterprises.demo import pdf_bytes
from enterprises.models import Enterprise
from hkhz_portal.accounts.demo import CENTRE_EMAIL
from hkhz_portal.core.calendars import ONE_DAY

from ..demo import library_document, owner_of
from ..models import RequestStep, Service, ServiceRating, ServiceRequest
from . import services, sla
from .demo_catalogue import seed_catalogues
from .workflow import FINAL_STATES, PauseReason

#: The centres' people (``hkhz_portal.accounts.demo``): the leads give requests to their staff.
STAFF = {
    "chan": CENTRE_EMAIL,
    "lam": "hk-staff@demo.hkhz.local",
    "ip": "hk-lead@demo.hkhz.local",
    "xu": "hz-lead@demo.hkhz.local",
    "zhao": "hz-staff@demo.hkhz.local",
    "shen": "hz-staff2@demo.hkhz.local",
}
LEADS = {"hk-centre": "ip", "hz-centre": "xu"}
LANGUAGES = {"en": 0, "zh-hans": 1, "zh-hant": 2}


@dataclass(frozen=True)
class Act:
    """One step of a request's life, ``hours`` business hours after the one before (after the
    request, for the first)."""

    kind: str
    hours: float
    text: str = ""
    reason: str = ""
    step: int = 0
    score: int = 0
    comment: tuple = ()
    files: tuple = ()
    by_lead: bool = False


def accept(hours):
    return Act("accept", hours)


def start(hours):
    return Act("start_work", hours)


def ask(hours, text):
    """The centre asks the enterprise for something: the message, then the pause."""
    return Act("ask", hours, text)


def answer(hours, text):
    """The enterprise's message (to a request waiting on it: the answer that resumes it)."""
    return Act("client", hours, text)


def wait(hours, reason, note):
    return Act("wait_third_party", hours, note, reason=reason)


def resume(hours, note=""):
    return Act("resume", hours, note)


def complete(hours):
    """The service is delivered: the steps left are ticked first."""
    return Act("complete", hours)


def cancel(hours, note):
    return Act("cancel", hours, note)


def decline(hours, note):
    return Act("decline", hours, note)


def say(hours, text, files=()):
    """The centre writes to the enterprise, with generated PDFs named ``files``."""
    return Act("say", hours, text, files=files)


def note(hours, text, *, by_lead=False):
    return Act("note", hours, text, by_lead=by_lead)


def tick(hours, step):
    """The centre ticks the ``step``-th fulfilment step (from 0)."""
    return Act("tick", hours, step=step)


def rate(hours, score, en, hans, hant):
    """The enterprise's owner rates the service, the comment in the owner's language."""
    return Act("rate", hours, score=score, comment=(en, hans, hant))


@dataclass(frozen=True)
class Plan:
    service: str
    firm: str
    assignee: str
    details: str
    acts: tuple = ()
    #: Business hours from the last act (or the request) to the moment of seeding.
    since: float = 0


BANK, NMPA, FDA_EMA = PauseReason.BANK, PauseReason.NMPA, PauseReason.FDA_EMA
IMMIGRATION, REGISTRY, IP_OFFICE = PauseReason.IMMIGRATION, PauseReason.COMPANIES_REGISTRY, PauseReason.IP_OFFICE

# fmt: off
HK_PLANS = [
    Plan(
        "hk-company-incorporation", "Hangzhou Binjiang Gene Medicine Co., Ltd.", "chan",
        "我们计划在香港设立全资子公司，用于申请香港科学园生物医药科技培育计划。拟委任董事两名（周明、林慧），"
        "由杭州母公司 100% 持股。请协助办理公司注册及商业登记。",
        (
            accept(2.5), start(1.5), tick(3, 0),
            ask(2, "您好！名称查册已通过。请上传两位董事的身份证件及三个月内的住址证明，并确认由我们的合作秘书公司"
                   "担任公司秘书。"),
            answer(9, "已上传两位董事的身份证及住址证明，同意由贵方合作公司担任公司秘书。"),
            tick(4, 1),
            wait(3, REGISTRY, "Form NNC1 and the articles filed with the Companies Registry through e-Registry."),
            resume(6, "Certificate of Incorporation and Business Registration Certificate issued."),
            tick(0.5, 2), tick(0.2, 3),
            say(1, "公司注册证明书和商业登记证已经发出，电子版见附件。公司套装将于本周内寄出。",
                files=("Certificate of Incorporation", "Business Registration Certificate")),
            complete(8),
            rate(5, 5, "Fast and clear: the certificates came within days and every step was explained.",
                 "速度快、沟通清楚：几天内就拿到了证书，每一步都有说明。",
                 "速度快、溝通清晰：幾日內就收到證書，每一步都有解釋。"),
        ),
        since=300,
    ),
    Plan(
        "hk-company-incorporation", "Hangzhou Xihu Cardiac Devices Co., Ltd.", "lam",
        "拟在香港设立销售及注册子公司，负责心脏器械的海外注册和分销。股东为杭州母公司，拟委任董事三名。",
        (
            accept(5), start(2), tick(6, 0), tick(20, 1),
            wait(4, REGISTRY, "Filed with the Companies Registry through e-Registry."),
            resume(3), tick(0.5, 2), tick(10, 3), complete(6),
            rate(10, 4, "Smooth incorporation, but the company kit arrived a week later than we expected.",
                 "注册过程顺利，但公司套装比预期晚到了一周。",
                 "註冊過程順利，但公司套裝比預期遲了一星期送到。"),
        ),
        since=520,
    ),
    Plan(
        "hk-company-incorporation", "Hangzhou Qiantang Power Semiconductor Co., Ltd.", "chan",
        "我们需要在香港设立子公司，用于海外采购和结算，拟用名称“钱塘功率半导体（香港）有限公司”。",
        (
            accept(7.5), start(16), tick(16, 0),
            ask(28, "英文名称“Qiantang Power Semiconductor (Hong Kong) Limited”与一家已注册公司的名称过于相似，公司"
                    "注册处可能不予注册。请提供两个备选名称。"),
            answer(30, "备选名称：1. QT Power Semi (HK) Limited；"
                       "2. Qiantang Power (HK) Limited 钱塘功率（香港）有限公司。"),
            note(20, "The second name is clear on the Companies Registry search. Check the Chinese name against the "
                     "'too like' rules before filing."),
            tick(40, 1),
            note(35, "Over the resolution target: the articles went back twice for the share capital clause. "
                     "Please file this week.", by_lead=True),
        ),
        since=8,
    ),
    Plan(
        "hk-company-incorporation", "Hangzhou Gongshu Medical Imaging AI Co., Ltd.", "chan",
        "我们希望在香港注册公司，以便参与香港公立医院影像 AI 项目的招标。请告知所需材料和大致时间。",
        since=7,
    ),
    Plan(
        "hk-corporate-bank-account", "Qiantang Biologics (Hong Kong) Limited", "chan",
        "香港公司已于上月成立，需要开立港币及美元公司账户，用于收取融资款和支付香港科学园租金。董事常驻杭州，"
        "希望尽量减少赴港次数。",
        (
            accept(1.5), start(0.5), tick(2, 0),
            ask(1, "请上传最新的股权架构图（列至最终实益拥有人）以及未来 12 个月的预计资金往来说明。"),
            answer(5, "已上传股权架构图和资金计划。"),
            tick(3, 1),
            say(2, "已向两家合作银行引荐：其中一家可安排董事视像会面，另一家需董事亲临香港分行。建议先安排视像会面。"),
            tick(8, 2),
            wait(2, BANK, "The bank's compliance team is reviewing the KYC file; the relationship manager expects an "
                          "answer within two weeks."),
        ),
        since=20,
    ),
    Plan(
        "hk-corporate-bank-account", "Hangzhou Binjiang Medical Robotics Co., Ltd.", "lam",
        "香港子公司需要开立公司账户，用于收取海外客户的货款。",
        (
            accept(2), start(1), tick(3, 0), tick(5, 1),
            wait(6, BANK, "Application with the bank; it asked for the group's audited accounts in English."),
            resume(80, "The bank approved the account."),
            tick(2, 2), complete(4),
            rate(3, 3, "The centre was helpful, but the bank took almost three months and never said why.",
                 "中心很热心，但银行用了将近三个月，期间也没说明原因。",
                 "中心很熱心，但銀行用了差不多三個月，期間亦沒有解釋原因。"),
        ),
        since=200,
    ),
    Plan(
        "hk-corporate-bank-account", "Hangzhou Xiaoshan Chip Design Co., Ltd.", "chan",
        "我们的香港公司需要开立多币种账户，并开通网上银行和贸易融资额度。",
        (
            accept(3), start(2), tick(5, 0),
            say(6, "已将开户资料提交两家银行，请留意银行客户经理的来电。"),
            tick(8, 1),
            wait(4, BANK, "The bank is reviewing the trade finance facility separately."),
            resume(12, "The bank will open the account first and add trade finance later."),
            tick(6, 2),
        ),
        since=9,
    ),
    Plan(
        "fda-ind-dossier", "Hangzhou Binjiang Gene Medicine Co., Ltd.", "lam",
        "我们的 AAV 基因治疗产品 BJ-GT01 计划明年初向 FDA 提交 IND，希望先召开 Pre-IND 会议。非临床研究在杭州完成，"
        "CMC 由国内 CDMO 负责。",
        (
            accept(4), start(3), tick(16, 0),
            note(4, "The CMC section is thin: no stability data beyond three months. Ask before we draft the "
                    "briefing package."),
            ask(2, "感谢提供资料。为准备 Pre-IND 简报资料，请上传工程批次至少 6 个月的稳定性数据及 CDMO 的"
                   "批生产记录。"),
        ),
        since=24,
    ),
    Plan(
        "fda-ind-dossier", "Hangzhou Shangcheng ADC Pharma Co., Ltd.", "lam",
        "ADC 产品 SC-ADC-07 已获 NMPA 临床试验默示许可，计划同步在美国开展 I 期临床，需要 FDA Pre-IND 会议支持。",
        (
            accept(3), start(2), tick(20, 0),
            say(10, "Pre-IND 会议申请已起草，请确认拟向 FDA 提出的 5 个问题。"),
            answer(6, "问题已确认。第 3 个问题请增加关于剂量递增设计的内容。"),
            tick(18, 1),
            wait(2, FDA_EMA, "Type B pre-IND meeting requested; the FDA answers within 21 days and meets within 60."),
        ),
        since=60,
    ),
    Plan(
        "fda-ind-dossier", "Hangzhou Yuhang Peptide Pharma Co., Ltd.", "chan",
        "多肽药物 YP-301 已完成 GLP 毒理研究，计划向 FDA 提交 IND，需要 eCTD 编制和 ESG 递交服务。",
        (
            accept(2), start(4), tick(20, 0), tick(30, 1),
            ask(6, "请提供毒理研究报告的英文版本及 GLP 符合性声明。"),
            answer(40, "已上传英文版报告及 GLP 声明。"),
            tick(50, 2), tick(20, 3),
            wait(1, FDA_EMA, "IND submitted through the ESG; the FDA's 30-day review is running."),
            resume(170, "30 days passed without a clinical hold: the study may proceed."),
            complete(3),
            rate(4, 5, "An excellent regulatory team: the IND went into effect without a hold.",
                 "注册团队非常专业，IND 顺利生效，没有被暂停。",
                 "註冊團隊非常專業，IND 順利生效，沒有被暫停。"),
        ),
        since=400,
    ),
    Plan(
        "ema-scientific-advice", "Zhejiang Xihu Antibody Therapeutics Co., Ltd.", "ip",
        "我们的双抗产品计划进入欧盟市场，希望就 III 期临床试验设计向 EMA 申请科学建议。",
        (
            accept(5), start(3), tick(10, 0),
            say(4, "问题草稿已发送至您的邮箱，建议就对照组和主要终点提问。"),
        ),
        since=30,
    ),
    Plan(
        "ema-scientific-advice", "Hangzhou Linping Vaccine Bio Co., Ltd.", "chan",
        "候选疫苗拟申请 EMA 科学建议，请提供报价和时间表。",
        (
            accept(6), start(3), tick(12, 0),
            cancel(20, "集团决定委托欧洲当地的 CRO 办理 EMA 科学建议，感谢中心的前期支持。"),
        ),
        since=250,
    ),
    Plan(
        "hk-talent-visas", "Hangzhou Xihu Large Model Lab Co., Ltd.", "chan",
        "公司将派两名算法工程师常驻香港办公室：一人为浙江大学博士毕业的内地居民，另一人为新加坡籍。请协助办理工作签证。",
        (
            accept(1), start(1), tick(2, 0),
            ask(1.5, "根据两位的背景，内地居民适用“输入内地人才计划”，新加坡籍员工适用“一般就业政策”。请上传两人的学历"
                     "证明、简历及香港公司的聘用合同。"),
            answer(12, "已上传两人的学历证明、简历和聘用合同草稿。"),
        ),
        since=1.2,
    ),
    Plan(
        "hk-talent-visas", "Hangzhou Binjiang Vision AI Co., Ltd.", "lam",
        "我们的首席科学家年收入超过 250 万港元，符合高才通 A 类，希望尽快办理。",
        (
            accept(0.8), start(0.5), tick(2, 0), tick(6, 1), tick(4, 2),
            wait(0.5, IMMIGRATION, "Top Talent Pass Scheme application lodged with the Immigration Department."),
        ),
        since=40,
    ),
    Plan(
        "hk-talent-visas", "Hangzhou Liangzhu Cell Therapy Co., Ltd.", "chan",
        "我们的细胞治疗研发负责人去年在香港大学取得硕士学位，想了解能否通过 IANG 来港工作。",
        (accept(2.2),),
        since=3,
    ),
    Plan(
        "hk-patent-filing", "Hangzhou Xiaoshan Small Molecule R&D Co., Ltd.", "ip",
        "我们的 KRAS 抑制剂化合物专利已向国家知识产权局提交，希望在香港申请标准专利并提交 PCT 国际申请。",
        (
            accept(3), start(2), tick(8, 0), tick(30, 1),
            wait(2, IP_OFFICE, "PCT application filed with CNIPA as receiving office; waiting for the filing receipt."),
            resume(20), complete(10),
            rate(6, 4, "Clear advice on the re-registration route; the docket is very useful.",
                 "转录途径讲解清楚，期限表非常实用。",
                 "轉錄途徑講解清楚，期限表非常實用。"),
        ),
        since=150,
    ),
    Plan(
        "hk-patent-filing", "Hangzhou Zijingang RNAi Bio Co., Ltd.", "lam",
        "我们的 siRNA 递送技术论文已于去年发表，现在希望申请香港和美国专利。",
        (
            accept(4), start(2),
            say(6, "我们核对了日期：论文于 14 个月前发表，早于任何专利申请。香港及大多数国家要求绝对新颖性，论文已公开"
                   "的内容无法再获授专利；美国 12 个月的宽限期也已届满。"),
            decline(8, "无法申请：发明已于 14 个月前公开，丧失了新颖性。建议就此后的改进技术申请保护，欢迎另行"
                       "提交请求。"),
        ),
        since=90,
    ),
    Plan(
        "hk-tax-transfer-pricing", "Hangzhou Qiantang Biologics Co., Ltd.", "chan",
        "香港子公司将为杭州母公司提供海外注册和业务拓展服务，需要确定服务费的定价方法，并了解利得税申报安排。",
        (
            accept(6), start(4), tick(14, 0),
            ask(8, "为梳理集团内部交易，请提供香港子公司与母公司之间的服务协议草稿以及预计的年度交易金额。"),
        ),
        since=35,
    ),
    Plan(
        "hkstp-office-lab-space", "Zhejiang Gongshu mRNA Technology Co., Ltd.", "lam",
        "我们需要约 80 平方米的湿实验室（BSL-2）及 6 个办公工位，希望在三个月内入驻香港科学园。",
        since=1.5,
    ),
    Plan(
        "hk-investor-matchmaking", "Hangzhou Binjiang Biosimilars Co., Ltd.", "chan",
        "公司计划进行 Pre-IPO 轮融资（约 3 亿港元），并评估在港交所上市的可能性，希望对接香港的医疗健康基金。",
        (
            accept(4), start(3), tick(12, 0), tick(20, 1),
            say(10, "已安排与三家香港医疗健康基金的首次会面，会议纪要见附件。", files=("Meeting notes",)),
            tick(30, 2), tick(24, 3), complete(4),
        ),
        since=16,
    ),
    Plan(
        "hk-investor-matchmaking", "Hangzhou Yuhang Ophthalmic Instruments Co., Ltd.", "lam",
        "公司正进行 A 轮融资，希望在香港接触关注眼科器械的投资机构。",
        since=11,
    ),
]

HZ_PLANS = [
    Plan(
        "hz-company-setup", "Harbourview MedTech Limited", "zhao",
        "We plan a wholly foreign-owned company in Binjiang to assemble and register our wearable ECG patch in "
        "China. Registered capital CNY 5 million; two directors from Hong Kong.",
        (
            accept(2), start(3), tick(6, 0),
            ask(4, "Please have the Hong Kong company's certificate of incorporation and the directors' passports "
                   "attested by a China-Appointed Attesting Officer, and upload the attested copies."),
            answer(60, "Attested copies uploaded; the originals are at our Hong Kong office if the bureau needs them."),
            tick(2, 1),
            wait(4, REGISTRY, "Registration filed with the Binjiang Administration for Market Regulation."),
            resume(22, "Business licence issued."),
            tick(1, 2), tick(0.2, 3), tick(20, 4), complete(2),
            rate(10, 5, "Very efficient: licence and seals in under two months, every document checked before filing.",
                 "效率很高：不到两个月就拿到执照并完成印章备案，每份文件在递交前都经过核对。",
                 "效率很高：不足兩個月便取得執照並完成印章備案，每份文件在遞交前都經過核對。"),
        ),
        since=450,
    ),
    Plan(
        "hz-company-setup", "Lakeside Therapeutics Limited", "shen",
        "We would like to set up a research subsidiary in Future Sci-Tech City (Yuhang) for preclinical work, "
        "registered capital CNY 10 million.",
        (
            accept(3), start(2), tick(5, 0), tick(24, 1),
            say(2, "The application is filed with the Yuhang Administration for Market Regulation. The bureau asked "
                   "whether 'technical services' covers cell culture work; we answered with the standard wording."),
            wait(1, REGISTRY, "Waiting for the Yuhang Administration for Market Regulation to approve the "
                              "registration."),
        ),
        since=6,
    ),
    Plan(
        "hz-company-setup", "Westlake Oncology Inc.", "shen",
        "Westlake Oncology (Delaware) wants a Hangzhou subsidiary to run its China operations. Our US documents "
        "will need an apostille.",
        (
            accept(5), start(4), tick(10, 0),
            ask(6, "Please upload the Delaware certificate of incorporation with its apostille. China has accepted "
                   "apostilles since November 2023, so no consular legalisation is needed."),
            answer(70, "Apostilled certificate uploaded. Sorry for the delay: the Delaware office took three weeks."),
            tick(30, 1),
            note(20, "The business scope lists 'clinical trial services': check with the bureau that it does not "
                     "need a separate permit before we file."),
            answer(15, "Any news on the filing date? Our board would like the licence before the IND submission."),
        ),
        since=37,
    ),
    Plan(
        "hz-company-setup", "Pearl River AI Limited", "zhao",
        "We want a wholly owned R&D subsidiary in Hangzhou for our AI team.",
        (
            accept(3), start(2), tick(8, 0),
            ask(5, "Please upload the attested certificate of incorporation and confirm the registered address in "
                   "Hangzhou."),
            answer(40, "We are still choosing between Hangzhou and Shenzhen; please hold for now."),
            cancel(30, "We have decided to set up in Qianhai, Shenzhen first, closer to our Hong Kong team."),
        ),
        since=160,
    ),
    Plan(
        "nmpa-class-ii-device", "Hangzhou Yuhang Ophthalmic Instruments Co., Ltd.", "zhao",
        "眼压计产品拟申请第二类医疗器械注册，已完成注册检验，需要临床评价和申报资料编制支持。",
        (
            accept(2), start(3), tick(4, 0), tick(30, 1), tick(40, 2), tick(20, 3),
            wait(1, NMPA, "Dossier accepted by the Zhejiang Medical Products Administration; technical review "
                          "(up to 60 working days) under way."),
        ),
        since=240,
    ),
    Plan(
        "nmpa-class-ii-device", "Harbourview MedTech Limited", "shen",
        "Our ECG patch will be made by our new Binjiang company. We need the class II registration with the "
        "Zhejiang MPA; the device has FDA 510(k) clearance.",
        (
            accept(4), start(2), tick(6, 0),
            say(8, "The 510(k) clearance supports the clinical evaluation, but the registration testing must be done "
                   "by a qualified Chinese testing institute, or as a self-test under the NMPA's rules."),
            ask(10, "Please upload the EMC and electrical safety test reports of the current design and the risk "
                    "management file (ISO 14971)."),
        ),
        since=15,
    ),
    Plan(
        "nmpa-drug-ind", "Kowloon Clinical Research Limited", "xu",
        "We act for a US biotech sponsor that wants to add Chinese sites to its phase 1 trial. We need the NMPA "
        "IND and the human genetic resources application.",
        (
            accept(6.5), start(8), tick(20, 0),
            ask(10, "Please provide the investigator's brochure in Chinese and the sponsor's letter appointing its "
                    "domestic agent."),
            answer(60, "Chinese investigator's brochure and the appointment letter uploaded."),
            tick(50, 1),
            note(30, "Over the resolution target. The human genetic resources part is blocking: the sponsor is "
                     "foreign, so this needs the international collaboration approval, not a filing."),
            tick(25, 2),
        ),
        since=12,
    ),
    Plan(
        "nmpa-drug-ind", "Westlake Oncology Inc.", "shen",
        "Our anti-PD-1 antibody WO-101 has an FDA IND; we want to open Chinese sites. Our Shanghai partner will be "
        "the domestic agent.",
        (
            accept(3), start(4), tick(24, 0), tick(50, 1), tick(15, 2), tick(10, 3),
            wait(2, NMPA, "IND accepted by the CDE; the 60-working-day implied approval period has started."),
            resume(450, "60 working days passed without objection: implied approval."),
            complete(4),
            rate(8, 4, "The IND was cleared on the implied-approval date. Replies to the CDE could have been faster.",
                 "IND 在默示许可日如期获批。与 CDE 的沟通可以更及时一些。",
                 "IND 在默示許可日如期獲批。與 CDE 的溝通可以更及時一些。"),
        ),
        since=300,
    ),
    Plan(
        "hz-talent-rd-subsidies", "Hangzhou Linping Graphene Materials Co., Ltd.", "zhao",
        "希望了解公司可以申报哪些人才和研发补贴，尤其是高新技术企业认定。",
        (
            accept(7), start(10), tick(20, 0), tick(16, 1), tick(60, 2), tick(30, 3), complete(5),
            rate(20, 2, "We got the recognition in the end, but the first answer took a whole day and the calendar "
                        "changed twice.",
                 "最终拿到了认定，但第一次回复等了整整一天，申报日程也改了两次。",
                 "最終取得了認定，但第一次回覆等了整整一日，申報日程亦改了兩次。"),
        ),
        since=130,
    ),
    Plan(
        "hz-talent-rd-subsidies", "Hangzhou Tonglu Carbon Accounting Co., Ltd.", "zhao",
        "公司成立不到一年，创始人为海外归国博士，想了解杭州市和桐庐县的人才创业扶持政策。",
        (accept(5),),
        since=12,
    ),
    Plan(
        "hz-work-permits", "Lakeside Therapeutics Limited", "shen",
        "Our Canadian head of biology will move to Hangzhou to lead the new lab. He holds a PhD and should "
        "qualify for category A.",
        (
            accept(1), start(0.5), tick(2, 0), tick(10, 1), tick(6, 2),
            wait(1, IMMIGRATION, "Residence permit for work applied for at the Hangzhou exit-entry administration."),
        ),
        since=30,
    ),
    Plan(
        "hz-work-permits", "Central Crossborder Fintech Limited", "zhao",
        "We are sending a British product manager to our Hangzhou partner's office for two years. Which category "
        "would she fall into?",
        since=2.7,
    ),
    Plan(
        "hz-office-lab-space", "Victoria Advanced Materials Limited", "shen",
        "We need about 300 m² of lab space with fume hoods and a small pilot line for graphene coatings, in "
        "Binjiang or Yuhang.",
        (
            accept(4), start(2), tick(6, 0),
            say(12, "Three options shortlisted: two in Binjiang and one in Future Sci-Tech City. We propose viewings "
                    "next Tuesday."),
            answer(5, "Tuesday works. Could one of them allow solvent storage?"),
            tick(16, 1),
        ),
        since=20,
    ),
    Plan(
        "hz-office-lab-space", "Kowloon Clinical Research Limited", "zhao",
        "We need a small office (10 desks) near Hangzhou's hospitals to coordinate our Chinese trial sites.",
        (
            accept(2), start(3), tick(5, 0), tick(20, 1), tick(30, 2), complete(10),
            rate(3, 5, "A furnished office next to the hospital within a month, and the rent subsidy was approved.",
                 "一个月内就找到医院旁边带家具的办公室，房租补贴也批下来了。",
                 "一個月內便找到醫院旁邊連傢俬的辦公室，租金補貼亦已獲批。"),
        ),
        since=600,
    ),
    Plan(
        "hz-investor-matchmaking", "Hangzhou Liangzhu Cell Therapy Co., Ltd.", "xu",
        "公司正在进行天使+轮融资（约 3000 万元），希望对接杭州市和余杭区的政府引导基金。",
        (
            accept(3), start(2), tick(10, 0), tick(20, 1),
            say(10, "已向两家区级引导基金和一家产业资本推荐贵公司，会面时间确定后通知您。"),
        ),
        since=25,
    ),
    Plan(
        "hz-basic-bank-account", "Harbourview MedTech Limited", "zhao",
        "Our Binjiang company has its licence and seals; we need the basic account, and the capital account to "
        "pay in the registered capital.",
        (
            accept(1.5), start(1), tick(2, 0), tick(4, 1),
            wait(2, BANK, "Appointment booked at the bank's Binjiang branch; the bank is verifying the legal "
                          "representative by video."),
            resume(16, "Basic account opened; the capital account is next."),
            tick(1, 2),
        ),
        since=6,
    ),
    Plan(
        "hz-cnipa-filing", "Victoria Advanced Materials Limited", "zhao",
        "We want to file our graphene coating patent in China, claiming the priority of our US provisional "
        "application.",
        (
            accept(3), start(2),
            ask(6, "Please upload the US provisional application and the inventors' assignment; the 12-month "
                   "priority deadline is in five weeks."),
            say(60, "A reminder: without the documents we cannot file before the priority deadline."),
            resume(60, "No answer for three weeks; the priority deadline is close."),
            decline(2, "No documents arrived before the priority deadline despite our reminders, so we have closed "
                       "this request. A new one is welcome if you want to file without the priority claim."),
        ),
        since=100,
    ),
    Plan(
        "hz-vat-registration", "Harbourview MedTech Limited", "shen",
        "Our Binjiang company will invoice Chinese hospitals from next quarter. Should we register as a general "
        "VAT taxpayer now?",
        since=0.6,
    ),
    Plan(
        "hz-vat-registration", "Central Crossborder Fintech Limited", "zhao",
        "Our Hangzhou joint venture needs general taxpayer status to issue 6 % VAT invoices for software services.",
        (accept(2), start(2), tick(3, 0), tick(10, 1), tick(12, 2), complete(6)),
        since=24,
    ),
]
# fmt: on

PLANS = HK_PLANS + HZ_PLANS


def business_hours_before(policy: sla.Policy, moment: datetime.datetime, hours: float) -> datetime.datetime:
    """The moment ``hours`` of business time before ``moment`` under ``policy`` (``moment`` itself
    for none): the reverse of ``sla.add_business_time``, so that ``sla.business_time`` from the
    result to ``moment`` is ``hours``."""
    left = datetime.timedelta(hours=hours)
    if not left:
        return moment
    day = moment.astimezone(policy.tz).date()
    while True:
        for opens, closes in reversed(sla.hours_of(policy, day)):
            start = datetime.datetime.combine(day, opens, policy.tz)
            end = min(datetime.datetime.combine(day, closes, policy.tz), moment)
            if end <= start:
                continue
            if left <= end - start:
                return end - left
            left -= end - start
        day -= ONE_DAY


def _dates(plan: Plan, policy: sla.Policy, now: datetime.datetime) -> tuple[datetime.datetime, list]:
    """When the request was made and when each of its acts happened, counted back from ``now``."""
    at = business_hours_before(policy, now, plan.since)
    dates = []
    for act in reversed(plan.acts):
        dates.append(at)
        at = business_hours_before(policy, at, act.hours)
    return at, dates[::-1]


class Player:
    """Plays one plan through the services and dates each row it makes."""

    def __init__(self, plan: Plan, request: ServiceRequest, people: dict):
        self.request = request
        self.client = request.requested_by
        self.centre = people[plan.assignee]
        self.lead = people[LEADS[request.unit.code]]

    def play(self, act: Act, at: datetime.datetime) -> None:
        request = self.request
        if act.kind == "tick":
            self._tick(request.steps.all()[act.step], at)
        elif act.kind == "complete":
            for step in request.steps.filter(done_at__isnull=True):
                self._tick(step, at)
            services.take_step(actor=self.centre, request=request, name="complete")
        elif act.kind in ("accept", "start_work", "resume", "decline", "wait_third_party"):
            services.take_step(
                actor=self.centre, request=request, name=act.kind, note=act.text, pause_reason=act.reason
            )
        elif act.kind == "cancel":
            services.take_step(actor=self.client, request=request, name="cancel", note=act.text)
        elif act.kind == "ask":
            services.ask_client(actor=self.centre, request=request, body=act.text)
        elif act.kind == "client":
            services.post_message(actor=self.client, request=request, body=act.text)
        elif act.kind in ("say", "note"):
            uploads = [ContentFile(pdf_bytes(name), name=f"{name}.pdf") for name in act.files]
            author = self.lead if act.by_lead else self.centre
            services.post_message(
                actor=author, request=request, body=act.text, internal=act.kind == "note", uploads=uploads
            )
        elif act.kind == "rate":
            comment = act.comment[LANGUAGES.get(self.client.preferred_language, 0)]
            services.rate(request=request, score=act.score, comment=comment, actor=self.client)
            ServiceRating.objects.filter(request=request).update(created_at=at)
        self.date_new_rows(at)

    def _tick(self, step: RequestStep, at) -> None:
        services.set_step_done(actor=self.centre, request=self.request, step_id=step.pk, done=True)
        RequestStep.objects.filter(pk=step.pk).update(done_at=at)

    def date_new_rows(self, at) -> None:
        """Date the log rows and messages the last act made: the only ones later than ``at``, since
        each act is dated no earlier than the one before."""
        for rows in (self.request.state_changes, self.request.messages):
            rows.filter(created_at__gt=at).update(created_at=at)

    def settle(self) -> None:
        """The request's own dates, as the services would have set them at those moments, and its
        clocks recomputed from the dated log."""
        request = self.request
        request.refresh_from_db()
        log = list(request.state_changes.order_by("created_at", "id"))
        responses = [c.created_at for c in log if c.transition == "accept"]
        responses += request.messages.filter(from_centre=True, internal=False).values_list("created_at", flat=True)
        request.state_changed_at = log[-1].created_at
        request.first_response_at = min(responses, default=None)
        request.closed_at = log[-1].created_at if request.state in FINAL_STATES else None
        request.save(update_fields=["state_changed_at", "first_response_at", "closed_at"])
        services.recompute_clocks(request)


def _documents(service: Service, enterprise, owner) -> list:
    return [library_document(enterprise, owner, doc_type) for doc_type in service.required_documents]


def _seed_request(plan: Plan, people: dict, now: datetime.datetime) -> bool:
    service = Service.objects.get(slug=plan.service)
    enterprise = Enterprise.objects.filter(legal_name_en=plan.firm).first()
    if (
        enterprise is None
        or ServiceRequest.objects.filter(service=service, enterprise=enterprise, details=plan.details).exists()
    ):
        return False
    owner = owner_of(enterprise)
    request = services.request_service(
        actor=owner,
        service=service,
        enterprise=enterprise,
        details=plan.details,
        documents=_documents(service, enterprise, owner),
    )
    player = Player(plan, request, people)
    services.assign(actor=player.lead, request=request, assignee=player.centre)
    made_at, dates = _dates(plan, sla.Policy.from_json(request.sla), now)
    ServiceRequest.objects.filter(pk=request.pk).update(created_at=made_at)
    player.date_new_rows(made_at)
    for act, at in zip(plan.acts, dates, strict=True):
        player.play(act, at)
    with transaction.atomic():
        player.settle()
    return True


def seed_demo_centres() -> str:
    """``seed_demo``'s seeder (registered in ``ProgramsConfig.ready``, after the admission's)."""
    services_made = seed_catalogues()
    people = {key: get_user_model().objects.get(email=email) for key, email in STAFF.items()}
    now = timezone.now()
    made = sum(_seed_request(plan, people, now) for plan in PLANS)
    return (
        f"Demo centres: {services_made} services and {made} requests created, "
        f"{len(PLANS) - made} requests already present."
    )
