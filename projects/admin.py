"""Calls and applications in the Django admin: for looking, not for editing.

The secretariat manages calls in the portal's pages, whose services check the dates, freeze the rules and
write the audit log; an application's status moves only through `projects.workflow`. An admin edit would
bypass all of that, so every page here is read-only.
"""

from django.contrib import admin

from projects.models import (
    Application,
    Attachment,
    Call,
    CallAttachment,
    DeadlineExtension,
    ImplementingEnterprise,
    IndicatorComparison,
    QuotaOverride,
)


class ReadOnlyMixin:
    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class ReadOnlyInline(ReadOnlyMixin, admin.TabularInline):
    extra = 0

    def get_readonly_fields(self, request, obj=None) -> list[str]:
        # Shown, never a form field: some (`uploaded_at`, `created_at`) are not editable at all.
        return list(self.fields)


class CallAttachmentInline(ReadOnlyInline):
    model = CallAttachment
    fields = ["kind", "title", "uploaded_at"]


class QuotaOverrideInline(ReadOnlyInline):
    model = QuotaOverride
    fields = ["recommender", "quota"]


class DeadlineExtensionInline(ReadOnlyInline):
    model = DeadlineExtension
    fields = ["organisation", "until", "reason", "granted_by", "created_at"]


@admin.register(Call)
class CallAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["title", "notice_number", "year", "opens_at", "deadline", "recommendation_deadline"]
    list_filter = ["year"]
    search_fields = ["title", "notice_number"]
    date_hierarchy = "opens_at"
    inlines = [CallAttachmentInline, QuotaOverrideInline, DeadlineExtensionInline]


class ImplementingEnterpriseInline(ReadOnlyInline):
    model = ImplementingEnterprise
    fields = ["name", "credit_code", "province"]


class IndicatorComparisonInline(ReadOnlyInline):
    model = IndicatorComparison
    fields = ["indicator", "this_standard", "national_or_industry", "international"]


class AttachmentInline(ReadOnlyInline):
    model = Attachment
    # The file itself is private: no link here; it is downloaded through the portal's checked view.
    fields = ["slot", "original_name", "size", "content_type", "uploaded_at"]


@admin.register(Application)
class ApplicationAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["__str__", "call", "group", "status", "recommender", "submitted_at"]
    list_filter = ["status", "call"]
    list_select_related = ["call", "group", "standard", "recommender"]
    search_fields = ["standard__number", "standard__title_zh", "group__name"]
    readonly_fields = ["status", "submitted_at", "submission_count", "created_by", "created_at", "updated_at"]
    inlines = [ImplementingEnterpriseInline, IndicatorComparisonInline, AttachmentInline]
