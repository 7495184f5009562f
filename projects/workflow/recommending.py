"""The recommender's decisions (行业或地方推荐): return for revision, recommend within the quota, decline."""

from datetime import datetime

from django.utils.translation import gettext as _

from portal.models import Organisation, User
from projects import rules
from projects.models import Application
from projects.workflow.applying import _beijing
from projects.workflow.core import S, TransitionRefused, _Effects, _move, _require

# --- the recommender's decisions -------------------------------------------------------------------
# Each by staff of the application's recommender (permissions.may_decide), while it is `submitted`, before the
# recommender's deadline (with its extension). The reason or opinion goes into the audit note.


def _check_recommendation_open(application: Application, now: datetime) -> None:
    if not rules.recommendation_open(application.call, now, application.recommender):
        deadline = rules.recommendation_deadline(application.call, application.recommender)
        raise TransitionRefused(
            _("The recommendation deadline %(deadline)s (Beijing time) has passed: no decision can be made any more.")
            % {"deadline": _beijing(deadline)}
        )


def return_for_revision(application: Application, *, by: User, reason: str) -> Application:
    """Send a submitted application back to its group for revision, with the reasons the group will see."""
    reason = reason.strip()

    def effects(locked: Application, now: datetime) -> _Effects:
        _check_recommendation_open(locked, now)
        _require(reason, _("Give the reasons for returning the application."))
        return _Effects(to=S.RETURNED, fields={}, notify="returned")

    return _move(application, action="return_for_revision", by=by, effects=effects, note=reason)


def recommend(application: Application, *, by: User, opinion: str, rank: int) -> Application:
    """Recommend a submitted application with an opinion and its rank (1..quota) among the recommender's.

    The quota holds under concurrency: the recommender's organisation row is locked (after the application's,
    the one order every caller takes) before its recommendations in the call are counted, so two of its staff
    recommending at once are served one after the other. The rank may be none held by another recommendation
    that counts (`rules.COUNTS_AS_RECOMMENDED`), those the formal check has decided on included: their ranks
    stay theirs (`projects.services.recommendation` says why).
    """
    opinion = opinion.strip()

    def effects(locked: Application, now: datetime) -> _Effects:
        _check_recommendation_open(locked, now)
        _require(opinion, _("Give the recommendation opinion."))
        recommender = Organisation.objects.select_for_update().get(pk=locked.recommender_id)
        quota = rules.quota_for(locked.call, recommender)
        recommended = Application.objects.filter(
            rules.COUNTS_AS_RECOMMENDED, call=locked.call, recommender=recommender
        ).exclude(pk=locked.pk)
        if recommended.count() >= quota:
            raise TransitionRefused(
                _("The quota of %(quota)d recommendations in this call is used up.") % {"quota": quota}
            )
        if isinstance(rank, bool) or not isinstance(rank, int) or not 1 <= rank <= quota:
            raise TransitionRefused(_("The rank must be a whole number from 1 to %(quota)d.") % {"quota": quota})
        holder = recommended.filter(recommendation_rank=rank).select_related("standard").first()
        if holder is not None:
            raise TransitionRefused(
                _("Rank %(rank)d is already given to %(application)s.") % {"rank": rank, "application": holder}
            )
        fields = {"recommendation_opinion": opinion, "recommendation_rank": rank, "recommended_at": now}
        return _Effects(to=S.RECOMMENDED, fields=fields, notify="recommended")

    return _move(application, action="recommend", by=by, effects=effects, note=opinion)


def decline(application: Application, *, by: User, reason: str) -> Application:
    """Decline to recommend a submitted application, with the reason the group will see."""
    reason = reason.strip()

    def effects(locked: Application, now: datetime) -> _Effects:
        _check_recommendation_open(locked, now)
        _require(reason, _("Give the reason for not recommending the application."))
        return _Effects(to=S.NOT_RECOMMENDED, fields={}, notify="declined")

    return _move(application, action="decline", by=by, effects=effects, note=reason)
