"""E-mails to an address rather than to a user's notifications: confirmation links and invitations.

They carry a secret link, so they are sent from the web process once the transaction that made the link has
committed, not queued through the broker (whose messages sit on disk). A failure to send is logged, never
turned into a failed request: the page offers to send the link again.
"""

import logging

from django.core.mail import EmailMessage
from django.db import transaction

logger = logging.getLogger(__name__)


def send_after_commit(*, to: str, subject: str, body: str) -> None:
    """Send one message to `to` once the current transaction commits (at once outside a transaction)."""

    def send() -> None:
        EmailMessage(subject, body, to=[to]).send()

    # robust: an unreachable mail server after the commit must not turn a saved change into an error page.
    transaction.on_commit(send, robust=True)
    logger.debug("Mail to %s queued for after commit: %s", to, subject)
