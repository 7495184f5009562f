"""Two staff of one department recommending at the same moment cannot exceed its quota.

Two threads, each with its own database connection, start together at a barrier. The lock on the recommender's
organisation row in `workflow.recommend` serialises them, so the second counts the first's recommendation and
is refused with the quota message (not by the rank's unique index, which would surface as an IntegrityError).
"""

import threading

import pytest
from django.db import connection
from django.utils import translation

from portal.models import AuditEvent
from projects import workflow
from projects.models import Application, ApplicationStatus
from tests.factories import CallFactory, ProvincialDepartmentFactory, make_application, member_of

S = ApplicationStatus


@pytest.mark.django_db(transaction=True)
def test_two_members_recommending_at_once_with_quota_one_make_one_recommendation():
    call = CallFactory(default_quota=1)
    department = ProvincialDepartmentFactory()
    applications = []
    for _ in range(2):
        application = make_application(call=call, complete=True, recommender=department)
        applications.append(workflow.submit(application, by=application.created_by))
    staff = [member_of(department), member_of(department)]
    start = threading.Barrier(2)
    outcomes: list[str] = []

    def recommend(index: int) -> None:
        try:
            with translation.override("en"):
                mine = Application.objects.get(pk=applications[index].pk)
                start.wait()
                workflow.recommend(mine, by=staff[index], opinion="同意推荐。", rank=1)
            outcomes.append("recommended")
        except workflow.TransitionRefused as refused:
            outcomes.append(refused.message)
        except BaseException as error:  # reported to the test thread below
            outcomes.append(repr(error))
        finally:
            connection.close()  # each thread opened its own connection

    threads = [threading.Thread(target=recommend, args=(index,)) for index in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    statuses = sorted(Application.objects.filter(call=call).values_list("status", flat=True))
    events = AuditEvent.objects.filter(action="application.recommend")
    assert sorted(outcomes) == ["The quota of 1 recommendations in this call is used up.", "recommended"]
    assert (statuses, events.count()) == ([S.RECOMMENDED, S.SUBMITTED], 1)
