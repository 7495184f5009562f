"""Fill the bench database through the real services and workflow, as people would have, only many more of them.

The demo data first (`seed_demo`), then social groups with their registry profiles, standards spread over them,
applications in the demo's open call spread over the groups (a few each), some submitted to the demo department
(浙江省经信厅, whose staff is the demo `recommender`), and the registration requests and colleagues of the demo
group; then one more call, under expert review, its experts, assignments and reviews (bench/fill_reviews.py).
Every row a page reads is written by the code that writes it in production, so the audit chain, the object
permissions and the notifications exist; only the password hasher is a fast one (bench/settings.py).
"""

import itertools
import math
import os
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass, fields

from django.core.management import call_command
from django.db import transaction

# Rows per transaction: one commit per batch instead of one per service call. Each service still runs in its
# own savepoint, and the audit chain is appended row by row as in production.
BATCH = 100
# The review call's settings and the proposal's target (issue 12: 2,600 applications, 300 experts, 5 reviews
# each, proposed in under 10 s on this 2-core machine).
REVIEWS_PER_APPLICATION = 5
# Reviews submitted by default, per application: three of the five. All 13,000 through the service (about 14 ms
# each here, three minutes) took the whole fill to 8.5 minutes on this 2-core machine; three fifths keep it under
# 8, and the last two fifths of the applications wait for their reviews, as part of a call does mid-review.
SUBMITTED_PER_APPLICATION = 3
MAX_LOAD = 50
PROPOSAL_TARGET_SECONDS = 10


@dataclass(frozen=True)
class Sizes:
    standards: int = 3000
    groups: int = 500  # social groups besides the demo's
    applications: int = 2600  # all in the demo's open call
    submitted: int = 600  # of the applications, submitted to the demo department
    recommended: int = 200  # of those submitted, recommended by it (its quota raised to allow them)
    registrations: int = 60  # pending registration requests of social groups
    members: int = 40  # colleagues of the demo group, each with an invitation, and as many departments
    admitted: int = 2600  # applications under expert review in one more call (the review call)
    experts: int = 300  # the review call's pool, the demo expert1 among them
    reviews: int = 2600 * SUBMITTED_PER_APPLICATION  # submitted; unset, BENCH_ADMITTED × 3 (of × 5 assigned)
    announced: int = 1000  # earlier programmes' projects on the public register, 109 a year
    noticed: int = 109  # shortlisted applications of one more call, in an open public notice
    objections: int = 60  # filed on that notice

    @classmethod
    def from_environment(cls, environment: dict[str, str] | None = None) -> "Sizes":
        environment = os.environ if environment is None else environment
        values = {}
        for field in fields(cls):
            name = f"BENCH_{field.name.upper()}"
            raw = environment.get(name, "")
            if not raw and field.name == "reviews":
                continue  # follows BENCH_ADMITTED, below
            raw = raw or str(field.default)
            if not raw.isdigit():
                raise SystemExit(f"{name}={raw!r}: a size is a whole number")
            values[field.name] = int(raw)
        values.setdefault("reviews", values["admitted"] * SUBMITTED_PER_APPLICATION)
        sizes = cls(**values)
        if not sizes.recommended <= sizes.submitted <= sizes.applications <= sizes.standards:
            raise SystemExit(
                "BENCH_RECOMMENDED <= BENCH_SUBMITTED <= BENCH_APPLICATIONS <= BENCH_STANDARDS: an application names "
                f"a standard of its group, one application per standard in a call (got {sizes})"
            )
        sizes.check_review_call()
        return sizes

    def check_review_call(self) -> None:
        """The review call's sizes: applications on the social groups' standards, a pool that can carry five
        reviews each under the maximum load, at most a review per assignment."""
        if not 1 <= self.admitted <= self.standards:
            raise SystemExit(
                f"1 <= BENCH_ADMITTED <= BENCH_STANDARDS: the review call's applications name the social groups' "
                f"standards, one application per standard (got {self.admitted} and {self.standards})"
            )
        if (
            self.experts < REVIEWS_PER_APPLICATION + 2
            or self.experts * MAX_LOAD < self.admitted * REVIEWS_PER_APPLICATION
        ):
            raise SystemExit(
                f"BENCH_EXPERTS={self.experts}: {REVIEWS_PER_APPLICATION} reviews of each of BENCH_ADMITTED="
                f"{self.admitted} applications at most {MAX_LOAD} per expert need at least "
                f"{max(REVIEWS_PER_APPLICATION + 2, math.ceil(self.admitted * REVIEWS_PER_APPLICATION / MAX_LOAD))} "
                "experts (a few spare in each field, for conflicts)"
            )
        if self.reviews > self.admitted * REVIEWS_PER_APPLICATION:
            raise SystemExit(
                f"BENCH_REVIEWS={self.reviews}: a review per assignment, at most BENCH_ADMITTED × "
                f"{REVIEWS_PER_APPLICATION} = {self.admitted * REVIEWS_PER_APPLICATION}"
            )

    def as_dict(self) -> dict[str, int]:
        return asdict(self)


def fill(sizes: Sizes, say=print) -> tuple[dict[str, int], dict]:
    """Load the database; return the ids the pages' URLs name (see bench/pages.py) and the figures measured
    while filling (the review call's proposal)."""
    from bench.fill_publicity import fill_publicity
    from bench.fill_reviews import fill_reviews
    from portal.models import Organisation, User
    from standards.models import GroupStandard
    from standards.numbers import normalise_number
    from tests.factories import profile_of

    started = time.perf_counter()
    call_command("seed_demo", verbosity=0)
    demo_group = Organisation.objects.get(code="ZZB")
    demo_profile = profile_of(demo_group)
    applicant = User.objects.get(username="applicant")
    call = _open_call()
    say(f"  demo data in {time.perf_counter() - started:.0f} s")

    groups = [(demo_group, demo_profile, applicant), *_social_groups(sizes.groups, say)]
    standards = _standards(groups, sizes.standards, say)
    ids = _applications(call, groups, standards, sizes, say)
    _recommendations(call, sizes, say)
    _people(demo_group, applicant, sizes, say)
    # The social groups' standards again, in another call: the demo group's pages show the open call only.
    review_ids, proposal = fill_reviews(groups[1:], standards[1:], sizes, say)
    publicity_ids = fill_publicity(groups[1:], standards[1:], sizes, say)

    searched = GroupStandard.objects.filter(number=normalise_number("T/ZZB 1-2019")).first()
    ids.update(
        call=call.pk,
        organisation=demo_group.pk,
        group=demo_profile.pk,
        standard=(searched or standards[0][0]).pk,
        **review_ids,
        **publicity_ids,
    )
    return ids, {"proposal": proposal}


def _open_call():
    """The demo's call open for applications now (seed_demo may add past calls; the review call comes later)."""
    from django.utils import timezone

    from projects.models import Call

    now = timezone.now()
    call = Call.objects.published().filter(opens_at__lte=now, deadline__gte=now).order_by("-opens_at").first()
    if call is None:
        raise SystemExit("seed_demo made no call open for applications: the open call's pages have nothing to show")
    return call


def _batches(items, size: int = BATCH) -> Iterator[list]:
    iterator = iter(items)
    while batch := list(itertools.islice(iterator, size)):
        yield batch


def _social_groups(count: int, say) -> list[tuple]:
    """Social groups, half in Zhejiang (the demo department's province), half in Guangdong, each with its
    registry profile and one member who applies for it."""
    from portal.choices import Province
    from tests.factories import GroupProfileFactory, SocialGroupFactory, member_of

    started = time.perf_counter()
    made = []
    for batch in _batches(range(count)):
        with transaction.atomic():
            for n in batch:
                province = Province.ZHEJIANG if n % 2 == 0 else Province.GUANGDONG
                group = SocialGroupFactory(name=f"示例产业协会{n:04d}", code=f"BG{n:04d}", province=province)
                profile = GroupProfileFactory(organisation=group)
                made.append((group, profile, member_of(group, username=f"bench{n:04d}")))
    say(f"  {count} social groups in {time.perf_counter() - started:.0f} s")
    return made


def _standards(groups: list[tuple], count: int, say) -> list[list]:
    """`count` standards through the registry's service, dealt over the groups in turn; per group, its list."""
    from tests.factories import GroupStandardFactory

    started = time.perf_counter()
    per_group: list[list] = [[] for _ in groups]
    for batch in _batches(range(count)):
        with transaction.atomic():
            for n in batch:
                position = n % len(groups)
                standard = GroupStandardFactory(issuer=groups[position][1], fills_gap=True)
                per_group[position].append(standard)
    say(f"  {count} standards in {time.perf_counter() - started:.0f} s")
    return per_group


def _applications(call, groups: list[tuple], standards: list[list], sizes: Sizes, say) -> dict[str, int]:
    """Applications dealt over the groups in turn, each on one of the group's standards.

    The demo group's first is submitted to the demo department and its second is a complete draft (the pages
    name both). Zhejiang groups submit to the demo department until `sizes.submitted` are; every third
    Guangdong application is submitted to Guangdong's department; of the other drafts, half are complete.
    """
    from portal.choices import Province
    from portal.models import Organisation
    from projects import workflow
    from tests.factories import fill_complete, make_application

    started = time.perf_counter()
    department = Organisation.objects.get(code="ZJJXT")
    guangdong = Organisation.objects.get(code="GDGXT")
    dealt = _deal(groups, standards, sizes.applications)
    ids: dict[str, int] = {}
    submitted = 0
    for number, batch in enumerate(_batches(dealt)):
        with transaction.atomic():
            for n, ((group, _profile, member), standard, nth_of_group) in enumerate(batch, start=number * BATCH):
                application = make_application(call=call, group=group, standard=standard, by=member)
                zhejiang = group.province == Province.ZHEJIANG
                demo = group.code == "ZZB"
                if (zhejiang and submitted < sizes.submitted) and (not demo or nth_of_group != 1):
                    fill_complete(application, recommender=department)
                    workflow.submit(application, by=member)
                    submitted += 1
                    if demo:
                        ids.setdefault("submitted", application.pk)
                elif not zhejiang and nth_of_group % 3 == 0:
                    fill_complete(application, recommender=guangdong)
                    workflow.submit(application, by=member)
                elif demo or n % 2 == 0:
                    fill_complete(application, recommender=department if zhejiang else guangdong)
                    if demo:
                        ids.setdefault("draft", application.pk)
        if (number + 1) % 5 == 0:
            say(f"    {(number + 1) * BATCH} applications, {time.perf_counter() - started:.0f} s")
    say(
        f"  {sizes.applications} applications ({submitted} submitted to {department.code}) "
        f"in {time.perf_counter() - started:.0f} s"
    )
    missing = {"submitted", "draft"} - ids.keys()
    if missing or submitted < sizes.submitted:
        raise SystemExit(
            f"the fill made {submitted} of BENCH_SUBMITTED={sizes.submitted} submissions and lacks the demo group's "
            f"{', '.join(sorted(missing)) or 'nothing'}: give it more applications or fewer submissions"
        )
    return ids


def _recommendations(call, sizes: Sizes, say) -> None:
    """The demo department recommends the first `sizes.recommended` applications submitted to it, ranked in turn,
    after the secretariat raised its quota to allow them: the formal check's list and the inbox's decided rows."""
    from portal.models import Organisation, User
    from projects import workflow
    from projects.models import Application, ApplicationStatus
    from projects.services import calls

    started = time.perf_counter()
    department = Organisation.objects.get(code="ZJJXT")
    recommender = User.objects.get(username="recommender")
    secretariat = User.objects.get(username="secretariat")
    if sizes.recommended > call.default_quota:
        with transaction.atomic():
            calls.set_quota(
                call=call, recommender=department, quota=sizes.recommended, by=secretariat, reason="全省申报数量多。"
            )
    submitted = Application.objects.filter(call=call, recommender=department, status=ApplicationStatus.SUBMITTED)
    # Not the demo group's: the pages show its submitted application undecided, with the decision panel.
    chosen = list(submitted.exclude(group__code="ZZB").order_by("pk")[: sizes.recommended])
    for number, batch in enumerate(_batches(chosen)):
        with transaction.atomic():
            for rank, application in enumerate(batch, start=number * BATCH + 1):
                workflow.recommend(application, by=recommender, opinion="同意推荐。", rank=rank)
    say(f"  {len(chosen)} recommended by {department.code} in {time.perf_counter() - started:.0f} s")


def _deal(groups: list[tuple], standards: list[list], count: int) -> list[tuple]:
    """(group, standard, how many of the group's come before) for `count` applications, a group at a time."""
    dealt = []
    for round_ in itertools.count():
        dealt_before = len(dealt)
        for group, group_standards in zip(groups, standards, strict=True):
            if len(dealt) == count:
                return dealt
            if round_ < len(group_standards):
                dealt.append((group, group_standards[round_], round_))
        if len(dealt) == dealt_before:
            raise SystemExit(f"only {len(dealt)} standards to apply for, BENCH_APPLICATIONS={count}")
    return dealt


def _people(group, applicant, sizes: Sizes, say) -> None:
    """Pending registration requests for the secretariat's queue; colleagues and open invitations of the group;
    more provincial departments, each with its administrator."""
    from portal import members
    from portal.models import Membership
    from tests.factories import ProvincialDepartmentFactory, admin_of, make_registration, member_of

    started = time.perf_counter()
    with transaction.atomic():
        for n in range(sizes.registrations):
            make_registration(n=n + 1, confirmed=n % 2 == 0)
        for n in range(sizes.members):
            Membership.objects.filter(user=member_of(group), organisation=group).update(is_admin=n % 10 == 0)
            members.invite(organisation=group, email=f"colleague{n}@bench.example.cn", by=applicant)
        for _ in range(sizes.members):
            admin_of(ProvincialDepartmentFactory())
    say(
        f"  {sizes.registrations} registration requests, {sizes.members} colleagues and departments "
        f"in {time.perf_counter() - started:.0f} s"
    )
