"""Published lists: what a notice or an announcement lists, as canonical JSON whose SHA-256 anyone can check.

Canonical means UTF-8, keys sorted, no insignificant white space (`json.dumps(..., sort_keys=True,
separators=(",", ":"), ensure_ascii=False)`): the stored bytes are what is downloaded, so `sha256sum` of the
download equals the hash on the page. A version is written once and never changed; a correction is the next.
"""

import hashlib
import json
from collections.abc import Iterable

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from portal.models import User
from projects.models import Application
from publicity.models import Announcement, Notice, PublishedList

# The published words for the types claimed: fixed, so that a later change of a translation cannot change a list.
TYPE_WORDS = {"innovative": "创新性", "advanced": "先进性", "international": "国际性"}
KIND_NOTICE = "notice"
KIND_ANNOUNCEMENT = "announcement"


def project_name(application: Application) -> str:
    """A project is the application of one group standard: it is named after the standard."""
    return f"《{application.standard.title_zh}》团体标准应用示范项目"


def entry_of(application: Application, position: int) -> dict:
    """One project as a list publishes it (the application with its standard, group and recommender joined)."""
    return {
        "number": position,
        "name": project_name(application),
        "standards": [{"number": application.standard.display_number, "title": application.standard.title_zh}],
        "group": application.group.name,
        "recommender": application.recommender.name if application.recommender_id else "",
        "types": [TYPE_WORDS[kind] for kind in application.claimed_types],
    }


def entries_of(applications: Iterable[Application]) -> list[dict]:
    return [entry_of(application, position) for position, application in enumerate(applications, start=1)]


def canonical(document: dict) -> bytes:
    return json.dumps(document, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")


def digest(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


@transaction.atomic
def publish(
    *,
    of: Notice | Announcement,
    header: dict,
    entries: list[dict],
    by: User | None,
    reason: str = "",
) -> PublishedList:
    """Write the next version of the list of `of` (a notice or an announcement): `header` and the entries.

    The owner's row is locked first, so two corrections at once get versions one after the other.
    """
    owner = {"notice": of} if isinstance(of, Notice) else {"announcement": of}
    type(of).objects.select_for_update().get(pk=of.pk)
    version = (PublishedList.objects.filter(**owner).aggregate(last=Max("version"))["last"] or 0) + 1
    content = canonical({**header, "version": version, "projects": entries})
    return PublishedList.objects.create(
        **owner,
        version=version,
        content=content,
        sha256=digest(content),
        entry_count=len(entries),
        reason=reason.strip(),
        created_by=by,
        created_at=timezone.now(),
    )


def current(of: Notice | Announcement) -> PublishedList | None:
    return of.lists.order_by("-version").first()


def document(published: PublishedList) -> dict:
    return json.loads(bytes(published.content).decode("utf-8"))
