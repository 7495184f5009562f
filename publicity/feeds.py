"""The Atom feed of what the public notice stage publishes: notices as they open, announcements as published."""

from datetime import datetime

from django.contrib.syndication.views import Feed
from django.db.models import Model
from django.urls import NoReverseMatch, reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from publicity.models import Announcement, Notice
from publicity.selectors import register as selectors

ITEMS = 30


class PublicityFeed(Feed):
    feed_type = Atom1Feed

    def title(self) -> str:
        return _("Group standard application demonstration projects: notices and announcements")

    def subtitle(self) -> str:
        return _("Public notices as they open, and the announced lists as they are published.")

    def link(self) -> str:
        return reverse("publicity:project_list")

    def items(self) -> list[Model]:
        found = [*selectors.latest_notices(ITEMS), *selectors.latest_announcements(ITEMS)]
        return sorted(found, key=self.item_pubdate, reverse=True)[:ITEMS]

    def item_title(self, item: Model) -> str:
        if isinstance(item, Announcement):
            return _("Announcement: %(title)s (%(number)s)") % {"title": item.title, "number": item.number}
        return _("Public notice: %(title)s") % {"title": item.title}

    def item_description(self, item: Model) -> str:
        return item.body

    def item_link(self, item: Model) -> str:
        if isinstance(item, Notice):
            try:
                return item.get_absolute_url()
            except NoReverseMatch:
                # The notice's page is /publicity/<id>/ (DESIGN.md's stable URLs), whichever module serves it.
                return f"/publicity/{item.pk}/"
        return item.get_absolute_url()

    def item_pubdate(self, item: Model) -> datetime:
        return item.published_at if isinstance(item, Announcement) else item.opened_at or item.starts_at

    def item_updateddate(self, item: Model) -> datetime:
        return self.item_pubdate(item)
