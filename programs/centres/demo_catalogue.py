"""The two centres' demo catalogues for ``seed_demo``: each centre's SLA policies (standard and
priority) on its own calendar and working hours, and its services, trilingual, with their fees,
the documents they need and their fulfilment steps.

The Hong Kong centre works Monday to Friday 09:00–13:00 and 14:00–18:00 (the usual Hong Kong
office day, lunch from one to two) on the Hong Kong general holidays; its priority services
(bank accounts, visas) also open on Saturday mornings, as Hong Kong banks do. The Hangzhou centre
works Monday to Friday 08:30–12:00 and 13:30–17:30, as Hangzhou's government service halls do,
on the mainland calendar: on a make-up working weekend day it opens with a Monday's hours.

A step's target is business hours counted from the request, like the resolution target, so the
last step's is at most the policy's resolution target.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from djmoney.money import Money

from enterprises.choices import DocumentType
from hkhz_portal.accounts.models import Unit
from hkhz_portal.core.calendars import Calendar

from ..models import Service, ServiceCategory, ServiceStep, SLAPolicy, WorkingPeriod

HK, HZ = "hk-centre", "hz-centre"
STANDARD, PRIORITY = "standard", "priority"


def _day(*periods: str) -> tuple[tuple[datetime.time, datetime.time], ...]:
    """Periods written "09:00-13:00"."""
    return tuple(tuple(datetime.time.fromisoformat(t) for t in period.split("-")) for period in periods)


HK_DAY = _day("09:00-13:00", "14:00-18:00")
HZ_DAY = _day("08:30-12:00", "13:30-17:30")
WEEKDAYS = range(5)
SATURDAY = 5


@dataclass(frozen=True)
class PolicySpec:
    name: str
    calendar: Calendar
    first_response: str
    resolution: str
    hours: dict


#: Per centre: its standard and priority policies. Targets are business hours: the Hong Kong day
#: has 8 of them, the Hangzhou day 7.5 (one working day to answer, four weeks to deliver).
POLICIES = {
    HK: {
        STANDARD: PolicySpec("Hong Kong centre: standard", Calendar.HK, "8", "160", dict.fromkeys(WEEKDAYS, HK_DAY)),
        PRIORITY: PolicySpec(
            "Hong Kong centre: priority (Saturday mornings too)",
            Calendar.HK,
            "4",
            "48",
            {**dict.fromkeys(WEEKDAYS, HK_DAY), SATURDAY: _day("09:00-13:00")},
        ),
    },
    HZ: {
        STANDARD: PolicySpec("Hangzhou centre: standard", Calendar.CN, "7.5", "150", dict.fromkeys(WEEKDAYS, HZ_DAY)),
        PRIORITY: PolicySpec("Hangzhou centre: priority", Calendar.CN, "3", "45", dict.fromkeys(WEEKDAYS, HZ_DAY)),
    },
}


@dataclass(frozen=True)
class Offer:
    """One service: its names and descriptions as (English, Simplified, Traditional), and its
    steps as (target hours, English, Simplified, Traditional)."""

    slug: str
    category: ServiceCategory
    fee: Money | None
    documents: tuple
    policy: str
    name: tuple
    description: tuple
    steps: tuple


def hkd(amount):
    return Money(Decimal(amount), "HKD")


def cny(amount):
    return Money(Decimal(amount), "CNY")


D = DocumentType

HK_CATALOGUE = [
    Offer(
        "hk-company-incorporation",
        ServiceCategory.COMPANY_SETUP,
        hkd(8000),
        (D.BUSINESS_LICENCE,),
        STANDARD,
        ("Hong Kong company incorporation", "香港公司注册", "香港公司註冊成立"),
        (
            "We incorporate a private company limited by shares for your Hangzhou parent: name search, "
            "Form NNC1 and the articles of association, a Hong Kong company secretary, and the electronic "
            "filing with the Companies Registry, which issues the Certificate of Incorporation and the "
            "Business Registration Certificate together. You receive the company kit and the significant "
            "controllers register the law requires. Government fees are charged at cost.",
            "我们为您的杭州母公司在香港注册一家私人股份有限公司：查册核名、准备法团成立表格（NNC1）及组织章程"
            "细则、安排香港公司秘书，并以电子方式向公司注册处递交，公司注册证明书与商业登记证会一并发出。"
            "完成后您将收到公司套装及法例规定的重要控制人登记册。政府收费按实际金额收取。",
            "我們為您的杭州母公司在香港成立一間私人股份有限公司：查冊核名、擬備法團成立表格（NNC1）及組織章程"
            "細則、安排香港公司秘書，並以電子方式向公司註冊處遞交，公司註冊證明書與商業登記證會一併發出。"
            "完成後您將收到公司套裝及法例規定的重要控制人登記冊。政府收費按實際金額收取。",
        ),
        (
            (
                8,
                "Name search and identity checks of directors and shareholders",
                "公司名称查册及董事、股东身份核查",
                "公司名稱查冊及董事、股東身份核實",
            ),
            (
                40,
                "Form NNC1 and articles of association prepared and signed",
                "拟备并签署法团成立表格（NNC1）及组织章程细则",
                "擬備並簽署法團成立表格（NNC1）及組織章程細則",
            ),
            (
                56,
                "Filed electronically with the Companies Registry",
                "以电子方式向公司注册处递交",
                "以電子方式向公司註冊處遞交",
            ),
            (
                72,
                "Certificate of Incorporation and Business Registration Certificate received",
                "取得公司注册证明书及商业登记证",
                "取得公司註冊證明書及商業登記證",
            ),
            (
                96,
                "Company kit and significant controllers register delivered",
                "交付公司套装及重要控制人登记册",
                "交付公司套裝及重要控制人登記冊",
            ),
        ),
    ),
    Offer(
        "hk-corporate-bank-account",
        ServiceCategory.BANK_ACCOUNT,
        None,
        (D.INCORPORATION_CERTIFICATE, D.BR_CERTIFICATE, D.ARTICLES),
        PRIORITY,
        ("Corporate bank account in Hong Kong", "香港公司银行账户开立", "香港公司銀行開戶"),
        (
            "We prepare the account-opening pack banks ask of a new company with mainland owners (an "
            "ownership chart up to the ultimate beneficial owners, the business plan, the expected flows of "
            "money and proof of business in Hong Kong), introduce you to two of our partner banks and "
            "prepare the meeting with the relationship manager. Banks take two to eight weeks for their due "
            "diligence. The service is free; the bank's own fees apply.",
            "我们为有内地股东的新公司准备银行要求的开户文件（列至最终实益拥有人的股权架构图、业务计划、预计"
            "资金往来及在港经营的证明），向两家合作银行引荐，并协助准备与客户经理的会面。银行尽职审查一般"
            "需时两至八周。本服务免费，银行收费另计。",
            "我們為有內地股東的新公司準備銀行要求的開戶文件（列至最終實益擁有人的股權架構圖、業務計劃書、預計"
            "資金往來及在港經營的證明），向兩間合作銀行引薦，並協助準備與客戶經理的會面。銀行盡職審查一般"
            "需時兩至八星期。本服務免費，銀行收費另計。",
        ),
        (
            (4, "Account-opening pack reviewed", "开户文件审阅", "開戶文件審閱"),
            (12, "Introduced to two partner banks", "向两家合作银行引荐", "向兩間合作銀行引薦"),
            (28, "Meeting with the relationship manager", "与银行客户经理会面", "與銀行客戶經理會面"),
            (44, "Account opened and online banking active", "账户开立并启用网上银行", "戶口開立及啟用網上銀行"),
        ),
    ),
    Offer(
        "fda-ind-dossier",
        ServiceCategory.REGULATORY_FILING,
        hkd(180000),
        (D.BUSINESS_PLAN,),
        STANDARD,
        ("FDA pre-IND meeting and IND dossier", "FDA Pre-IND 会议及 IND 申报资料", "FDA Pre-IND 會議及 IND 申請資料"),
        (
            "From Hong Kong, with our US regulatory partners, we plan a pre-IND meeting (a Type B meeting) "
            "and its briefing package, then compile the IND in eCTD format (Form FDA 1571, investigator's "
            "brochure, clinical protocol, chemistry, manufacturing and controls, nonclinical study reports) "
            "and submit it through the FDA's Electronic Submissions Gateway. The study may begin 30 days "
            "after the FDA receives the IND unless the FDA places it on clinical hold.",
            "我们在香港联同美国注册合作伙伴，为您规划 Pre-IND 会议（B 类会议）及其简报资料，随后按 eCTD 格式"
            "编制 IND 申报资料（FDA 1571 表、研究者手册、临床方案、药学 CMC 资料及非临床研究报告），并经 FDA "
            "电子递交网关（ESG）提交。FDA 收到 IND 后 30 日内如未要求暂停临床（clinical hold），试验即可开展。",
            "我們在香港聯同美國註冊合作夥伴，為您規劃 Pre-IND 會議（B 類會議）及其簡報資料，隨後按 eCTD 格式"
            "編製 IND 申請資料（FDA 1571 表格、研究者手冊、臨床試驗方案、藥學 CMC 資料及非臨床研究報告），並經 "
            "FDA 電子提交閘道（ESG）遞交。FDA 收到 IND 後 30 日內如未要求暫停臨床試驗（clinical hold），試驗即可"
            "展開。",
        ),
        (
            (
                24,
                "Gap analysis of the nonclinical and CMC data",
                "非临床及药学资料差距分析",
                "非臨床及藥學資料差距分析",
            ),
            (
                56,
                "Pre-IND meeting request and briefing package",
                "提交 Pre-IND 会议申请及简报资料",
                "遞交 Pre-IND 會議申請及簡報資料",
            ),
            (120, "IND compiled in eCTD format", "按 eCTD 格式编制 IND", "按 eCTD 格式編製 IND"),
            (144, "IND submitted through the ESG", "经 ESG 提交 IND", "經 ESG 遞交 IND"),
            (
                160,
                "30-day review followed and FDA questions answered",
                "跟进 30 日审评并回复 FDA 问题",
                "跟進 30 日審評並回覆 FDA 問題",
            ),
        ),
    ),
    Offer(
        "ema-scientific-advice",
        ServiceCategory.REGULATORY_FILING,
        hkd(96000),
        (D.BUSINESS_PLAN,),
        STANDARD,
        ("EMA scientific advice support", "EMA 科学建议申请支持", "EMA 科學意見申請支援"),
        (
            "We help you frame the questions on your development plan (quality, nonclinical, clinical), "
            "write the briefing document for the EMA's Scientific Advice Working Party, request the "
            "pre-submission meeting and submit. The procedure runs 40 days, or 70 days when the working "
            "party asks for a discussion meeting. The EMA's fee is charged at cost.",
            "我们协助您就研发计划（质量、非临床、临床）拟定咨询问题，撰写提交 EMA 科学建议工作组（SAWP）的"
            "简报文件，申请预提交会议并完成递交。程序为期 40 日，如工作组要求召开讨论会议则为 70 日。EMA "
            "收费按实际金额收取。",
            "我們協助您就研發計劃（質量、非臨床、臨床）擬定諮詢問題，撰寫提交 EMA 科學意見工作小組（SAWP）的"
            "簡報文件，申請預遞交會議並完成遞交。程序為期 40 日，如工作小組要求召開討論會議則為 70 日。EMA "
            "收費按實際金額收取。",
        ),
        (
            (16, "Scoping call and draft questions", "沟通范围并草拟问题", "溝通範圍並草擬問題"),
            (80, "Briefing document written", "撰写简报文件", "撰寫簡報文件"),
            (
                104,
                "Pre-submission meeting and submission to the EMA",
                "预提交会议及向 EMA 递交",
                "預遞交會議及向 EMA 遞交",
            ),
            (140, "Final advice letter received and explained", "取得并解读最终建议函", "取得並解讀最終意見書"),
        ),
    ),
    Offer(
        "hk-talent-visas",
        ServiceCategory.TALENT_VISAS,
        hkd(6000),
        (D.STAFF_CVS,),
        PRIORITY,
        (
            "Talent visas: TTPS, IANG, GEP and ASMTP",
            "人才签证：高才通、IANG、一般就业政策及输入内地人才计划",
            "人才簽證：高才通、IANG、一般就業政策及輸入內地人才計劃",
        ),
        (
            "We find the right route to Hong Kong for each of your people (the Top Talent Pass Scheme, the "
            "Immigration Arrangements for Non-local Graduates, the General Employment Policy for foreign "
            "nationals or, for mainland residents, the Admission Scheme for Mainland Talents and "
            "Professionals), prepare the applications and the employer's documents and follow them with "
            "the Immigration Department, which usually decides within four weeks of receiving all documents.",
            "我们为每位员工选择合适的来港途径（高端人才通行证计划、非本地毕业生留港/回港就业安排、适用于外籍"
            "人士的一般就业政策，或适用于内地居民的输入内地人才计划），准备申请及雇主文件，并向入境事务处"
            "跟进；入境处一般在收齐文件后四周内作出决定。",
            "我們為每位員工選擇合適的來港途徑（高端人才通行證計劃、非本地畢業生留港／回港就業安排、適用於外籍"
            "人士的一般就業政策，或適用於內地居民的輸入內地人才計劃），準備申請及僱主文件，並向入境事務處"
            "跟進；入境處一般在收齊文件後四星期內作出決定。",
        ),
        (
            (4, "Route chosen for each applicant", "为每位申请人确定途径", "為每位申請人確定途徑"),
            (16, "Applications and employer's documents prepared", "准备申请表及雇主文件", "準備申請表格及僱主文件"),
            (24, "Submitted to the Immigration Department", "向入境事务处递交", "向入境事務處遞交"),
            (44, "e-Visa issued and arrival arranged", "取得电子签证并安排来港", "取得電子簽證並安排來港"),
        ),
    ),
    Offer(
        "hk-patent-filing",
        ServiceCategory.IP,
        hkd(28000),
        (),
        STANDARD,
        (
            "Patents: Hong Kong standard patent and PCT",
            "专利：香港标准专利及 PCT 申请",
            "專利：香港標準專利及 PCT 申請",
        ),
        (
            "With our partner patent attorneys we file your invention in Hong Kong, by the original grant "
            "route or by re-registering an application filed with CNIPA, the European Patent Office "
            "(designating the UK) or the UK office, and manage international filings under the PCT: the "
            "international application within 12 months of your first filing, and national-phase entries "
            "at 30 months. Every deadline goes on your docket.",
            "我们与合作专利代理人为您在香港申请专利（经原授专利途径，或以向国家知识产权局、欧洲专利局（指定"
            "英国）或英国知识产权局提交的申请办理转录），并管理 PCT 国际申请：于首次申请后 12 个月内提交国际"
            "申请，并于 30 个月时进入国家阶段。所有期限均列入您的期限表。",
            "我們與合作專利代理人為您在香港申請專利（經原授專利途徑，或以向國家知識產權局、歐洲專利局（指定"
            "英國）或英國知識產權局提交的申請辦理轉錄），並管理 PCT 國際申請：於首次申請後 12 個月內遞交國際"
            "申請，並於 30 個月時進入國家階段。所有期限均列入您的期限表。",
        ),
        (
            (8, "Filing strategy and deadlines agreed", "确定申请策略及期限", "確定申請策略及期限"),
            (40, "Specification and claims reviewed", "审阅说明书及权利要求", "審閱說明書及權利要求"),
            (
                64,
                "Filed with the Intellectual Property Department or WIPO",
                "向知识产权署或世界知识产权组织递交",
                "向知識產權署或世界知識產權組織遞交",
            ),
            (80, "Filing receipt and docket delivered", "交付申请回执及期限表", "交付申請回執及期限表"),
        ),
    ),
    Offer(
        "hk-tax-transfer-pricing",
        ServiceCategory.LEGAL_TAX,
        hkd(18000),
        (D.INCORPORATION_CERTIFICATE, D.BR_CERTIFICATE),
        STANDARD,
        ("Profits tax and transfer pricing", "利得税及转让定价", "利得稅及轉讓定價"),
        (
            "We set up your Hong Kong company's tax calendar with the Inland Revenue Department (the first "
            "profits tax return is usually issued about 18 months after incorporation) and review the "
            "pricing of its dealings with the Hangzhou parent: whether a master file and a local file are "
            "needed, and a transfer pricing policy both tax authorities will accept. Profits tax is 8.25 % "
            "on the first HK$2 million of assessable profits and 16.5 % on the rest.",
            "我们为您的香港公司与税务局建立报税日程（首份利得税报税表一般于公司成立约 18 个月后发出），并审视"
            "其与杭州母公司之间交易的定价：是否须准备总体档案及本地档案，以及两地税务机关均能接受的转让定价"
            "政策。利得税税率为首 200 万港元应评税利润 8.25%，其余 16.5%。",
            "我們為您的香港公司與稅務局建立報稅日程（首份利得稅報稅表一般於公司成立約 18 個月後發出），並審視"
            "其與杭州母公司之間交易的定價：是否須準備總體檔案及本地檔案，以及兩地稅務機關均能接受的轉讓定價"
            "政策。利得稅稅率為首 200 萬港元應評稅利潤 8.25%，其餘 16.5%。",
        ),
        (
            (16, "Tax calendar and financial year-end agreed", "确定报税日程及会计年结日", "確定報稅日程及會計年結日"),
            (48, "Intercompany transactions mapped", "梳理集团内部交易", "梳理集團內部交易"),
            (96, "Master file and local file assessed", "评估总体档案及本地档案要求", "評估總體檔案及本地檔案要求"),
            (150, "Transfer pricing policy delivered", "交付转让定价政策", "交付轉讓定價政策"),
        ),
    ),
    Offer(
        "hkstp-office-lab-space",
        ServiceCategory.SPACE,
        None,
        (D.BUSINESS_PLAN,),
        STANDARD,
        ("Office and lab space at Hong Kong Science Park", "香港科学园办公室及实验室", "香港科學園辦公室及實驗室"),
        (
            "We match your needs (desks, wet or dry lab, biosafety level, move-in date) with offices, "
            "laboratories and co-working space at Hong Kong Science Park in Pak Shek Kok, arrange viewings "
            "with HKSTP and help with the tenancy application and the fit-out and laboratory permits. "
            "Science Park programmes may offer preferential rent.",
            "我们根据您的需求（工位、湿或干实验室、生物安全等级、入驻日期）匹配白石角香港科学园的办公室、"
            "实验室及共享办公空间，与香港科技园公司安排参观，并协助租赁申请及装修和实验室相关许可。科学园的"
            "计划可提供优惠租金。",
            "我們根據您的需要（工作間、濕式或乾式實驗室、生物安全級別、入伙日期）配對白石角香港科學園的辦公室、"
            "實驗室及共享工作空間，與香港科技園公司安排參觀，並協助租賃申請及裝修與實驗室相關許可。科學園的"
            "計劃可提供優惠租金。",
        ),
        (
            (8, "Requirements agreed", "确定需求", "確定需要"),
            (40, "Viewings with HKSTP", "与香港科技园公司安排参观", "與香港科技園公司安排參觀"),
            (80, "Tenancy application submitted", "递交租赁申请", "遞交租賃申請"),
            (120, "Offer letter and move-in plan", "取得要约函及入驻安排", "取得要約書及入伙安排"),
        ),
    ),
    Offer(
        "hk-investor-matchmaking",
        ServiceCategory.INVESTOR_MATCHMAKING,
        None,
        (D.PITCH_DECK,),
        STANDARD,
        ("Investor matchmaking in Hong Kong", "香港投资者对接", "香港投資者配對"),
        (
            "We review your pitch deck and financing plan, introduce you to Hong Kong venture funds, "
            "corporate investors and angel networks that invest in your field, and put you on the stage of "
            "our quarterly pitch day. For later rounds we explain the routes to a listing in Hong Kong, "
            "such as Chapter 18A of the Listing Rules for biotech companies without revenue.",
            "我们审阅您的路演材料和融资计划，向投资于您所在领域的香港风险投资基金、企业投资者及天使投资网络"
            "引荐，并安排您在季度路演日上台。对于后期轮次，我们会介绍在香港上市的途径，例如适用于未有收入"
            "生物科技公司的《上市规则》第十八A章。",
            "我們審閱您的路演材料及融資計劃，向投資於您所屬領域的香港創業投資基金、企業投資者及天使投資網絡"
            "引薦，並安排您在季度路演日上台。對於後期輪次，我們會介紹在香港上市的途徑，例如適用於未有收益"
            "生物科技公司的《上市規則》第十八A章。",
        ),
        (
            (16, "Pitch deck and financing plan reviewed", "审阅路演材料及融资计划", "審閱路演材料及融資計劃"),
            (40, "Shortlist of investors agreed", "确定投资者名单", "確定投資者名單"),
            (80, "Introductions made", "完成引荐", "完成引薦"),
            (140, "Pitch day and follow-up", "路演日及后续跟进", "路演日及後續跟進"),
        ),
    ),
]

HZ_CATALOGUE = [
    Offer(
        "hz-company-setup",
        ServiceCategory.COMPANY_SETUP,
        cny(15000),
        (D.INCORPORATION_CERTIFICATE,),
        STANDARD,
        ("Foreign-invested company set-up in Hangzhou", "在杭州设立外商投资企业", "在杭州設立外商投資企業"),
        (
            "We check your business scope against the Negative List, reserve the company name and file the "
            "registration with the Administration for Market Regulation of the district you choose; the "
            "business licence carries the company's 18-character Unified Social Credit Code. We then have "
            "the company seals made and recorded and file the foreign investment information report. The "
            "investor's documents need an apostille, or for a Hong Kong investor attestation by a "
            "China-Appointed Attesting Officer; under the 2024 Company Law the registered capital must be "
            "paid in within five years.",
            "我们对照外商投资准入负面清单核对经营范围，办理名称申报，并向您选择的区市场监督管理局提交设立"
            "登记；营业执照载有企业的 18 位统一社会信用代码。随后办理印章刻制备案，并提交外商投资信息报告。"
            "投资者文件须办理附加证明书（apostille），香港投资者则须经中国委托公证人公证；根据 2024 年施行的"
            "《公司法》，注册资本须在五年内缴足。",
            "我們對照外商投資准入負面清單核對經營範圍，辦理名稱申報，並向您選擇的區市場監督管理局提交設立"
            "登記；營業執照載有企業的 18 位統一社會信用代碼。隨後辦理印章刻製備案，並提交外商投資信息報告。"
            "投資者文件須辦理附加證明書（apostille），香港投資者則須經中國委託公證人公證；根據 2024 年施行的"
            "《公司法》，註冊資本須在五年內繳足。",
        ),
        (
            (
                7.5,
                "Business scope checked against the Negative List",
                "对照负面清单核对经营范围",
                "對照負面清單核對經營範圍",
            ),
            (
                37.5,
                "Investor's documents apostilled or attested",
                "投资者文件完成附加证明或公证",
                "投資者文件完成附加證明或公證",
            ),
            (
                75,
                "Registration filed with the Administration for Market Regulation",
                "向市场监督管理局提交设立登记",
                "向市場監督管理局提交設立登記",
            ),
            (
                105,
                "Business licence with the Unified Social Credit Code issued",
                "取得载有统一社会信用代码的营业执照",
                "取得載有統一社會信用代碼的營業執照",
            ),
            (
                135,
                "Seals recorded and foreign investment information report filed",
                "印章刻制备案及提交外商投资信息报告",
                "印章刻製備案及提交外商投資信息報告",
            ),
        ),
    ),
    Offer(
        "nmpa-class-ii-device",
        ServiceCategory.REGULATORY_FILING,
        cny(80000),
        (D.BUSINESS_LICENCE,),
        STANDARD,
        ("Class II medical device registration (Zhejiang)", "第二类医疗器械注册（浙江）", "第二類醫療器械註冊（浙江）"),
        (
            "For devices made in Zhejiang, we prepare the class II registration dossier for the Zhejiang "
            "Medical Products Administration: the product technical requirements, the registration testing, "
            "the clinical evaluation (or the exemption the catalogue allows) and the quality management "
            "system documents for the on-site inspection. The technical review takes up to 60 working days "
            "and the certificate is valid for five years. Imported class II devices are registered by the "
            "NMPA itself.",
            "适用于在浙江生产的器械：我们为您编制向浙江省药品监督管理局提交的第二类注册资料，包括产品技术"
            "要求、注册检验、临床评价（或目录允许的免于临床评价）及供现场核查的质量管理体系文件。技术审评"
            "时限最长 60 个工作日，注册证有效期五年。进口第二类器械由国家药品监督管理局注册。",
            "適用於在浙江生產的器械：我們為您編製向浙江省藥品監督管理局提交的第二類註冊資料，包括產品技術"
            "要求、註冊檢驗、臨床評價（或目錄允許的免於臨床評價）及供現場核查的質量管理體系文件。技術審評"
            "時限最長 60 個工作日，註冊證有效期五年。進口第二類器械由國家藥品監督管理局註冊。",
        ),
        (
            (7.5, "Classification and registration route confirmed", "确认分类及注册路径", "確認分類及註冊路徑"),
            (
                60,
                "Product technical requirements and registration testing",
                "产品技术要求及注册检验",
                "產品技術要求及註冊檢驗",
            ),
            (97.5, "Clinical evaluation report", "临床评价报告", "臨床評價報告"),
            (
                127.5,
                "Dossier submitted to the Zhejiang Medical Products Administration",
                "向浙江省药品监督管理局递交注册资料",
                "向浙江省藥品監督管理局遞交註冊資料",
            ),
            (
                150,
                "Review questions answered and certificate issued",
                "回复补正意见并取得注册证",
                "回覆補正意見並取得註冊證",
            ),
        ),
    ),
    Offer(
        "nmpa-drug-ind",
        ServiceCategory.REGULATORY_FILING,
        cny(200000),
        (D.BUSINESS_PLAN,),
        STANDARD,
        ("NMPA clinical trial application (drug IND)", "NMPA 药物临床试验申请（IND）", "NMPA 藥物臨床試驗申請（IND）"),
        (
            "We prepare the pre-IND communication meeting with the Center for Drug Evaluation and the IND "
            "dossier in CTD format, and file it with the NMPA. The trial may start if the CDE raises no "
            "objection within 60 working days of accepting it (30 in the pilot for innovative drugs). A "
            "trial sponsored by a foreign or foreign-invested company also needs a human genetic resources "
            "approval or filing, which we prepare alongside.",
            "我们协助您与国家药监局药品审评中心（CDE）召开 Pre-IND 沟通交流会议，按 CTD 格式编制 IND 申报"
            "资料并向国家药品监督管理局递交。CDE 自受理之日起 60 个工作日内未提出否定或质疑意见的，即可开展"
            "临床试验（创新药试点为 30 个工作日）。由外方或外商投资企业申办的试验还须办理人类遗传资源审批或"
            "备案，我们一并准备。",
            "我們協助您與國家藥監局藥品審評中心（CDE）召開 Pre-IND 溝通交流會議，按 CTD 格式編製 IND 申報"
            "資料並向國家藥品監督管理局遞交。CDE 自受理之日起 60 個工作日內未提出否定或質疑意見的，即可開展"
            "臨床試驗（創新藥試點為 30 個工作日）。由外方或外商投資企業申辦的試驗還須辦理人類遺傳資源審批或"
            "備案，我們一併準備。",
        ),
        (
            (
                22.5,
                "Pre-IND meeting requested from the CDE",
                "向 CDE 提交 Pre-IND 沟通交流申请",
                "向 CDE 遞交 Pre-IND 溝通交流申請",
            ),
            (90, "CTD dossier compiled", "编制 CTD 申报资料", "編製 CTD 申報資料"),
            (112.5, "Human genetic resources application prepared", "准备人类遗传资源申请", "準備人類遺傳資源申請"),
            (127.5, "IND filed and accepted", "递交 IND 并获受理", "遞交 IND 並獲受理"),
            (150, "Review followed to implied approval", "跟进审评至默示许可", "跟進審評至默示許可"),
        ),
    ),
    Offer(
        "hz-talent-rd-subsidies",
        ServiceCategory.POLICY_SUBSIDIES,
        None,
        (D.BUSINESS_LICENCE, D.FINANCIAL_STATEMENTS),
        STANDARD,
        ("Hangzhou talent and R&D subsidies", "杭州人才及研发补贴申报", "杭州人才及研發補貼申報"),
        (
            "We check which city, district and Zhejiang programmes your company and your people qualify "
            "for (Hangzhou's high-level talent classification, district start-up programmes such as "
            "Binjiang's 5050 Plan, high and new technology enterprise recognition with its 15 % corporate "
            "income tax, and the 100 % super-deduction of R&D expenses) and prepare each application "
            "within its window.",
            "我们核查您的企业和人才可申报的市、区及浙江省政策（杭州市高层次人才分类认定、滨江区“5050计划”"
            "等区级创业项目、企业所得税税率 15% 的高新技术企业认定，以及研发费用 100% 加计扣除），并在各项目"
            "申报窗口内准备申请。",
            "我們核查您的企業和人才可申報的市、區及浙江省政策（杭州市高層次人才分類認定、濱江區「5050計劃」"
            "等區級創業項目、企業所得稅稅率 15% 的高新技術企業認定，以及研發費用 100% 加計扣除），並在各項目"
            "申報窗口內準備申請。",
        ),
        (
            (15, "Eligibility checked across the programmes", "各项政策资格筛查", "各項政策資格篩查"),
            (30, "Application calendar agreed", "确定申报日程", "確定申報日程"),
            (112.5, "Applications prepared and filed", "准备并递交申请", "準備並遞交申請"),
            (142.5, "Review and defence meetings supported", "配合评审及答辩", "配合評審及答辯"),
        ),
    ),
    Offer(
        "hz-work-permits",
        ServiceCategory.TALENT_VISAS,
        cny(3500),
        (D.STAFF_CVS,),
        PRIORITY,
        ("Work permits for foreign staff", "外国人来华工作许可", "外國人來華工作許可"),
        (
            "We classify each foreign employee (category A, B or C), apply for the Foreigner's Work Permit "
            "with Hangzhou's science and technology authorities, guide the Z visa application abroad and, "
            "within 30 days of arrival, the residence permit for work with the exit-entry administration. "
            "Hong Kong and Macao residents have needed no work permit since 2018: they work on their "
            "Mainland Travel Permit.",
            "我们为每位外籍员工评定类别（A、B 或 C 类），向杭州市科技主管部门申请外国人工作许可，指导其在境外"
            "申请 Z 字签证，并在入境后 30 日内向出入境管理部门申办工作类居留许可。港澳居民自 2018 年起在内地"
            "就业无须办理就业许可，凭港澳居民来往内地通行证即可。",
            "我們為每位外籍僱員評定類別（A、B 或 C 類），向杭州市科技主管部門申請外國人工作許可，指導其在境外"
            "申請 Z 字簽證，並在入境後 30 日內向出入境管理部門申辦工作類居留許可。港澳居民自 2018 年起在內地"
            "就業無須辦理就業許可，憑港澳居民來往內地通行證即可。",
        ),
        (
            (3, "Category assessed (A, B or C)", "评定类别（A、B 或 C 类）", "評定類別（A、B 或 C 類）"),
            (18, "Work permit notice obtained", "取得外国人工作许可通知", "取得外國人工作許可通知"),
            (30, "Z visa and arrival", "办理 Z 字签证及入境", "辦理 Z 字簽證及入境"),
            (45, "Work permit and residence permit issued", "取得工作许可证及居留许可", "取得工作許可證及居留許可"),
        ),
    ),
    Offer(
        "hz-office-lab-space",
        ServiceCategory.SPACE,
        None,
        (D.BUSINESS_PLAN,),
        STANDARD,
        ("Office and lab space in Binjiang and Yuhang", "滨江及余杭办公与实验室空间", "濱江及餘杭辦公與實驗室空間"),
        (
            "We shortlist offices, laboratories and GMP-ready pilot plants in the Hangzhou Hi-tech Zone "
            "(Binjiang) and Future Sci-Tech City (Yuhang), arrange viewings with the parks' operators, and "
            "help qualifying start-ups apply for rent subsidies.",
            "我们为您筛选杭州高新区（滨江）及余杭未来科技城的办公室、实验室及符合 GMP 要求的中试厂房，与园区"
            "运营方安排实地考察，并协助符合条件的初创企业申请房租补贴。",
            "我們為您篩選杭州高新區（濱江）及餘杭未來科技城的辦公室、實驗室及符合 GMP 要求的中試廠房，與園區"
            "營運方安排實地考察，並協助符合條件的初創企業申請租金補貼。",
        ),
        (
            (7.5, "Requirements and budget agreed", "确定需求及预算", "確定需要及預算"),
            (37.5, "Shortlist and viewings", "筛选及实地考察", "篩選及實地考察"),
            (90, "Lease terms negotiated", "洽谈租赁条款", "洽談租賃條款"),
            (135, "Lease signed and rent subsidy applied for", "签订租约并申请房租补贴", "簽訂租約並申請租金補貼"),
        ),
    ),
    Offer(
        "hz-investor-matchmaking",
        ServiceCategory.INVESTOR_MATCHMAKING,
        None,
        (D.PITCH_DECK,),
        STANDARD,
        ("Matchmaking with Hangzhou investors", "对接杭州投资机构", "對接杭州投資機構"),
        (
            "We introduce you to the government guidance funds of the city and its districts, the venture "
            "funds they back and corporate investors in Hangzhou's life-science and digital industries, "
            "prepare you for their questions on a mainland entity and RMB financing, and host a "
            "closed-door roadshow.",
            "我们向您引荐市、区两级政府引导基金及其参投的创投基金，以及杭州生命科学和数字产业的产业投资方，"
            "协助您准备有关境内主体和人民币融资的问题，并举办闭门路演。",
            "我們向您引薦市、區兩級政府引導基金及其參投的創投基金，以及杭州生命科學和數字產業的產業投資方，"
            "協助您準備有關境內主體和人民幣融資的問題，並舉辦閉門路演。",
        ),
        (
            (
                15,
                "Pitch deck reviewed for mainland investors",
                "按境内投资者视角审阅路演材料",
                "按境內投資者視角審閱路演材料",
            ),
            (37.5, "Investor shortlist agreed", "确定投资机构名单", "確定投資機構名單"),
            (90, "Introductions and first meetings", "引荐及首轮会面", "引薦及首輪會面"),
            (135, "Closed-door roadshow", "闭门路演", "閉門路演"),
        ),
    ),
    Offer(
        "hz-basic-bank-account",
        ServiceCategory.BANK_ACCOUNT,
        None,
        (D.BUSINESS_LICENCE, D.ARTICLES),
        PRIORITY,
        ("Basic bank account and capital account", "基本存款账户及资本金账户开立", "基本存款帳戶及資本金帳戶開立"),
        (
            "We book the appointment with a bank near your office and prepare the documents it checks (the "
            "business licence, the seals, the legal representative's identity document and the lease) to "
            "open the company's basic deposit account; for a foreign-invested company also the foreign "
            "direct investment registration at the bank and the capital account into which the investor "
            "pays the registered capital.",
            "我们为您预约办公地址附近的银行，准备银行核验的材料（营业执照、印章、法定代表人身份证件及租赁"
            "合同），开立企业基本存款账户；外商投资企业还须在银行办理外商直接投资登记，并开立供投资者缴付"
            "注册资本的资本金账户。",
            "我們為您預約辦公地址附近的銀行，準備銀行核驗的材料（營業執照、印章、法定代表人身份證明文件及租賃"
            "合同），開立企業基本存款帳戶；外商投資企業還須在銀行辦理外商直接投資登記，並開立供投資者繳付"
            "註冊資本的資本金帳戶。",
        ),
        (
            (3, "Bank chosen and appointment booked", "选定银行并预约", "選定銀行並預約"),
            (9, "Documents checked", "核对开户材料", "核對開戶材料"),
            (22.5, "Account opened at the bank", "到银行办理开户", "到銀行辦理開戶"),
            (
                37.5,
                "Foreign direct investment registration and capital account",
                "外商直接投资登记及资本金账户",
                "外商直接投資登記及資本金帳戶",
            ),
        ),
    ),
    Offer(
        "hz-cnipa-filing",
        ServiceCategory.IP,
        cny(6000),
        (),
        STANDARD,
        ("Patent and trademark filing with CNIPA", "国家知识产权局专利及商标申请", "國家知識產權局專利及商標申請"),
        (
            "Through our partner patent and trademark agency, which applicants without a domicile in China "
            "must use, we file invention, utility model and design patents and trademarks with the China "
            "National Intellectual Property Administration, claim your foreign priority (12 months for "
            "inventions and utility models, 6 for designs and trademarks) and enter PCT applications into "
            "the Chinese national phase at 30 months.",
            "我们通过合作专利及商标代理机构（在中国没有经常居所的申请人必须委托）向国家知识产权局提交发明、"
            "实用新型及外观设计专利和商标申请，主张外国优先权（发明和实用新型 12 个月，外观设计和商标 6 个月），"
            "并于 30 个月时办理 PCT 申请进入中国国家阶段。",
            "我們通過合作專利及商標代理機構（在中國沒有經常居所的申請人必須委託）向國家知識產權局提交發明、"
            "實用新型及外觀設計專利和商標申請，主張外國優先權（發明和實用新型 12 個月，外觀設計和商標 6 個月），"
            "並於 30 個月時辦理 PCT 申請進入中國國家階段。",
        ),
        (
            (7.5, "Filing plan and priority dates checked", "确定申请方案并核对优先权日", "確定申請方案並核對優先權日"),
            (45, "Translations and forms prepared", "准备译文及申请表格", "準備譯文及申請表格"),
            (75, "Filed with CNIPA", "向国家知识产权局递交", "向國家知識產權局遞交"),
            (90, "Filing receipt and next deadlines delivered", "交付受理通知书及后续期限", "交付受理通知書及後續期限"),
        ),
    ),
    Offer(
        "hz-vat-registration",
        ServiceCategory.LEGAL_TAX,
        cny(4000),
        (D.BUSINESS_LICENCE,),
        STANDARD,
        ("VAT registration and digital invoicing", "增值税一般纳税人登记及数电发票", "增值稅一般納稅人登記及數電發票"),
        (
            "We complete the company's tax information with the Hangzhou tax bureau, register it as a "
            "general VAT taxpayer (required above CNY 5 million of annual sales, and worth doing earlier "
            "when your customers need VAT invoices at 13 % or 6 % to deduct), set up fully digital invoicing "
            "and agree a monthly filing calendar with your bookkeeper.",
            "我们为企业在杭州税务部门完善涉税信息，办理增值税一般纳税人登记（年应税销售额超过 500 万元须登记；"
            "如客户需要 13% 或 6% 的增值税专用发票抵扣，亦宜提前登记），开通数电发票，并与您的记账人员确定"
            "每月申报日程。",
            "我們為企業在杭州稅務部門完善涉稅信息，辦理增值稅一般納稅人登記（年應稅銷售額超過 500 萬元須登記；"
            "如客戶需要 13% 或 6% 的增值稅專用發票抵扣，亦宜提前登記），開通數電發票，並與您的記帳人員確定"
            "每月申報日程。",
        ),
        (
            (7.5, "Tax information completed", "完善涉税信息", "完善涉稅信息"),
            (30, "General taxpayer registration", "办理一般纳税人登记", "辦理一般納稅人登記"),
            (60, "Digital invoicing set up", "开通数电发票", "開通數電發票"),
            (75, "Filing calendar agreed", "确定申报日程", "確定申報日程"),
        ),
    ),
]

CATALOGUES = {HK: HK_CATALOGUE, HZ: HZ_CATALOGUE}


def _policy(unit: Unit, spec: PolicySpec) -> SLAPolicy:
    policy, created = SLAPolicy.objects.get_or_create(
        unit=unit,
        name=spec.name,
        defaults={
            "calendar": spec.calendar,
            "first_response_hours": Decimal(spec.first_response),
            "resolution_hours": Decimal(spec.resolution),
        },
    )
    if created:
        WorkingPeriod.objects.bulk_create(
            WorkingPeriod(policy=policy, weekday=weekday, starts=starts, ends=ends)
            for weekday, periods in spec.hours.items()
            for starts, ends in periods
        )
    return policy


def _texts(prefix: str, texts: tuple) -> dict:
    return dict(zip((f"{prefix}_en", f"{prefix}_zh_hans", f"{prefix}_zh_hant"), texts, strict=True))


@transaction.atomic
def seed_catalogues() -> int:
    """Each centre's policies and services, what is missing of them; the number of services made."""
    made = 0
    for code, offers in CATALOGUES.items():
        unit = Unit.objects.get(code=code)
        policies = {key: _policy(unit, spec) for key, spec in POLICIES[code].items()}
        for order, offer in enumerate(offers, start=1):
            if Service.objects.filter(slug=offer.slug).exists():
                continue
            service = Service.objects.create(
                unit=unit,
                slug=offer.slug,
                category=offer.category,
                fee=offer.fee,
                required_documents=[str(document) for document in offer.documents],
                sla_policy=policies[offer.policy],
                order=order * 10,
                **_texts("name", offer.name),
                **_texts("description", offer.description),
            )
            ServiceStep.objects.bulk_create(
                ServiceStep(service=service, order=index, target_hours=Decimal(str(hours)), **_texts("title", texts))
                for index, (hours, *texts) in enumerate(offer.steps, start=1)
            )
            made += 1
    return made
