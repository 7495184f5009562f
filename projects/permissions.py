"""Who may do what with calls and applications: guardian object permissions plus the object's state.

Each move has a right (`may_<verb>`): whether the user may ever make it on this application, whatever its state
(a guardian permission or a role). `can_<verb>` is that right and the state now: what a page asks to decide
whether to offer the move. `projects.workflow` asks the right first (403), then the state (409), then the dates,
so that a user who may see an application but never act on it hears so in every state.
"""

from django.contrib.auth.models import AnonymousUser
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q

from portal.choices import OrganisationKind
from portal.models import Membership, Organisation, User
from portal.permissions import is_secretariat
from projects.models import (
    Application,
    ApplicationGroupObjectPermission,
    ApplicationStatus,
    ApplicationUserObjectPermission,
    Call,
)

AnyUser = User | AnonymousUser | None
S = ApplicationStatus

EDITABLE = frozenset({S.DRAFT, S.RETURNED})
WITHDRAWABLE = frozenset({S.DRAFT, S.SUBMITTED, S.RETURNED, S.RECOMMENDED, S.UNDER_REVIEW})

# Submitted at least once: from then on the recommender and the secretariat see it, whatever happened since
# (returned, withdrawn). A draft that never was is its group's own work, even once withdrawn.
SUBMITTED_ONCE = Q(submission_count__gt=0)


def _logged_in(user: AnyUser) -> bool:
    return user is not None and user.is_authenticated


def read_rights_once(user: AnyUser) -> None:
    """For the rest of this request, read the user's rights on each application once, not once per question.

    A page asks several (see, edit, decide). The rights read are kept on the request's user, which lives as
    long as the request: rights granted to that user later in the same request would not be seen, and none are
    (a transition grants, then the view redirects).
    """
    if _logged_in(user) and not hasattr(user, "application_rights"):
        user.application_rights = {}


def rights_on(user: User, application: Application) -> frozenset[str]:
    """The codenames of the rights the user holds on the application, given to them or to one of their groups:
    one query on the direct-foreign-key tables (guardian's checker asks two, each joined to the content types)."""
    permission = "permission__codename"
    by_user = ApplicationUserObjectPermission.objects.filter(user=user, content_object=application)
    by_group = ApplicationGroupObjectPermission.objects.filter(group__user=user, content_object=application)
    codenames = by_user.values_list(permission, flat=True).union(by_group.values_list(permission, flat=True))
    return frozenset(codenames)


def granted(user: User, codename: str) -> Q:
    """The applications the user holds `projects.<codename>` on, given to them or to one of their groups: what
    guardian's `get_objects_for_user` finds, as two subqueries on the direct-foreign-key tables' indexes.

    Guardian builds the same condition in several times the time (it is generic over models and checks), and
    every list asks it two or three times a request. As guardian does, a superuser holds every right.
    """
    if user.is_superuser:
        return Q(pk__isnull=False)
    permission = {
        "permission__content_type": ContentType.objects.get_for_model(Application),
        "permission__codename": codename,
    }
    by_user = ApplicationUserObjectPermission.objects.filter(user=user, **permission)
    by_group = ApplicationGroupObjectPermission.objects.filter(group__user=user, **permission)
    return Q(pk__in=by_user.values("content_object_id")) | Q(pk__in=by_group.values("content_object_id"))


def _has(user: User, perm: str, application: Application) -> bool:
    """`user.has_perm(perm, application)` as guardian answers it: an active superuser holds every right, an
    inactive user none, anyone else what was granted on the application (read once a request when asked)."""
    if not user.is_active:
        return False
    if user.is_superuser:
        return True
    known = getattr(user, "application_rights", None)
    rights = known.get(application.pk) if known is not None else None
    if rights is None:
        rights = rights_on(user, application)
        if known is not None:
            known[application.pk] = rights
    return perm.removeprefix("projects.") in rights


def acts_for(user: AnyUser, organisation: Organisation) -> bool:
    return (
        _logged_in(user)
        and Membership.objects.filter(user=user, organisation=organisation, organisation__is_active=True).exists()
    )


def can_apply(user: AnyUser, group: Organisation) -> bool:
    """Staff of an active social group may start applications for it."""
    return group.kind == OrganisationKind.SOCIAL_GROUP and acts_for(user, group)


def submitted_once(application: Application) -> bool:
    """As `SUBMITTED_ONCE`, for one application."""
    return application.submission_count > 0


def can_view(user: AnyUser, application: Application) -> bool:
    """The group's staff always; the recommender's (view right, granted on submit) and the secretariat from the
    first submission on. The secretariat's role alone would see every draft: it waits for the submission."""
    if not _logged_in(user):
        return False
    if _has(user, "projects.view_application", application):
        return True
    return submitted_once(application) and is_secretariat(user)


# --- rights: may the user ever make the move on this application, whatever its state -----------------
def may_edit(user: AnyUser, application: Application) -> bool:
    """The group's staff (the change right, granted on create): they edit, submit and withdraw."""
    return _logged_in(user) and _has(user, "projects.change_application", application)


may_submit = may_withdraw = may_edit


def may_decide(user: AnyUser, application: Application) -> bool:
    """Staff of the application's recommender (the recommend right, granted on submit): they return,
    recommend or decline. A ministry-managed group's application has no recommender, so no one decides."""
    return (
        application.recommender_id is not None
        and _logged_in(user)
        and _has(user, "projects.recommend_application", application)
        # The right is never revoked: a group may name another recommender in a returned application, and the
        # one it named before keeps the right it was granted, not the decision.
        and acts_for(user, application.recommender)
    )


def may_check_formally(user: AnyUser, application: Application) -> bool:
    """The secretariat makes the formal check (形式审查): it admits or rejects as ineligible."""
    return _logged_in(user) and is_secretariat(user)


def may_shortlist(user: AnyUser, application: Application) -> bool:
    """The secretariat decides the expert review's outcome: it shortlists or marks not selected."""
    return _logged_in(user) and is_secretariat(user)


def may_run_notice(user: AnyUser, application: Application) -> bool:
    """The public notice opens and closes by the scheduled job (no user); the secretariat may close one held back
    by an objection it has dismissed."""
    return user is None or (_logged_in(user) and is_secretariat(user))


def may_handle_objections(user: AnyUser, application: Application) -> bool:
    return _logged_in(user) and is_secretariat(user)


# --- the right and the state now: whether a page offers the move ---------------------------------------
def can_edit(user: AnyUser, application: Application) -> bool:
    """The group's staff, while the application is a draft or returned to them."""
    return application.status in EDITABLE and may_edit(user, application)


def can_withdraw(user: AnyUser, application: Application) -> bool:
    """The group's staff, before expert review."""
    return application.status in WITHDRAWABLE and may_withdraw(user, application)


def can_manage_calls(user: AnyUser) -> bool:
    return _logged_in(user) and is_secretariat(user)


def can_view_call(user: AnyUser, call: Call) -> bool:
    """A published call is a public notice; until it is published, the secretariat's draft."""
    return call.is_published or can_manage_calls(user)


def can_recommend(user: AnyUser, application: Application) -> bool:
    """Staff of the application's recommender, while it awaits their decision.

    The right is granted to the recommender's group on submit and not revoked on withdraw: the state decides.
    """
    return application.status == S.SUBMITTED and may_decide(user, application)


def can_check_formally(user: AnyUser, application: Application) -> bool:
    """The secretariat, while the application is recommended and awaits the formal check (形式审查)."""
    return application.status == S.RECOMMENDED and may_check_formally(user, application)
