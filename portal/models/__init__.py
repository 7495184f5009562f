from portal.models.accounts import Membership, Organisation, User
from portal.models.audit import AuditEvent, AuditImmutableError
from portal.models.calendar import CalendarDay
from portal.models.notifications import Notification

__all__ = ["AuditEvent", "AuditImmutableError", "CalendarDay", "Membership", "Notification", "Organisation", "User"]
