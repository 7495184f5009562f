"""The Django admin for the portal's shared models. Writes that must be audited go through the services."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db.models import Model
from django.forms import BaseInlineFormSet, ModelForm
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from portal import services
from portal.models import (
    AuditEvent,
    CalendarDay,
    Invitation,
    Membership,
    Notification,
    Organisation,
    RegistrationRequest,
    User,
)


def _adopt(unsaved: Model, saved: Model) -> None:
    """Give the admin's unsaved instance the saved row's values, so its inlines and log entry find it."""
    for field in saved._meta.concrete_fields:
        setattr(unsaved, field.attname, getattr(saved, field.attname))
    unsaved._state.adding = False
    unsaved._state.db = saved._state.db


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 1
    autocomplete_fields = ["user"]
    # Administrators are named on the organisation's page, where the change is audited and the last one kept.
    fields = ["user", "title", "is_admin", "created_at"]
    readonly_fields = ["is_admin", "created_at"]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "kind", "social_group_type", "province", "ministry_managed", "is_active"]
    list_filter = ["kind", "social_group_type", "province", "ministry_managed", "is_active"]
    search_fields = ["name", "short_name", "code", "credit_code"]
    readonly_fields = ["created_at"]
    inlines = [MembershipInline]

    def save_model(self, request: HttpRequest, obj: Organisation, form: ModelForm, change: bool) -> None:
        if change:
            super().save_model(request, obj, form, change)
            return
        # Through the service, so the organisation gets its permission group and an audit event.
        data = form.cleaned_data
        created = services.create_organisation(
            name=data["name"],
            code=data["code"],
            kind=data["kind"],
            credit_code=data["credit_code"],
            province=data.get("province", ""),
            social_group_type=data.get("social_group_type", ""),
            ministry_managed=data.get("ministry_managed", False),
            short_name=data.get("short_name", ""),
            by=request.user,
        )
        if not data.get("is_active", True):
            created.is_active = False
            created.save(update_fields=["is_active"])
        _adopt(obj, created)

    def save_formset(self, request: HttpRequest, form: ModelForm, formset: BaseInlineFormSet, change: bool) -> None:
        if formset.model is not Membership:
            super().save_formset(request, form, formset, change)
            return
        # Memberships carry the organisation's permission group: joining and leaving go through the services.
        memberships = formset.save(commit=False)
        for membership in formset.deleted_objects:
            services.remove_member(user=membership.user, organisation=form.instance, by=request.user)
        for membership in memberships:
            if membership.pk is None:
                added = services.add_member(
                    user=membership.user, organisation=form.instance, title=membership.title, by=request.user
                )
                _adopt(membership, added)
            else:
                membership.save()


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = ["username", "name", "email", "email_confirmed_at", "phone", "is_active", "is_staff"]
    search_fields = ["username", "name", "email", "phone"]
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Personal info"), {"fields": ("name", "email", "phone")}),
        (_("Permissions"), {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")}),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("username", "name", "email", "usable_password", "password1", "password2"),
            },
        ),
    )


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only: the log is appended to by `portal.audit.record` and never changed, here or anywhere."""

    list_display = ["id", "created_at", "actor_label", "action", "target_label", "from_state", "to_state", "ip_address"]
    list_filter = ["action", "target_type", "created_at"]
    search_fields = ["actor_label", "actor__username", "target_label", "note"]
    date_hierarchy = "created_at"
    list_select_related = ["target_type"]
    actions = None

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: AuditEvent | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: AuditEvent | None = None) -> bool:
        return False


@admin.register(CalendarDay)
class CalendarDayAdmin(admin.ModelAdmin):
    """Every change goes through the calendar services, so each one is audited like the secretariat's page."""

    list_display = ["date", "kind", "name"]
    list_filter = ["kind"]
    search_fields = ["name"]
    date_hierarchy = "date"

    def get_readonly_fields(self, request: HttpRequest, obj: CalendarDay | None = None) -> list[str]:
        # A different date is a different entry: delete this one and add that one.
        return ["date"] if obj is not None else []

    def save_model(self, request: HttpRequest, obj: CalendarDay, form: ModelForm, change: bool) -> None:
        saved = services.set_calendar_day(day=obj.date, kind=obj.kind, name=obj.name, by=request.user)
        _adopt(obj, saved)

    def delete_model(self, request: HttpRequest, obj: CalendarDay) -> None:
        services.delete_calendar_day(day=obj.date, by=request.user)

    def delete_queryset(self, request: HttpRequest, queryset) -> None:
        for entry in queryset:
            services.delete_calendar_day(day=entry.date, by=request.user)


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    """To look into what a user was told; written only by `portal.notifications.notify`, so never added or edited
    here (deleting one, e.g. for a departed user, is allowed)."""

    list_display = ["created_at", "recipient", "subject", "read_at"]
    list_filter = [("read_at", admin.EmptyFieldListFilter), "created_at"]
    search_fields = ["recipient__username", "recipient__name", "subject", "key"]
    date_hierarchy = "created_at"
    list_select_related = ["recipient"]
    actions = None

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Notification | None = None) -> bool:
        return False


class _ReadOnlyAdmin(admin.ModelAdmin):
    """To look into; decided and changed only on the portal's pages, where each step is audited."""

    actions = None

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


@admin.register(RegistrationRequest)
class RegistrationRequestAdmin(_ReadOnlyAdmin):
    list_display = ["created_at", "name", "credit_code", "status", "contact", "decided_at"]
    list_filter = ["status", "province", "social_group_type"]
    search_fields = ["name", "code", "credit_code", "contact__username", "contact__email"]
    list_select_related = ["contact"]


@admin.register(Invitation)
class InvitationAdmin(_ReadOnlyAdmin):
    list_display = ["created_at", "organisation", "email", "as_admin", "expires_at", "accepted_at", "revoked_at"]
    list_filter = ["as_admin", ("accepted_at", admin.EmptyFieldListFilter), ("revoked_at", admin.EmptyFieldListFilter)]
    search_fields = ["email", "organisation__name"]
    list_select_related = ["organisation"]
    exclude = ["token_hash"]
