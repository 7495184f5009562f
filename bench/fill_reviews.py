"""The expert-review stage's data: one more call (the review call) whose applications are under expert review.

Issue 12's figures at ten times 2023's: `sizes.admitted` applications of the social groups (not the demo group,
whose pages show the open call only) submitted, recommended by 广东省工信厅 and 中国机械工业联合会 (quotas raised
by the secretariat, with a reason) and admitted once the call's recommendation deadline is moved into the past;
`sizes.experts` experts in the pool (seed_demo's among them, `expert1` given every field), some affiliated with
or kept away from a social group; five reviews per application, at most fifty per expert. Then the proposal for
the whole call, as the secretariat's page asks for it (`reviews.services.assignments.propose`, a seeded random
draw), timed and traced, and confirmed; then the reviews, submitted through the service by each expert.
"""

import gc
import math
import random
import time
import tracemalloc
from datetime import timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from bench.fill import BATCH, MAX_LOAD, PROPOSAL_TARGET_SECONDS, REVIEWS_PER_APPLICATION, Sizes, _batches, _deal

# The draw's seed: the same data and seed give the same proposal, which the fill checks by solving twice.
DRAW_SEED = 20230165
# Each bench expert's fields are enough consecutive ones that every field has a few more experts than it needs
# reviews per application, so that a conflict or two never leaves an application short (tiny sizes too).
SPARE_EXPERTS_PER_FIELD = 2
INSTITUTES = (
    "清华大学",
    "浙江大学",
    "华南理工大学",
    "北京航空航天大学",
    "中国标准化研究院",
    "中国电子技术标准化研究院",
)
TITLES = ("教授", "研究员", "教授级高工", "高级工程师")
OPINIONS = (
    "标准技术指标先进，实施效果显著，推广价值高。",
    "标准应用范围较广，经济效益和社会效益明显。",
    "标准填补了相关领域空白，建议进一步扩大实施范围。",
    "实施数据较少，应用效果有待进一步验证。",
)


def fill_reviews(groups: list[tuple], standards: list[list], sizes: Sizes, say) -> tuple[dict[str, int], dict]:
    """Fill the review call; the ids the pages name (`review_call`, and `reviewed`, its first application, every
    review of it in) and the proposal's figures."""
    from portal.models import User

    secretariat = User.objects.get(username="secretariat")
    call = _review_call(secretariat)
    _admitted(call, groups, standards, sizes, secretariat, say)
    _experts(groups, sizes, secretariat, say)
    _settings(call, secretariat)
    proposal, figures = _proposal(call, say)
    _confirm(call, proposal, secretariat, say)
    _reviews(call, sizes, say)
    reviewed = call.applications.filter(status="under_review").order_by("pk").values_list("pk", flat=True).first()
    return {"review_call": call.pk, "reviewed": reviewed}, figures


def _review_call(secretariat):
    """A published call opened four months ago (before the open demo call, which the fill picks by its dates)
    and open until tomorrow, so that the groups can submit; `_admitted` then moves its deadlines into the past."""
    from projects.services import calls

    now = timezone.now()
    opens_at = now - timedelta(days=120)
    with transaction.atomic():
        call = calls.create_call(
            by=secretariat,
            year=opens_at.year,
            title=f"{opens_at.year}年团体标准应用示范项目（专家评审）",
            notice_number=f"工信厅科函〔{opens_at.year}〕200号",
            notice_text="请各有关单位按要求组织申报。",
            opens_at=opens_at,
            deadline=now + timedelta(days=1),
            implementation_cutoff=(now - timedelta(days=90)).date(),
            recommendation_deadline=now + timedelta(days=2),
            default_quota=5,
            publicity_working_days=5,
        )
        return calls.publish_call(call=call, by=secretariat)


def _admitted(
    call, groups: list[tuple], standards: list[list], sizes: Sizes, secretariat, say, label: str = "review call"
) -> None:
    """`sizes.admitted` applications through the workflow to expert review, over the groups and the fields.

    Guangdong's groups go through their department, Zhejiang's through the industry delegate (the demo
    department's inbox stays the open call's); each recommender's quota is raised to what it recommends.
    """
    from portal.choices import Province
    from portal.models import Organisation, User
    from projects import workflow
    from projects.models import IndustryField
    from projects.services import applications as application_services
    from projects.services import calls
    from standards.models import ApplicationType
    from tests.factories import fill_complete, make_application, member_of

    started = time.perf_counter()
    recommenders = {
        Province.GUANGDONG: Organisation.objects.get(code="GDGXT"),
        Province.ZHEJIANG: Organisation.objects.get(code="CMIF"),
    }
    # The same staff for every call this fills (the review call, then the notice call).
    staff = {
        org.pk: User.objects.filter(username=f"bench_{org.code.lower()}").first()
        or member_of(org, username=f"bench_{org.code.lower()}")
        for org in recommenders.values()
    }
    available = sum(len(group_standards) for group_standards in standards)
    if available < sizes.admitted:
        raise SystemExit(f"the social groups have {available} standards to apply for, BENCH_ADMITTED={sizes.admitted}")
    dealt = _deal(groups, standards, sizes.admitted)
    submitted: dict[int, list] = {org.pk: [] for org in recommenders.values()}
    for number, batch in enumerate(_batches(dealt)):
        with transaction.atomic():
            for n, ((group, _profile, member), standard, _nth) in enumerate(batch, start=number * BATCH):
                recommender = recommenders[group.province]
                application = make_application(call=call, group=group, standard=standard, by=member)
                fill_complete(application, recommender=recommender)
                application_services.save_claim(
                    application=application,
                    by=member,
                    claims=[ApplicationType.INNOVATIVE],
                    industry_field=IndustryField.values[n % len(IndustryField.values)],
                    recommender=recommender,
                )
                submitted[recommender.pk].append(workflow.submit(application, by=member))
    say(f"  {label}: {sizes.admitted} applications submitted in {time.perf_counter() - started:.0f} s")

    started = time.perf_counter()
    for recommender in recommenders.values():
        chosen = submitted[recommender.pk]
        if len(chosen) > call.default_quota:
            with transaction.atomic():
                calls.set_quota(
                    call=call, recommender=recommender, quota=len(chosen), by=secretariat, reason="申报数量多。"
                )
        for number, batch in enumerate(_batches(chosen)):
            with transaction.atomic():
                for rank, application in enumerate(batch, start=number * BATCH + 1):
                    workflow.recommend(application, by=staff[recommender.pk], opinion="同意推荐。", rank=rank)
    now = timezone.now()
    with transaction.atomic():
        calls.update_call(
            call=call,
            by=secretariat,
            reason="推荐工作已结束，进入形式审查和专家评审。",
            deadline=now - timedelta(days=60),
            recommendation_deadline=now - timedelta(days=30),
        )
    admitted = 0
    for batch in _batches([application for chosen in submitted.values() for application in chosen]):
        with transaction.atomic():
            for application in batch:
                workflow.admit(application, by=secretariat)
                admitted += 1
    say(f"  {label}: {admitted} recommended and admitted in {time.perf_counter() - started:.0f} s")


def _experts(groups: list[tuple], sizes: Sizes, secretariat, say) -> None:
    """The pool: `expert1` in every field, and as many bench experts as make `sizes.experts` with fields.

    Each bench expert covers a run of consecutive fields, so the pool covers every field evenly; one in ten is
    affiliated with a social group and one in ten kept away from one (their applications are conflicts).
    """
    from portal.choices import Province
    from projects.models import IndustryField
    from reviews.models import Expert, KeptAwayReason
    from reviews.services import experts

    started = time.perf_counter()
    codes = IndustryField.values
    expert1 = Expert.objects.get(user__username="expert1")
    with transaction.atomic():
        experts.update_expert(expert=expert1, fields=codes, by=secretariat)
    # seed_demo's experts (fields of its own review call) count in the pool, but only expert1 covers every field:
    # the bench experts and expert1 alone give each field its spare experts.
    in_pool = Expert.objects.filter(is_active=True, expertise__isnull=False).distinct().count()
    count = sizes.experts - in_pool
    needed = REVIEWS_PER_APPLICATION + SPARE_EXPERTS_PER_FIELD - 1
    if count < needed:
        raise SystemExit(
            f"BENCH_EXPERTS={sizes.experts}: seed_demo puts {in_pool} experts in the pool; at least {needed} more are "
            f"needed for every field to have {needed + 1} experts (BENCH_EXPERTS >= {in_pool + needed})"
        )
    per_expert = min(len(codes), max(2, math.ceil(len(codes) * needed / count)))
    until = timezone.localdate() + timedelta(days=365)
    for batch in _batches(range(count)):
        with transaction.atomic():
            for n in batch:
                group = groups[n % len(groups)][0]
                affiliated = n % 10 == 3
                experts.add_expert(
                    name=f"评审专家{n:04d}",
                    email=f"expert{n:04d}@bench.example.cn",
                    affiliation=group.name if affiliated else INSTITUTES[n % len(INSTITUTES)],
                    organisation=group if affiliated else None,
                    title=TITLES[n % len(TITLES)],
                    province=Province.ZHEJIANG if n % 2 else Province.GUANGDONG,
                    fields=[codes[(n + j) % len(codes)] for j in range(per_expert)],
                    kept_away=[experts.KeptAwaySpec(group, KeptAwayReason.FORMER_EMPLOYER, until)]
                    if n % 10 == 7
                    else [],
                    by=secretariat,
                )
    say(f"  {count} experts added to the pool ({per_expert} fields each) in {time.perf_counter() - started:.0f} s")


def _settings(call, secretariat) -> None:
    """Five reviews per application, fifty at most per expert, due in two weeks; the notice's four criteria."""
    from reviews.models import Criterion, RankBy, TieBreak
    from reviews.services import rubric

    with transaction.atomic():
        rubric.ensure_rubric(call)
        rows = [
            rubric.CriterionRow(name=c.name, weight=c.weight, max_score=c.max_score, description=c.description, pk=c.pk)
            for c in Criterion.objects.filter(call=call).order_by("position", "pk")
        ]
        settings = {
            "reviews_per_application": REVIEWS_PER_APPLICATION,
            "max_load": MAX_LOAD,
            "due_at": timezone.now() + timedelta(days=14),
            "rank_by": RankBy.TRIMMED_MEAN,
            "tie_break": TieBreak.RECOMMENDATIONS,
            "divergence_threshold": Decimal(15),
        }
        rubric.save_rubric(call=call, by=secretariat, settings=settings, criteria=rows)


def _proposal(call, say):
    """The proposal for the whole call, solved twice with the same seed: timed the first time, traced for its
    peak memory (tracemalloc: Python's and numpy's allocations) the second, and the two must be equal."""
    from reviews.assignment import solver
    from reviews.services import assignments

    gc.collect()
    started = time.perf_counter()
    try:
        proposal = assignments.propose(call, seed=DRAW_SEED)
    except solver.Infeasible as infeasible:
        raise SystemExit("the review call has no assignment: " + "; ".join(infeasible.reasons[:5])) from None
    seconds = time.perf_counter() - started
    gc.collect()
    tracemalloc.start()
    try:
        again = assignments.propose(call, seed=DRAW_SEED)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    if again.pairs != proposal.pairs:
        raise SystemExit("the same seed on the same data gave two different proposals: the draw is not reproducible")
    loads = list(proposal.loads.values())
    figures = {
        "applications": len({paper for paper, _ in proposal.pairs}),
        "experts": len(proposal.loads),
        "reviews_per_application": REVIEWS_PER_APPLICATION,
        "pairs": len(proposal.pairs),
        "load_min": min(loads),
        "load_max": max(loads),
        "seconds": round(seconds, 2),
        "peak_mib": round(peak / 2**20, 1),
        "meets_target": seconds < PROPOSAL_TARGET_SECONDS,
    }
    say("  " + describe_proposal(figures))
    return proposal, figures


def describe_proposal(figures: dict) -> str:
    target = "met" if figures["meets_target"] else "MISSED"
    return (
        f"proposal: {figures['applications']} applications × {figures['reviews_per_application']} reviews over "
        f"{figures['experts']} experts (loads {figures['load_min']}–{figures['load_max']}) in {figures['seconds']} s, "
        f"peak {figures['peak_mib']} MiB (target < {PROPOSAL_TARGET_SECONDS} s: {target})"
    )


def _confirm(call, proposal, secretariat, say) -> None:
    from reviews.services import assignments

    started = time.perf_counter()
    created = assignments.confirm(call, proposal, by=secretariat)
    say(f"  {len(created)} assignments confirmed in {time.perf_counter() - started:.0f} s")


def _reviews(call, sizes: Sizes, say) -> None:
    """`sizes.reviews` reviews submitted by their experts, in assignment order (an application's five together,
    so that the first ones have all theirs in), except a third of expert1's: half of those saved as drafts, the
    rest not started, so that the queue shows every progress.

    Scores are drawn around each application's quality, shifted by each expert's leniency, so that the ranking
    has spread, ties are rare and the per-expert normalisation has something to correct.
    """
    from reviews.models import Assignment, AssignmentStatus, Criterion, Recommendation
    from reviews.services import reviews

    started = time.perf_counter()
    criteria = list(Criterion.objects.filter(call=call).order_by("position", "pk"))
    rows = list(
        Assignment.objects.filter(application__call=call, status=AssignmentStatus.ACTIVE)
        .select_related("expert__user")
        .order_by("pk")
    )
    own = [row for row in rows if row.expert.user.username == "expert1"]
    held = own[len(own) - len(own) // 3 :]
    held_pks = {row.pk for row in held}
    chosen = [row for row in rows if row.pk not in held_pks][: sizes.reviews]
    draw = random.Random(DRAW_SEED)  # noqa: S311 - made-up scores, reproducible
    quality = {row.application_id: draw.uniform(0.55, 0.95) for row in rows}
    leniency = {row.expert_id: draw.uniform(-0.08, 0.08) for row in rows}

    def draft(row, *, complete: bool = True) -> reviews.Draft:
        level = quality[row.application_id] + leniency[row.expert_id]
        scores = []
        for position, criterion in enumerate(criteria):
            if not complete and position % 2:
                continue
            share = min(1.0, max(0.0, draw.gauss(level, 0.06)))
            score = Decimal(round(share * criterion.max_score * 2)) / 2  # in steps of 0.5
            scores.append(reviews.ScoreInput(criterion_pk=criterion.pk, score=score))
        recommend = level >= 0.75
        return reviews.Draft(
            scores=scores,
            opinion=OPINIONS[(0 if recommend else 2) + draw.randrange(2)],
            recommendation=Recommendation.RECOMMEND if recommend else Recommendation.NOT_RECOMMEND,
        )

    for number, batch in enumerate(_batches(chosen)):
        with transaction.atomic():
            for row in batch:
                reviews.submit(assignment=row, by=row.expert.user, draft=draft(row))
        if (number + 1) % 20 == 0:
            say(f"    {(number + 1) * BATCH} reviews, {time.perf_counter() - started:.0f} s")
    drafts = held[: len(held) // 2]
    with transaction.atomic():
        for row in drafts:
            reviews.save_draft(assignment=row, by=row.expert.user, draft=draft(row, complete=False))
    own_submitted = len({row.pk for row in own} & {row.pk for row in chosen})
    say(
        f"  {len(chosen)} reviews submitted and {len(drafts)} drafts saved "
        f"(expert1: {len(own)} assigned, {own_submitted} submitted) "
        f"in {time.perf_counter() - started:.0f} s"
    )
