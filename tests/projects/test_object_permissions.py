"""Rights on applications live in guardian's direct-foreign-key tables (projects.models.object_permissions)."""

import importlib

import pytest
from django.apps import apps
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from guardian.models import GroupObjectPermission, UserObjectPermission
from guardian.shortcuts import assign_perm

from projects.models import Application, ApplicationGroupObjectPermission, ApplicationUserObjectPermission
from projects.selectors.applications import visible_applications
from tests.factories import SocialGroupFactory, make_application, member_of, submitted_application

pytestmark = pytest.mark.django_db
MOVE = importlib.import_module("projects.migrations.0008_move_application_rights_to_direct_keys")


def _held(model, application) -> set[str]:
    return set(model.objects.filter(content_object=application).values_list("permission__codename", flat=True))


def test_creating_an_application_grants_its_group_in_the_direct_table():
    group = SocialGroupFactory()
    application = make_application(group=group)

    rows = ApplicationGroupObjectPermission.objects.filter(content_object=application, group=group.group)

    assert set(rows.values_list("permission__codename", flat=True)) == {"view_application", "change_application"}
    assert GroupObjectPermission.objects.filter(content_type__model="application").count() == 0


def test_a_user_grant_lands_in_the_direct_table_and_is_honoured():
    application = make_application()
    outsider = member_of(SocialGroupFactory())

    assign_perm("projects.view_application", outsider, application)

    assert _held(ApplicationUserObjectPermission, application) == {"view_application"}
    assert UserObjectPermission.objects.count() == 0
    assert outsider.has_perm("projects.view_application", application) is True
    assert list(visible_applications(outsider)) == [application]


def _generic_grant(model, holder: str, who, codename: str, application: Application):
    content_type = ContentType.objects.get_for_model(Application)
    permission = Permission.objects.get(content_type=content_type, codename=codename)
    # bulk_create: guardian's save() looks the object up, and one of these points at a deleted application.
    row = model(**{holder: who}, permission=permission, content_type=content_type, object_pk=str(application.pk))
    return model.objects.bulk_create([row])


def test_data_migration_moves_generic_grants_into_the_direct_tables_and_deletes_them():
    application = make_application()
    group, user = application.group.group, member_of(SocialGroupFactory())
    ApplicationGroupObjectPermission.objects.all().delete()  # as before 0007: the grants were generic
    _generic_grant(GroupObjectPermission, "group", group, "view_application", application)
    _generic_grant(UserObjectPermission, "user", user, "change_application", application)
    _generic_grant(UserObjectPermission, "user", user, "view_application", Application(pk=10**9))  # long gone

    MOVE.to_foreign_keys(apps, connection.schema_editor())

    assert list(
        ApplicationGroupObjectPermission.objects.values_list("group", "content_object", "permission__codename")
    ) == [(group.pk, application.pk, "view_application")]
    assert list(
        ApplicationUserObjectPermission.objects.values_list("user", "content_object", "permission__codename")
    ) == [(user.pk, application.pk, "change_application")]
    assert (GroupObjectPermission.objects.count(), UserObjectPermission.objects.count()) == (0, 0)
    assert application.created_by.has_perm("projects.view_application", application) is True


def test_data_migration_backwards_puts_the_grants_back_in_the_generic_tables():
    application = make_application()

    MOVE.to_generic(apps, connection.schema_editor())

    generic = GroupObjectPermission.objects.filter(object_pk=str(application.pk))
    assert set(generic.values_list("permission__codename", flat=True)) == {"view_application", "change_application"}
    assert ApplicationGroupObjectPermission.objects.count() == 0


def test_inbox_asks_for_rights_without_casting_keys_to_text(client, department, recommender):
    submitted_application(recommender=department, same_province=True)
    client.force_login(recommender)

    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("projects:recommendation_inbox"))

    assert response.status_code == 200
    assert len(response.context["page_obj"].object_list) == 1
    sql = " ".join(query["sql"] for query in queries.captured_queries)
    assert "applicationgroupobjectpermission" in sql
    assert ("object_pk" in sql, "::varchar" in sql) == (False, False)


RIGHTS = ["view_application", "change_application", "recommend_application", "review_application"]


def test_the_portals_rights_answer_as_guardian_does_for_user_group_superuser_and_inactive_users():
    from projects import permissions

    application = submitted_application()
    staff = application.created_by  # through the group: view and change
    outsider = member_of(SocialGroupFactory())
    assign_perm("projects.review_application", outsider, application)  # given to the user
    superuser = member_of(SocialGroupFactory(), is_superuser=True)
    inactive = member_of(application.group, is_active=False)
    users = [staff, outsider, superuser, inactive]

    ours = {user.pk: [permissions._has(user, f"projects.{r}", application) for r in RIGHTS] for user in users}
    guardians = {user.pk: [user.has_perm(f"projects.{r}", application) for r in RIGHTS] for user in users}

    assert ours == guardians
    assert ours[staff.pk] == [True, True, False, False]
    assert ours[outsider.pk] == [False, False, False, True]
    assert ours[superuser.pk] == [True] * 4
    assert ours[inactive.pk] == [False] * 4


def test_the_rights_are_read_in_one_query_once_a_request():
    from projects import permissions

    application = make_application()
    staff = application.created_by
    permissions.read_rights_once(staff)

    with CaptureQueriesContext(connection) as queries:
        answers = [permissions._has(staff, f"projects.{r}", application) for r in RIGHTS]

    assert (answers, len(queries)) == ([True, True, False, False], 1)
