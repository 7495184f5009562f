"""The public-notice stage: notices and their published lists, objections, announcements and the register."""

from publicity.models.notices import Notice, NoticeEntry, NoticeStatus, PublishedList
from publicity.models.objections import Objection, ObjectionForward, ObjectionStatus
from publicity.models.register import AnnouncedProject, Announcement

__all__ = [
    "AnnouncedProject",
    "Announcement",
    "Notice",
    "NoticeEntry",
    "NoticeStatus",
    "Objection",
    "ObjectionForward",
    "ObjectionStatus",
    "PublishedList",
]
