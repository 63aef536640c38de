from django.urls import path

from .views import consent, directory, documents, members, profile, regulatory, sharing

E = "enterprises/<ref:reference>/"

urlpatterns = [
    path("consent/", consent.consent_page, name="consent"),
    path("consent/withdraw/", consent.consent_withdraw, name="consent_withdraw"),
    path("enterprises/", profile.enterprise_list, name="enterprise_list"),
    path("enterprises/new/", profile.EnterpriseCreateWizard.as_view(), name="enterprise_create"),
    path(E, profile.enterprise_detail, name="enterprise_detail"),
    path(E + "edit/", profile.enterprise_edit, name="enterprise_edit"),
    path(E + "contacts/", profile.contact_list, name="contact_list"),
    path(E + "contacts/<int:pk>/remove/", profile.contact_remove, name="contact_remove"),
    path(E + "contacts/<int:pk>/withdraw-consent/", profile.contact_consent_withdraw, name="contact_consent_withdraw"),
    path(E + "sharing/<slug:code>/grant/", sharing.sharing_grant, name="sharing_grant"),
    path(E + "sharing/<slug:code>/revoke/", sharing.sharing_revoke, name="sharing_revoke"),
    path(E + "members/", members.member_list, name="member_list"),
    path(E + "members/invite/", members.member_invite, name="member_invite"),
    path(E + "members/<int:pk>/role/", members.member_role, name="member_role"),
    path(E + "members/<int:pk>/remove/", members.member_remove, name="member_remove"),
    path(E + "members/<int:pk>/transfer/", members.ownership_transfer, name="ownership_transfer"),
    path(E + "invitations/<int:pk>/revoke/", members.invitation_revoke, name="invitation_revoke"),
    path(E + "invitations/<int:pk>/resend/", members.invitation_resend, name="invitation_resend"),
    path("invitations/<str:token>/", members.invitation_accept, name="invitation_accept"),
    path(E + "documents/", documents.document_list, name="document_list"),
    path(E + "documents/upload/", documents.document_upload, name="document_upload"),
    path(E + "documents/<int:pk>/upload/", documents.document_version_upload, name="document_version_upload"),
    path(E + "documents/<int:pk>/withdraw/", documents.document_withdraw, name="document_withdraw"),
    path(E + "documents/<int:pk>/v<int:number>/", documents.document_download, name="document_download"),
    path(E + "products/", regulatory.product_list, name="product_list"),
    path(E + "products/<int:pk>/", regulatory.product_detail, name="product_detail"),
    path(E + "products/<int:pk>/edit/", regulatory.product_edit, name="product_edit"),
    path(E + "products/<int:pk>/delete/", regulatory.product_delete, name="product_delete"),
    path(E + "products/<int:pk>/milestones/<int:mpk>/edit/", regulatory.milestone_edit, name="milestone_edit"),
    path(E + "products/<int:pk>/milestones/<int:mpk>/delete/", regulatory.milestone_delete, name="milestone_delete"),
    path("staff/enterprises/", directory.directory, name="enterprise_directory"),
    path("staff/enterprises/<ref:reference>/", directory.staff_enterprise_detail, name="staff_enterprise_detail"),
    path(
        "staff/enterprises/<ref:reference>/documents/<int:pk>/v<int:number>/",
        directory.staff_document_download,
        name="staff_document_download",
    ),
]
