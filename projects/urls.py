from django.urls import path

from projects.views import applications, attachments, calls, oversight, recommendation, rows, submission, summary

app_name = "projects"

urlpatterns = [
    # Calls (申报批次): public notice pages; management by the secretariat
    path("calls/", calls.call_list, name="call_list"),
    path("calls/new/", calls.call_create, name="call_create"),
    path("calls/<int:pk>/", calls.call_detail, name="call_detail"),
    path("calls/<int:pk>/edit/", calls.call_edit, name="call_edit"),
    path("calls/<int:pk>/preview/", calls.call_preview, name="call_preview"),
    path("calls/<int:pk>/publish/", calls.call_publish, name="call_publish"),
    path("calls/<int:pk>/unpublish/", calls.call_unpublish, name="call_unpublish"),
    path("calls/<int:pk>/attachments/", calls.call_attachment_create, name="call_attachment_create"),
    path("calls/<int:pk>/attachments/<int:attachment_pk>/", calls.call_attachment_download, name="call_attachment"),
    path(
        "calls/<int:pk>/attachments/<int:attachment_pk>/delete/",
        calls.call_attachment_delete,
        name="call_attachment_delete",
    ),
    path("calls/<int:pk>/quotas/", calls.call_quotas, name="call_quotas"),
    path("calls/<int:pk>/extensions/", calls.call_extensions, name="call_extensions"),
    # The group's summary table (汇总表) of its applications in a call
    path("calls/<int:pk>/summary/", summary.group_summary, name="group_summary"),
    path("calls/<int:pk>/summary/print/", summary.group_summary_print, name="group_summary_print"),
    # Applications (申报书)
    path("applications/", applications.application_list, name="application_list"),
    path("applications/new/", applications.application_create, name="application_create"),
    path("applications/<int:pk>/", applications.application_detail, name="application_detail"),
    path("applications/<int:pk>/edit/<slug:section>/", applications.application_edit, name="application_edit"),
    path("applications/<int:pk>/submit/", submission.application_submit, name="application_submit"),
    path("applications/<int:pk>/receipt/<int:number>/", submission.application_receipt, name="application_receipt"),
    path("applications/<int:pk>/withdraw/", applications.application_withdraw, name="application_withdraw"),
    path("applications/<int:pk>/print/", applications.application_print, name="application_print"),
    path("applications/<int:pk>/pdf/", applications.application_pdf, name="application_pdf"),
    path("applications/<int:pk>/attachments/", attachments.attachment_upload, name="attachment_upload"),
    path(
        "applications/<int:pk>/attachments/<int:attachment_pk>/",
        attachments.attachment_download,
        name="attachment_download",
    ),
    path(
        "applications/<int:pk>/attachments/<int:attachment_pk>/delete/",
        attachments.attachment_delete,
        name="attachment_delete",
    ),
]

# What a first-time user stumbles on (issue 10): table rows added in the page
urlpatterns += [
    path("applications/<int:pk>/edit/<slug:section>/row/", rows.application_row, name="application_row"),
]

# The recommender's inbox and decisions (issue 5)
urlpatterns += [
    path("recommendations/", recommendation.inbox, name="recommendation_inbox"),
    path("applications/<int:pk>/decide/", recommendation.decide, name="application_decide"),
    path("recommendations/<int:call_pk>/ranks/", recommendation.recommendation_ranks, name="recommendation_ranks"),
    path("recommendations/<int:call_pk>/letter/", recommendation.recommendation_letter, name="recommendation_letter"),
]

# The secretariat's view of the recommendation stage and the formal check (issue 5)
urlpatterns += [
    path("calls/<int:pk>/recommenders/", oversight.call_recommenders, name="call_recommenders"),
    path("calls/<int:pk>/recommenders.csv", oversight.call_recommenders_csv, name="call_recommenders_csv"),
    path(
        "calls/<int:pk>/recommenders/<int:organisation_pk>/extension/",
        oversight.recommender_extension,
        name="recommender_extension",
    ),
    path("calls/<int:pk>/formal-check/", oversight.formal_check, name="formal_check"),
    path("applications/<int:pk>/formal-check/", oversight.application_formal_check, name="application_formal_check"),
]
