"""Reads of objections: the notice a member of the public objects to, the secretariat's list and page, a filer's
lookup by tracking number, and the questions forwarded to an organisation.

An objection is the secretariat's alone. What a group or a recommender reads is a forward (`ObjectionForward`),
fetched here without the objection's filer, grounds or evidence.
"""

from datetime import datetime

from django.db.models import Case, IntegerField, Q, QuerySet, Value, When

from portal.models import User
from portal.permissions import is_secretariat
from projects.models import Application
from publicity.models import Notice, NoticeEntry, NoticeStatus, Objection, ObjectionForward
from publicity.models.objections import PENDING


# --- filing -----------------------------------------------------------------------------------------------
def notice_taking_objections(pk: int) -> Notice | None:
    """The notice if the public may see it (opened at some time), else None (a draft or scheduled one is not)."""
    return Notice.objects.public().select_related("call").filter(pk=pk).first()


def is_open_at(notice: Notice, now: datetime) -> bool:
    """Open for objections: opened by the job and its end not reached (the job may close it a minute later)."""
    return notice.status == NoticeStatus.OPEN and now < notice.ends_at


def listed_entries(notice: Notice) -> list[NoticeEntry]:
    """The notice's projects in the order of its list, each with what its name is made of."""
    entries = notice.entries.select_related("application__standard", "application__group")
    return list(entries.order_by("position"))


# --- the secretariat's list and page ------------------------------------------------------------------------
def _pending_first(queryset: QuerySet[Objection]) -> QuerySet[Objection]:
    pending = Case(When(status__in=PENDING, then=Value(0)), default=Value(1), output_field=IntegerField())
    return queryset.annotate(pending_order=pending).order_by("pending_order", "-created_at", "-pk")


def objection_list(*, status: str = "", notice: Notice | None = None) -> QuerySet[Objection]:
    """Every objection, pending first then newest first, filtered by status and notice; one query a page."""
    queryset = Objection.objects.select_related("notice", "application__standard", "application__group")
    if status:
        queryset = queryset.filter(status=status)
    if notice is not None:
        queryset = queryset.filter(notice=notice)
    return _pending_first(queryset.defer("grounds", "response", "finding"))


def notices_with_objections() -> QuerySet[Notice]:
    return Notice.objects.filter(objections__isnull=False).distinct().order_by("-starts_at", "-pk")


def objection_for_page() -> QuerySet[Objection]:
    return Objection.objects.select_related(
        "notice__call", "application__standard", "application__group", "application__recommender", "decided_by"
    )


def forwards_of(objection: Objection) -> list[ObjectionForward]:
    forwards = objection.forwards.select_related("organisation", "forwarded_by", "answered_by")
    return list(forwards.order_by("forwarded_at", "pk"))


def may_handle(user: User, objection: Objection) -> bool:
    return user.is_authenticated and is_secretariat(user)


# --- the filer's lookup -----------------------------------------------------------------------------------
def normal_tracking_number(text: str) -> str:
    return "".join(text.split()).upper()


def objection_of_filer(*, tracking_number: str, email: str) -> Objection | None:
    """The objection with this number whose filer gave this e-mail (without case); None for either wrong."""
    number = normal_tracking_number(tracking_number)
    found = Objection.objects.select_related("notice", "application__standard").filter(tracking_number=number)
    return found.filter(email__iexact=email.strip()).first()


# --- forwards: what the group and the recommender read ------------------------------------------------------
# Never read for a forward's pages: who filed the objection, the grounds as filed, the evidence, the finding.
FILER_FIELDS = tuple(
    f"objection__{name}"
    for name in ("name", "organisation", "phone", "email", "grounds", "evidence", "evidence_name", "finding")
)


def _acting_for(user: User) -> Q:
    return Q(organisation__memberships__user=user, organisation__is_active=True)


def forwards_for(user: User) -> QuerySet[ObjectionForward]:
    """The questions forwarded to the organisations the user acts for, unanswered first; none for anyone else."""
    if not user.is_authenticated:
        return ObjectionForward.objects.none()
    queryset = ObjectionForward.objects.filter(_acting_for(user)).distinct()
    unanswered = Case(When(answered_at__isnull=True, then=Value(0)), default=Value(1), output_field=IntegerField())
    return (
        queryset.select_related("organisation", "objection__application__standard", "objection__notice")
        .defer(*FILER_FIELDS)
        .annotate(unanswered_order=unanswered)
        .order_by("unanswered_order", "-forwarded_at", "-pk")
    )


def forward_for_page() -> QuerySet[ObjectionForward]:
    related = ("organisation", "answered_by", "objection__application__standard", "objection__notice")
    return ObjectionForward.objects.select_related(*related).defer(*FILER_FIELDS)


def may_read_forward(user: User, forward: ObjectionForward) -> bool:
    """Its organisation's staff, and the secretariat; anyone else is not told it exists."""
    if not user.is_authenticated:
        return False
    if is_secretariat(user):
        return True
    return forward.organisation.memberships.filter(user=user).exists() and forward.organisation.is_active


def may_answer(user: User, forward: ObjectionForward) -> bool:
    return user.is_authenticated and forward.organisation.memberships.filter(user=user).exists()


# --- the application page's panel ---------------------------------------------------------------------------
def objections_about(application: Application) -> list[Objection]:
    """The application's objections, pending first, without their filers; one query."""
    queryset = Objection.objects.filter(application=application).only("pk", "tracking_number", "status", "created_at")
    return list(_pending_first(queryset))


def forwards_about(application: Application, user: User) -> list[ObjectionForward]:
    """The questions forwarded to the user's organisations about the application; one query."""
    queryset = ObjectionForward.objects.filter(_acting_for(user), objection__application=application).distinct()
    return list(queryset.only("pk", "forwarded_at", "answered_at").order_by("forwarded_at", "pk"))
