from django.urls import path

from . import views

urlpatterns = [
    path("dashboard/", views.dashboard, name="dashboard"),
    path("workspace/<slug:slug>/", views.workspace, name="workspace"),
    path("profile/", views.profile, name="profile"),
    path("i18n/setlang/", views.switch_language, name="set_language"),
    # allauth's own pages, taking the page the user wanted through the first TOTP set-up.
    path("accounts/2fa/totp/activate/", views.ActivateTOTP.as_view(), name="mfa_activate_totp"),
    path("accounts/2fa/recovery-codes/", views.RecoveryCodes.as_view(), name="mfa_view_recovery_codes"),
]
