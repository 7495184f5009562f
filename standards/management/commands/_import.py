"""What `import_standards` and `import_groups` share: read the file, run the import, print its report.

The leading underscore keeps Django from taking this module for a command of its own.
"""

from collections.abc import Callable
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from standards.importing import ImportFileError, ImportReport


class ImportCommand(BaseCommand):
    importer: Callable[..., ImportReport]  # a staticmethod: import_standards or import_groups

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--dry-run", action="store_true", help="Check the file and report; import nothing.")

    def handle(self, *args, file: Path, dry_run: bool = False, **options) -> None:
        try:
            data = file.read_bytes()
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error.strerror}") from error
        try:
            report = self.importer(data, filename=file.name, dry_run=dry_run)
        except ImportFileError as error:
            raise CommandError(str(error)) from error
        if not report.ok:
            raise CommandError("Nothing was imported.\n" + "\n".join(str(error) for error in report.errors))
        for note in report.notes:
            self.stdout.write(str(note))
        verb = "Would import" if dry_run else "Imported"
        self.stdout.write(
            self.style.SUCCESS(
                f"{verb} {file.name}: {len(report.created)} new, {len(report.updated)} updated, "
                f"{len(report.unchanged)} unchanged."
            )
        )
