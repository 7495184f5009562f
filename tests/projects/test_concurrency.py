"""Two browsers submitting the same draft at once produce one submission (the row lock in `workflow._move`)."""

import threading

import pytest
from django.db import connection

from portal.models import AuditEvent
from projects import workflow
from projects.models import ApplicationStatus
from tests.factories import make_application


@pytest.mark.django_db(transaction=True)
def test_submit_same_draft_twice_at_once_makes_one_submission():
    application = make_application(complete=True)
    staff = application.created_by
    start = threading.Barrier(2)
    outcomes: list[str] = []

    def submit() -> None:
        try:
            start.wait()
            workflow.submit(application.__class__.objects.get(pk=application.pk), by=staff)
            outcomes.append("submitted")
        except workflow.InvalidTransition:
            outcomes.append("invalid")
        except BaseException as error:  # reported to the test thread below
            outcomes.append(repr(error))
        finally:
            connection.close()  # each thread opened its own connection

    threads = [threading.Thread(target=submit) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    application.refresh_from_db()
    submissions = AuditEvent.objects.for_object(application).filter(action="application.submit")
    assert sorted(outcomes) == ["invalid", "submitted"]
    assert (application.status, application.submission_count, submissions.count()) == (
        ApplicationStatus.SUBMITTED,
        1,
        1,
    )
