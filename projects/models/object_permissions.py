"""Object permissions on applications with direct foreign keys (django-guardian's "Direct foreign keys").

Guardian's generic tables keep the object's key as text (`object_pk`), so asking which applications a user may
see compared `application.id::varchar` with it: no index serves that, and the cost grew with every grant. These
tables hold a real foreign key; guardian's `assign_perm`, `has_perm` and `get_objects_for_user` find them by
themselves (a reverse relation to a `UserObjectPermissionBase` / `GroupObjectPermissionBase` subclass).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase

from projects.models.applications import Application


class ApplicationUserObjectPermission(UserObjectPermissionBase):
    content_object = models.ForeignKey(Application, on_delete=models.CASCADE)

    class Meta(UserObjectPermissionBase.Meta):
        verbose_name = _("user permission on an application")
        verbose_name_plural = _("user permissions on applications")


class ApplicationGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(Application, on_delete=models.CASCADE)

    class Meta(GroupObjectPermissionBase.Meta):
        verbose_name = _("group permission on an application")
        verbose_name_plural = _("group permissions on applications")
