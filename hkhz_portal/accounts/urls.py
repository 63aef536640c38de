from django.urls import path

from . import views

urlpatterns = [
    path("dashboard/", views.dashboard, name="dashboard"),
    path("workspace/<slug:slug>/", views.workspace, name="workspace"),
    path("profile/", views.profile, name="profile"),
    path("i18n/setlang/", views.switch_language, name="set_language"),
]
