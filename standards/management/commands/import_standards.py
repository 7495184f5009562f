"""`manage.py import_standards FILE`: the secretariat's import, from the command line."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from standards.importing import ImportFileError, import_standards


class Command(BaseCommand):
    help = (
        "Import group standards from a CSV (UTF-8 or GB18030) or XLSX file with one header row: upsert by "
        "normalised number, all rows or none."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--dry-run", action="store_true", help="Check the file and report; import nothing.")

    def handle(self, *args, file: Path, dry_run: bool = False, **options) -> None:
        try:
            data = file.read_bytes()
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error.strerror}") from error
        try:
            report = import_standards(data, filename=file.name, dry_run=dry_run)
        except ImportFileError as error:
            raise CommandError(str(error)) from error
        if not report.ok:
            raise CommandError("Nothing was imported.\n" + "\n".join(str(error) for error in report.errors))
        verb = "Would import" if dry_run else "Imported"
        self.stdout.write(
            self.style.SUCCESS(
                f"{verb} {file.name}: {len(report.created)} new, {len(report.updated)} updated, "
                f"{len(report.unchanged)} unchanged."
            )
        )
