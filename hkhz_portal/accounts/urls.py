from django.urls import path

from . import views

urlpatterns = [
    path("dashboard/", views.dashboard, name="dashboard"),
    path("workspace/<slug:slug>/", views.workspace, name="workspace"),
    path("profile/", views.profile, name="profile"),
    path("profile/notifications/", views.notification_settings, name="notification_settings"),
    path("partner/api-keys/", views.api_keys, name="partner_api_keys"),
    path("partner/api-keys/new/", views.api_key_created, name="partner_api_key_created"),
    path("partner/api-keys/<int:pk>/revoke/", views.api_key_revoke, name="partner_api_key_revoke"),
    path("i18n/setlang/", views.switch_language, name="set_language"),
    # allauth's own pages: the first TOTP set-up takes the page the user wanted on to the
    # recovery codes; the "we sent you a link" page can send it again.
    path("accounts/confirm-email/", views.VerificationSent.as_view(), name="account_email_verification_sent"),
    path("accounts/2fa/totp/activate/", views.ActivateTOTP.as_view(), name="mfa_activate_totp"),
    path("accounts/2fa/recovery-codes/", views.RecoveryCodes.as_view(), name="mfa_view_recovery_codes"),
]
