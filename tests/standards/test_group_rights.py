"""Rights on a social group's record live in tables with a real foreign key (guardian's direct models)."""

import importlib

import pytest
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from guardian.models import GroupObjectPermission
from guardian.shortcuts import assign_perm

from standards import selectors
from standards.models import SocialGroup, SocialGroupGroupObjectPermission
from standards.permissions import CHANGE_GROUP
from tests.factories import GroupProfileFactory, member_of

pytestmark = pytest.mark.django_db

migration = importlib.import_module("standards.migrations.0003_move_social_group_rights")


def test_a_grant_lands_in_the_table_with_a_foreign_key():
    group = GroupProfileFactory()
    other = GroupProfileFactory()

    assign_perm(CHANGE_GROUP, other.organisation.group, group)

    assert SocialGroupGroupObjectPermission.objects.filter(
        content_object=group, group=other.organisation.group
    ).exists()
    assert not GroupObjectPermission.objects.filter(
        content_type=ContentType.objects.get_for_model(SocialGroup)
    ).exists()


def test_the_groups_a_user_maintains_are_found_by_the_foreign_key():
    group = GroupProfileFactory()
    GroupProfileFactory.create_batch(2)
    staff = member_of(group.organisation)
    assign_perm(CHANGE_GROUP, group.organisation.group, group)

    with CaptureQueriesContext(connection) as queries:
        maintained = list(selectors.editable_groups(staff))

    assert maintained == [group]
    assert "object_pk" not in " ".join(query["sql"] for query in queries.captured_queries)


def test_the_data_migration_moves_generic_grants_and_back():
    group = GroupProfileFactory()
    staff = member_of(group.organisation)
    SocialGroupGroupObjectPermission.objects.all().delete()
    content_type = ContentType.objects.get_for_model(SocialGroup)
    permission = content_type.permission_set.get(codename=CHANGE_GROUP.split(".")[1])
    GroupObjectPermission.objects.create(
        group=group.organisation.group, permission=permission, content_type=content_type, object_pk=str(group.pk)
    )

    migration.to_foreign_keys(apps, None)

    assert list(SocialGroupGroupObjectPermission.objects.values_list("content_object", "group")) == [
        (group.pk, group.organisation.group_id)
    ]
    assert not GroupObjectPermission.objects.filter(content_type=content_type).exists()
    assert staff.has_perm(CHANGE_GROUP, group)

    migration.to_generic(apps, None)

    assert GroupObjectPermission.objects.filter(content_type=content_type, object_pk=str(group.pk)).count() == 1
    assert not SocialGroupGroupObjectPermission.objects.exists()
