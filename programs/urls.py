from django.urls import include, path

from .views import applicant, calls, dashboard, decisions, drafts, exports, reviews, staff

app_name = "programs"

A = "applications/<ref:reference>/"
S = "staff/applications/"
R = "reviews/<int:pk>/"

urlpatterns = [
    path("calls/", calls.call_list, name="call_list"),
    path("calls/<slug:slug>/", calls.call_detail, name="call"),
    path("calls/<slug:slug>/start/", calls.call_start, name="call_start"),
    path("applications/", applicant.application_list, name="application_list"),
    path(A, applicant.application_detail, name="application"),
    path(A + "status/", applicant.application_status, name="application_status"),
    path(A + "withdraw/", applicant.application_withdraw, name="application_withdraw"),
    path(A + "respond/", applicant.application_respond, name="application_respond"),
    path(A + "accept/", applicant.application_accept, name="application_accept"),
    path(A + "letter/", decisions.decision_letter, name="decision_letter"),
    path(A + "edit/", drafts.application_edit, name="application_edit"),
    path(A + "edit/<slug:section>/", drafts.application_step, name="application_step"),
    path(A + "edit/<slug:section>/autosave/", drafts.application_autosave, name="application_autosave"),
    path(A + "review/", drafts.application_review, name="application_review"),
    path(S, staff.queue, name="staff_queue"),
    path(S + "workflow/", staff.workflow_help, name="staff_workflow"),
    path(S + "<ref:reference>/", staff.application, name="staff_application"),
    path(S + "<ref:reference>/reviewers/assign/", staff.reviewer_assign, name="staff_reviewer_assign"),
    path(
        S + "<ref:reference>/reviewers/<int:assignment>/replace/",
        staff.reviewer_replace,
        name="staff_reviewer_replace",
    ),
    path(S + "<ref:reference>/reviews/close/", staff.reviews_close, name="staff_reviews_close"),
    path("staff/calls/<slug:slug>/exports/", exports.call_exports, name="staff_exports"),
    path("staff/calls/<slug:slug>/exports/<int:pk>/", exports.download_export, name="staff_export_download"),
    path("staff/dashboard/", dashboard.dashboard, name="staff_dashboard"),
    path("reviews/", reviews.review_list, name="reviews"),
    path("reviews/organisations/", reviews.organisation_add, name="review_organisation_add"),
    path(R, reviews.review, name="review"),
    path(R + "declare/", reviews.review_declare, name="review_declare"),
    path(
        R + "documents/<int:document>/v<int:number>/",
        reviews.review_document_download,
        name="review_document_download",
    ),
    path(S + "<ref:reference>/onboarding/", staff.record_onboarding, name="staff_onboarding"),
    path(S + "<ref:reference>/<slug:transition>/", staff.application_action, name="staff_application_action"),
    path("staff/calls/<slug:slug>/ranking/", decisions.ranking, name="staff_ranking"),
    path("", include("programs.centres.urls")),
]
