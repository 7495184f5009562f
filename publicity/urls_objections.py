"""The public-notice stage's URLs for objections:
filing and tracking (public), handling (secretariat), answering (group, recommender).

In the `publicity` namespace (publicity/urls.py adds them)."""

from django.urls import path

from publicity.views import answers, objections

urlpatterns: list = [
    # The public's: the form of an open notice (?project=<number in its list>), the status by tracking number.
    path("publicity/<int:pk>/object/", objections.objection_create, name="objection_create"),
    path("publicity/objections/status/", objections.objection_status, name="objection_status"),
    # The secretariat's.
    path("publicity/objections/", objections.objection_list, name="objection_list"),
    path("publicity/objections/<int:pk>/", objections.objection_detail, name="objection_detail"),
    path("publicity/objections/<int:pk>/investigate/", objections.objection_investigate, name="objection_investigate"),
    path("publicity/objections/<int:pk>/forward/", objections.objection_forward, name="objection_forward"),
    path(
        "publicity/objections/<int:pk>/forwards/<int:forward_pk>/record/",
        objections.objection_record_answer,
        name="objection_record_answer",
    ),
    path("publicity/objections/<int:pk>/decide/", objections.objection_decide, name="objection_decide"),
    path("publicity/objections/<int:pk>/evidence/", objections.objection_evidence, name="objection_evidence"),
    # The group's and the recommender's: the questions forwarded to them.
    path("publicity/answers/", answers.answer_list, name="answer_list"),
    path("publicity/answers/<int:pk>/", answers.answer_detail, name="answer_detail"),
]
