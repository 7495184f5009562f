"""Writing the public register of announced projects: its rows, for an announcement published here or imported.

A row copies the names as the list published them, keeps the links to the registry where the portal knows the
objects, and carries `search_text`: what `/projects/?q=` searches (publicity.selectors.register).
"""

from dataclasses import dataclass, fields

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal import audit
from portal.models import User
from publicity import lists
from publicity.models import AnnouncedProject, Announcement, PublishedList
from standards.numbers import InvalidNumberError, canonical_characters, normalise_number

# The published title of an imported list, which the file does not give (fixed words, as the lists' own).
IMPORTED_TITLE = "{year}年团体标准应用示范项目名单"
TYPE_FLAGS = ("innovative", "advanced", "international")


def number_for_lookup(number: str) -> str:
    """A standard number in its normal form when it is one (the register's exact search), else as written."""
    try:
        return normalise_number(number)
    except InvalidNumberError:
        return number.strip()


def search_text(*, name: str, standard_number: str, standard_title: str, group_name: str, recommender_name: str) -> str:
    """What `?q=` searches, in canonical characters (upper case, ASCII, em dashes), one part a line.

    The number is there as published and in its normal form, so a fragment in either form is found; the
    parts are apart on their own lines, so a search never matches across two of them.
    """
    parts = [name, standard_number, number_for_lookup(standard_number), standard_title, group_name, recommender_name]
    return "\n".join(canonical_characters(part) for part in dict.fromkeys(parts) if part)


@dataclass(frozen=True)
class Row:
    """One project of a list, as the register keeps it (the fields of AnnouncedProject it sets)."""

    position: int
    year: int
    name: str
    standard_number: str
    standard_title: str
    group_name: str
    recommender_name: str = ""
    province: str = ""
    industry_field: str = ""
    innovative: bool = False
    advanced: bool = False
    international: bool = False
    # The registry's objects, where the portal knows them.
    standard_id: int | None = None
    group_id: int | None = None
    recommender_id: int | None = None
    application_id: int | None = None

    def values(self) -> dict:
        values = {field.name: getattr(self, field.name) for field in fields(self)}
        values["standard_number"] = number_for_lookup(self.standard_number)
        values["search_text"] = search_text(
            name=self.name,
            standard_number=self.standard_number,
            standard_title=self.standard_title,
            group_name=self.group_name,
            recommender_name=self.recommender_name,
        )
        return values

    def entry(self) -> dict:
        """The row as a published list has it (publicity.lists.entry_of's shape)."""
        return {
            "number": self.position,
            "name": self.name,
            "standards": [{"number": self.standard_number, "title": self.standard_title}],
            "group": self.group_name,
            "recommender": self.recommender_name,
            "types": [lists.TYPE_WORDS[kind] for kind in TYPE_FLAGS if getattr(self, kind)],
        }


def write_rows(announcement: Announcement, rows: list[Row]) -> bool:
    """Make the announcement's register rows what `rows` say, in place by position; whether anything changed."""
    existing = {project.position: project for project in announcement.projects.all()}
    changed = False
    for row in rows:
        values = row.values()
        project = existing.pop(row.position, None)
        if project is None:
            AnnouncedProject.objects.create(announcement=announcement, **values)
            changed = True
            continue
        current = {key: getattr(project, key) for key in values}
        if current != values:
            for key, value in values.items():
                setattr(project, key, value)
            project.save()
            changed = True
    if existing:
        AnnouncedProject.objects.filter(pk__in=[project.pk for project in existing.values()]).delete()
        changed = True
    return changed


def imported_header(announcement: Announcement) -> dict:
    return {
        "kind": lists.KIND_ANNOUNCEMENT,
        "number": announcement.number,
        "call": "",
        "title": announcement.title,
        "year": announcement.year,
    }


@transaction.atomic
def record_imported(*, number: str, year: int, rows: list[Row], by: User | None, source: str) -> str:
    """Write one earlier programme's announced list: "created", "updated" or "unchanged".

    A new number is an imported announcement, published now as version 1; a known one gets the next version
    only when its list differs (audited as register.import), so importing the same file again changes nothing.
    The caller checks that the number is not an announcement published through the portal.
    """
    announcement = Announcement.objects.select_for_update().filter(number=number).first()
    created = announcement is None
    if created:
        announcement = Announcement.objects.create(
            year=year,
            number=number,
            title=IMPORTED_TITLE.format(year=year),
            imported=True,
            published_at=timezone.now(),
            published_by=by,
        )
    elif announcement.year != year:
        announcement.year = year
        announcement.save(update_fields=["year"])
    entries = [row.entry() for row in rows]
    latest = lists.current(announcement)
    list_changed = latest is None or lists.document(latest)["projects"] != entries
    rows_changed = write_rows(announcement, rows)
    if not (created or list_changed or rows_changed):
        return "unchanged"
    published: PublishedList | None = None
    if list_changed:
        reason = "" if created else source
        published = lists.publish(
            of=announcement, header=imported_header(announcement), entries=entries, by=by, reason=reason
        )
    note = _("%(count)d projects, from %(source)s") % {"count": len(rows), "source": source}
    if published is not None:
        note += _("; list version %(version)d, SHA-256 %(hash)s") % {
            "version": published.version,
            "hash": published.sha256,
        }
    audit.record(action="register.import", target=announcement, actor=by, note=note)
    return "created" if created else "updated"
