"""What the portal tells a user about the moves that concern them: the in-portal copy of each e-mail."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Notification(models.Model):
    """One message to one user, written only by `portal.notifications.notify`.

    `key` names what caused it (e.g. ``application:12:returned:345``, with the audit event's id): unique per
    recipient, so a task that runs twice for the same cause creates nothing new and mails no one twice.
    """

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name=_("recipient"),
    )
    subject = models.CharField(_("subject"), max_length=500)
    body = models.TextField(_("message"), blank=True)
    # A path in the portal (never a full URL): the open view redirects only to local paths.
    url = models.CharField(_("link"), max_length=500, blank=True)
    key = models.CharField(_("key"), max_length=200)
    created_at = models.DateTimeField(_("sent"), default=timezone.now)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["recipient", "key"], name="notification_unique_key")]
        # A user's list (all, or only the unread ones) newest first, and the navigation's unread count.
        indexes = [models.Index(fields=["recipient", "read_at", "-created_at"], name="notification_inbox_idx")]

    def __str__(self) -> str:
        return self.subject

    @property
    def is_unread(self) -> bool:
        return self.read_at is None
