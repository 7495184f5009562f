from portal.models.accounts import Membership, Organisation, User
from portal.models.audit import AuditEvent, AuditImmutableError
from portal.models.calendar import CalendarDay

__all__ = ["AuditEvent", "AuditImmutableError", "CalendarDay", "Membership", "Organisation", "User"]
