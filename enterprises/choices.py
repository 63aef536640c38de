"""Fixed vocabularies of the enterprise profile, declared once for models, forms, API and demo data."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    MAINLAND = "mainland", _("Mainland China")
    HONG_KONG = "hong_kong", _("Hong Kong")
    OVERSEAS = "overseas", _("Overseas")


class Residency(models.TextChoices):
    MAINLAND = "mainland", _("Mainland")
    HONG_KONG = "hong_kong", _("Hong Kong")


#: An export-log entry's residency: the one enterprise's, or both when the records of several
#: enterprises left at once (a call's applications) and they reside on both sides.
BOTH_RESIDENCIES = "both"
LOGGED_RESIDENCIES = [*Residency.choices, (BOTH_RESIDENCIES, _("Mainland and Hong Kong"))]


#: Hangzhou's districts since the 2021 reorganisation (GB/T 2260 codes).
class HangzhouDistrict(models.TextChoices):
    SHANGCHENG = "330102", _("Shangcheng 上城区")
    GONGSHU = "330105", _("Gongshu 拱墅区")
    XIHU = "330106", _("Xihu 西湖区")
    BINJIANG = "330108", _("Binjiang 滨江区")
    XIAOSHAN = "330109", _("Xiaoshan 萧山区")
    YUHANG = "330110", _("Yuhang 余杭区")
    FUYANG = "330111", _("Fuyang 富阳区")
    LINAN = "330112", _("Lin'an 临安区")
    LINPING = "330113", _("Linping 临平区")
    QIANTANG = "330114", _("Qiantang 钱塘区")
    TONGLU = "330122", _("Tonglu 桐庐县")
    CHUNAN = "330127", _("Chun'an 淳安县")
    JIANDE = "330182", _("Jiande 建德市")


class Sector(models.TextChoices):
    BIOPHARMA = "biopharma", _("Biopharma")
    MEDICAL_DEVICES = "medical_devices", _("Medical devices")
    AI_DATA = "ai_data", _("AI and data")
    ICT_SEMICONDUCTORS = "ict_semiconductors", _("ICT and semiconductors")
    NEW_MATERIALS = "new_materials", _("New materials")
    GREEN_ENERGY = "green_energy", _("Green and energy tech")
    FINTECH = "fintech", _("Fintech")
    ADVANCED_MANUFACTURING = "advanced_manufacturing", _("Advanced manufacturing")
    OTHER = "other", _("Other")


class Stage(models.TextChoices):
    IDEA = "idea", _("Idea")
    SEED = "seed", _("Seed")
    EARLY = "early", _("Early")
    GROWTH = "growth", _("Growth")
    LISTED = "listed", _("Listed")


class Headcount(models.TextChoices):
    UP_TO_9 = "1-9", _("1–9 staff")
    UP_TO_49 = "10-49", _("10–49 staff")
    UP_TO_199 = "50-199", _("50–199 staff")
    UP_TO_999 = "200-999", _("200–999 staff")
    OVER_1000 = "1000+", _("1,000 staff or more")


CURRENCIES = [("CNY", "CNY"), ("HKD", "HKD"), ("USD", "USD")]


class MemberRole(models.TextChoices):
    OWNER = "owner", _("Owner")
    MEMBER = "member", _("Member")


class DocumentType(models.TextChoices):
    BUSINESS_LICENCE = "business_licence", _("Business licence")
    ARTICLES = "articles", _("Articles of association")
    FINANCIAL_STATEMENTS = "financial_statements", _("Audited financial statements")
    PITCH_DECK = "pitch_deck", _("Pitch deck")
    BUSINESS_PLAN = "business_plan", _("Business plan")
    BR_CERTIFICATE = "br_certificate", _("Business Registration certificate")
    INCORPORATION_CERTIFICATE = "incorporation_certificate", _("Certificate of incorporation")
    STAFF_CVS = "staff_cvs", _("Staff CVs")
    IP_CERTIFICATE = "ip_certificate", _("IP certificate")
    REGULATORY_APPROVAL = "regulatory_approval", _("Regulatory approval")
    OTHER = "other", _("Other")


class Modality(models.TextChoices):
    SMALL_MOLECULE = "small_molecule", _("Small molecule")
    BIOLOGIC = "biologic", _("Biologic")
    MEDICAL_DEVICE = "medical_device", _("Medical device")
    DIAGNOSTIC = "diagnostic", _("Diagnostic")
    OTHER = "other", _("Other")


class Jurisdiction(models.TextChoices):
    NMPA = "nmpa", _("NMPA (China)")
    FDA = "fda", _("FDA (United States)")
    EMA = "ema", _("EMA (European Union)")
    HK_DOH = "hk_doh", _("Department of Health (Hong Kong)")
    OTHER = "other", _("Other")


class Pathway(models.TextChoices):
    """In the order a product usually meets them: the rows of the side-by-side view."""

    IND = "ind", _("IND")
    NDA = "nda", _("NDA")
    BLA = "bla", _("BLA")
    K510 = "510k", _("510(k)")
    DE_NOVO = "de_novo", _("De Novo")
    PMA = "pma", _("PMA")
    NMPA_CLASS_I = "nmpa_class_i", _("NMPA class I filing")
    NMPA_CLASS_II = "nmpa_class_ii", _("NMPA class II registration")
    NMPA_CLASS_III = "nmpa_class_iii", _("NMPA class III registration")
    OTHER = "other", _("Other")


class MilestoneStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    SUBMITTED = "submitted", _("Submitted")
    ACCEPTED = "accepted", _("Accepted")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class ConsentScope(models.TextChoices):
    BOTH_WAYS = "both_ways", _("Between the mainland and Hong Kong, both ways")
    MAINLAND_TO_HK = "mainland_to_hk", _("From the mainland to Hong Kong")
    HK_TO_MAINLAND = "hk_to_mainland", _("From Hong Kong to the mainland")


class ExportKind(models.TextChoices):
    DOCUMENT_DOWNLOAD = "document_download", _("Document download")
    API_READ = "api_read", _("API read of personal data")
    STAFF_VIEW = "staff_view", _("Staff view of personal data")
    CALL_EXPORT = "call_export", _("Export of a call's applications")
