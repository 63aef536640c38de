from django.db import migrations
from django.utils import timezone

TEXT_EN = """Notice on transferring your personal data between the mainland and Hong Kong (version 2026-1)

Who receives it: the operators of the Hangzhou–Hong Kong Technology Collaborative Innovation Platform, its Go-Global Service Centre (Hong Kong), its Come-In Service Centre (Hangzhou) and the Hangzhou–Hong Kong Technology Achievement Transformation Fund. Contact: privacy@hkhz-portal.example.

Why: to assess your enterprise's applications (Hong Kong Science Park admission, centre services, investment), to contact you about them, and to keep the records the programme must keep.

How: your data is stored in the portal and read by the officers, reviewers and fund staff who handle your enterprise's requests, in Hangzhou and in Hong Kong. Nothing is sold or used for marketing.

What: your name, e-mail address, phone number and job title; what you write in applications; the documents you upload.

Your rights: you may see, correct or delete your data, and withdraw this consent at any time on your consent page or by writing to the contact above. Withdrawing stops future transfers; it does not undo transfers already made. Mainland data is handled under the Personal Information Protection Law; Hong Kong data under the Personal Data (Privacy) Ordinance."""

TEXT_ZH_HANS = """关于在内地与香港之间传输您的个人信息的告知（2026-1 版）

接收方：杭港科技协同创新平台运营方、出海服务中心（香港）、引进服务中心（杭州）及杭港科技成果转化基金。联系方式：privacy@hkhz-portal.example。

目的：审核您所在企业的申请（入驻香港科学园、服务中心服务、投资），就申请与您联系，并保存项目须保存的记录。

方式：您的信息存储于本门户，由在杭州及香港处理您企业事务的项目主任、评审专家及基金人员查阅。不会出售，亦不会用于营销。

种类：姓名、电子邮箱、电话号码及职务；您在申请中填写的内容；您上传的文件。

您的权利：您可随时查阅、更正或删除您的信息，并可在"跨境同意"页面或致函上述联系方式撤回本同意。撤回后将停止今后的传输，但不影响撤回前已进行的传输。内地信息依照《个人信息保护法》处理；香港信息依照《个人资料（私隐）条例》处理。"""

TEXT_ZH_HANT = """關於在內地與香港之間傳輸您的個人資料的告知（2026-1 版）

接收方：杭港科技協同創新平台營運方、出海服務中心（香港）、引進服務中心（杭州）及杭港科技成果轉化基金。聯絡方式：privacy@hkhz-portal.example。

目的：審核您所屬企業的申請（進駐香港科學園、服務中心服務、投資），就申請與您聯絡，並保存計劃須保存的紀錄。

方式：您的資料儲存於本門戶，由在杭州及香港處理您企業事務的項目主任、評審專家及基金人員查閱。不會出售，亦不會用於推廣。

種類：姓名、電郵地址、電話號碼及職位；您在申請中填寫的內容；您上載的文件。

您的權利：您可隨時查閱、更正或刪除您的資料，並可在「跨境同意」頁面或致函上述聯絡方式撤回本同意。撤回後將停止日後的傳輸，但不影響撤回前已進行的傳輸。內地資料依照《個人信息保護法》處理；香港資料依照《個人資料（私隱）條例》處理。"""


def publish(apps, schema_editor):
    ConsentNotice = apps.get_model("enterprises", "ConsentNotice")
    ConsentNotice.objects.get_or_create(
        version="2026-1",
        defaults={
            "published_at": timezone.now(),
            "text_en": TEXT_EN,
            "text_zh_hans": TEXT_ZH_HANS,
            "text_zh_hant": TEXT_ZH_HANT,
        },
    )


class Migration(migrations.Migration):
    dependencies = [("enterprises", "0001_initial")]

    operations = [migrations.RunPython(publish, migrations.RunPython.noop)]
