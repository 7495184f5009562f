"""The registry in the Django admin: for looking, not for editing.

Groups' staff and the secretariat maintain the registry in the portal's pages, whose services normalise
numbers, grant rights and write the audit log; an admin edit would bypass all three.
"""

from django.contrib import admin

from standards.models import Adoption, Evaluation, GroupDocument, GroupStandard, SocialGroup


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class AdoptionInline(admin.TabularInline):
    model = Adoption
    extra = 0
    fields = ["date", "kind", "title", "document_number", "conversion_target", "conversion_status"]

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(SocialGroup)
class SocialGroupAdmin(ReadOnlyAdmin):
    list_display = ["organisation", "registration_number", "legal_representative", "updated_at"]
    list_select_related = ["organisation"]
    search_fields = ["organisation__name", "organisation__code"]


@admin.register(GroupStandard)
class GroupStandardAdmin(ReadOnlyAdmin):
    list_display = ["number", "title_zh", "issuer", "status", "publication_date"]
    list_filter = ["status"]
    list_select_related = ["issuer__organisation"]
    search_fields = ["number", "number_as_typed", "title_zh", "title_en"]
    date_hierarchy = "publication_date"
    inlines = [AdoptionInline]


@admin.register(GroupDocument)
class GroupDocumentAdmin(ReadOnlyAdmin):
    list_display = ["group", "kind", "version_date", "uploaded_at"]
    list_select_related = ["group__organisation"]
    list_filter = ["kind"]


@admin.register(Evaluation)
class EvaluationAdmin(ReadOnlyAdmin):
    list_display = ["standard", "evaluator", "date"]
    list_select_related = ["standard"]
