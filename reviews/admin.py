"""The Django admin for the review stage."""

from django.contrib import admin

from reviews.models import Expert


@admin.register(Expert)
class ExpertAdmin(admin.ModelAdmin):
    list_display = ["user", "affiliation", "title", "speciality", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["user__username", "user__name", "affiliation", "speciality"]
    autocomplete_fields = ["user"]
    list_select_related = ["user"]
