"""Who may do what with calls and applications: guardian object permissions plus the object's state."""

from django.contrib.auth.models import AnonymousUser

from portal.choices import OrganisationKind
from portal.models import Membership, Organisation, User
from portal.permissions import is_secretariat
from projects.models import Application, ApplicationStatus

AnyUser = User | AnonymousUser
S = ApplicationStatus

EDITABLE = frozenset({S.DRAFT, S.RETURNED})
WITHDRAWABLE = frozenset({S.DRAFT, S.SUBMITTED, S.RETURNED, S.RECOMMENDED})


def acts_for(user: AnyUser, organisation: Organisation) -> bool:
    return (
        user.is_authenticated
        and Membership.objects.filter(user=user, organisation=organisation, organisation__is_active=True).exists()
    )


def can_apply(user: AnyUser, group: Organisation) -> bool:
    """Staff of an active social group may start applications for it."""
    return group.kind == OrganisationKind.SOCIAL_GROUP and acts_for(user, group)


def can_view(user: AnyUser, application: Application) -> bool:
    if not user.is_authenticated:
        return False
    return is_secretariat(user) or user.has_perm("projects.view_application", application)


def _is_applicant(user: AnyUser, application: Application) -> bool:
    return user is not None and user.is_authenticated and user.has_perm("projects.change_application", application)


def can_edit(user: AnyUser, application: Application) -> bool:
    """The group's staff, while the application is a draft or returned to them."""
    return application.status in EDITABLE and _is_applicant(user, application)


def can_withdraw(user: AnyUser, application: Application) -> bool:
    """The group's staff, before expert review."""
    return application.status in WITHDRAWABLE and _is_applicant(user, application)


def can_manage_calls(user: AnyUser) -> bool:
    return user.is_authenticated and is_secretariat(user)


def can_recommend(user: AnyUser, application: Application) -> bool:
    """Staff of the application's recommender, while it awaits their decision.

    The right is granted to the recommender's group on submit and not revoked on withdraw: the state decides.
    """
    return (
        application.status == S.SUBMITTED
        and user is not None
        and user.is_authenticated
        and user.has_perm("projects.recommend_application", application)
    )


def can_check_formally(user: AnyUser, application: Application) -> bool:
    """The secretariat, while the application is recommended and awaits the formal check (形式审查)."""
    return application.status == S.RECOMMENDED and user is not None and user.is_authenticated and is_secretariat(user)
