"""The registry's URLs, mounted at the site root: /standards/… and /groups/…."""

from django.urls import path

from standards.views import groups, importing, public, standards

app_name = "standards"

urlpatterns = [
    path("standards/", public.standard_list, name="standard_list"),
    path("standards/new/", standards.standard_create, name="standard_create"),
    path("standards/import/", importing.standard_import, name="standard_import"),
    path("standards/import/template.csv", importing.import_template, name="import_template"),
    path("standards/<int:pk>/", public.standard_detail, name="standard_detail"),
    path("standards/<int:pk>/edit/", standards.standard_edit, name="standard_edit"),
    path("standards/<int:pk>/full-text/", public.standard_full_text, name="standard_full_text"),
    path("standards/<int:pk>/adoptions/new/", standards.adoption_create, name="adoption_create"),
    path("standards/<int:pk>/adoptions/<int:adoption_pk>/delete/", standards.adoption_delete, name="adoption_delete"),
    path("standards/<int:pk>/evaluations/new/", standards.evaluation_create, name="evaluation_create"),
    path(
        "standards/<int:pk>/evaluations/<int:evaluation_pk>/delete/",
        standards.evaluation_delete,
        name="evaluation_delete",
    ),
    path(
        "standards/<int:pk>/evaluations/<int:evaluation_pk>/report/",
        public.evaluation_report,
        name="evaluation_report",
    ),
    path("groups/", public.group_list, name="group_list"),
    path("groups/new/", groups.group_create, name="group_create"),
    path("groups/import/", importing.group_import, name="group_import"),
    path("groups/import/template.csv", importing.group_import_template, name="group_import_template"),
    path("groups/<int:pk>/", public.group_detail, name="group_detail"),
    path("groups/<int:pk>/edit/", groups.group_edit, name="group_edit"),
    path("groups/<int:pk>/documents/new/", groups.group_document_create, name="group_document_create"),
    path("groups/<int:pk>/documents/<int:document_pk>/", public.group_document, name="group_document"),
    path(
        "groups/<int:pk>/documents/<int:document_pk>/delete/",
        groups.group_document_delete,
        name="group_document_delete",
    ),
]
