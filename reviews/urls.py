"""The review stage's URLs, mounted at the site root: /experts/…, /calls/<pk>/panels/ and /panels/…."""

from django.urls import path

from reviews import urls_assignments, urls_queue, urls_ranking
from reviews.views import pool as views

app_name = "reviews"

urlpatterns = [
    path("experts/", views.expert_list, name="expert_list"),
    path("experts/add/", views.expert_add, name="expert_add"),
    path("experts/import/", views.expert_import, name="expert_import"),
    path("experts/import/template.csv", views.expert_import_template, name="expert_import_template"),
    path("experts/<int:pk>/", views.expert_detail, name="expert_detail"),
    path("calls/<int:pk>/panels/", views.panel_list, name="panel_list"),
    path("panels/<int:pk>/", views.panel_detail, name="panel_detail"),
    path("panels/<int:pk>/chair/", views.panel_chair, name="panel_chair"),
    path("panels/<int:pk>/members/<int:expert_pk>/remove/", views.panel_member_remove, name="panel_member_remove"),
]
# Assignments (the secretariat's), the review queue (the experts') and the ranking keep their own modules.
urlpatterns += urls_assignments.urlpatterns + urls_queue.urlpatterns + urls_ranking.urlpatterns
