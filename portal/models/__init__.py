from portal.models.accounts import Membership, Organisation, User
from portal.models.audit import AuditEvent, AuditImmutableError
from portal.models.calendar import CalendarDay
from portal.models.notifications import Notification
from portal.models.onboarding import Invitation, RegistrationRequest

__all__ = [
    "AuditEvent",
    "AuditImmutableError",
    "CalendarDay",
    "Invitation",
    "Membership",
    "Notification",
    "Organisation",
    "RegistrationRequest",
    "User",
]
