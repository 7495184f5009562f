import pytest
from django.utils import translation

from portal.selectors import events_for
from projects import workflow
from tests.factories import make_application

pytestmark = pytest.mark.django_db


def test_events_for_labels_actions_and_states_in_the_users_language():
    application = make_application(complete=True)
    workflow.submit(application, by=application.created_by)

    with translation.override("en"):
        labels = [(str(e.action_label), str(e.from_label), str(e.to_label)) for e in events_for(application)]

    assert labels == [("Application started", "", "Draft"), ("Submitted", "Draft", "Submitted")]


def test_events_for_keeps_an_unknown_action_as_written(django_assert_num_queries):
    from portal import audit

    application = make_application()
    audit.record(action="custom.thing", target=application, to_state="odd")

    with django_assert_num_queries(1):  # the events with their actors; content types are cached
        events = events_for(application)

    assert (events[-1].action_label, events[-1].to_label) == ("custom.thing", "odd")
