"""Check the audit log's hash chain from its first event to its last (also run nightly by Celery beat)."""

from django.core.management.base import BaseCommand, CommandError

from portal.audit import verify_chain


class Command(BaseCommand):
    help = "Check every audit event's hash and link; name the first broken link and exit non-zero if any."

    def handle(self, *args, **options) -> None:
        checked, broken = verify_chain()
        if broken is not None:
            raise CommandError(
                f"Audit chain broken at event #{broken.event_id}: {broken.reason}. "
                f"{checked} events before it are intact."
            )
        self.stdout.write(self.style.SUCCESS(f"{checked} audit events checked: OK"))
