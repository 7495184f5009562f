"""The pages the benchmark loads: one list, which each stage extends with its own pages when they land.

`path` is the URL with placeholders the fill's ids replace (`{call}`, `{standard}`...); its unformatted form is
the page's `name` in the results, so runs compare whatever ids a fill produced. `user` is the demo account
signed in for it (None: an anonymous visitor). The targets are the issue's: ratios to the reference page.
"""

from dataclasses import dataclass

PUBLIC_MIN_RATIO, PUBLIC_MAX_P99_MS = 0.35, 50
SIGNED_IN_MIN_RATIO, SIGNED_IN_MAX_P99_MS = 0.05, 500
MAX_QUERIES = 15


@dataclass(frozen=True)
class Page:
    path: str
    user: str | None = None

    @property
    def public(self) -> bool:
        return self.user is None

    @property
    def api(self) -> bool:
        return self.path.startswith("/api/")

    def url(self, ids: dict[str, int]) -> str:
        return self.path.format(**ids)

    def meets_target(self, *, ratio: float, p99_ms: float, queries: int) -> bool:
        if self.public:
            fast = ratio >= PUBLIC_MIN_RATIO and p99_ms < PUBLIC_MAX_P99_MS
        else:
            fast = ratio >= SIGNED_IN_MIN_RATIO and p99_ms < SIGNED_IN_MAX_P99_MS
        return fast and queries <= MAX_QUERIES


# One indexed query and a tiny template, mounted by bench/urls.py only.
REFERENCE = Page("/bench/reference/{organisation}/")

PAGES = [
    # Public
    Page("/"),
    Page("/standards/"),
    Page("/standards/?q=T/ZZB%201-2019"),
    Page("/standards/{standard}/"),
    Page("/groups/"),
    Page("/groups/{group}/"),
    Page("/calls/"),
    Page("/calls/{call}/"),
    Page("/register/"),
    Page("/publicity/"),
    Page("/publicity/{notice}/"),
    Page("/projects/"),
    Page("/projects/?q={project_number}"),
    Page("/projects/?q=%E7%A4%BA%E4%BE%8B"),
    Page("/projects/{project}/"),
    Page("/statistics/"),
    # The open-data API (JSON)
    Page("/api/v1/projects/"),
    Page("/api/v1/projects/?q={project_number}"),
    Page("/api/v1/projects/{project}/"),
    Page("/api/v1/announcements/"),
    Page("/api/v1/notices/"),
    Page("/api/v1/notices/{notice}/"),
    Page("/api/v1/standards/"),
    Page("/api/v1/standards/?q=T/ZZB%201-2019"),
    Page("/api/v1/standards/{standard}/"),
    Page("/api/v1/groups/"),
    Page("/api/v1/groups/{group}/"),
    # The applicant (a social group)
    Page("/dashboard/", "applicant"),
    Page("/applications/", "applicant"),
    Page("/organisation/", "applicant"),
    Page("/account/", "applicant"),
    Page("/applications/{draft}/submit/", "applicant"),
    Page("/applications/{submitted}/receipt/1/", "applicant"),
    # The recommender (the demo provincial department)
    Page("/dashboard/", "recommender"),
    Page("/recommendations/?call={call}", "recommender"),
    Page("/notifications/", "recommender"),
    Page("/applications/{submitted}/", "recommender"),
    # The expert (the demo expert1, with a full load in the review call, part of it submitted)
    Page("/reviews/", "expert1"),
    # The secretariat
    Page("/dashboard/", "secretariat"),
    Page("/applications/", "secretariat"),
    Page("/audit/", "secretariat"),
    Page("/calls/{call}/recommenders/", "secretariat"),
    Page("/calls/{call}/formal-check/", "secretariat"),
    Page("/calls/{call}/preview/", "secretariat"),
    Page("/calls/{review_call}/assignments/", "secretariat"),
    Page("/calls/{review_call}/ranking/", "secretariat"),
    Page("/calls/{review_call}/shortlist/", "secretariat"),
    Page("/applications/{reviewed}/outcome/", "secretariat"),
    Page("/publicity/{notice}/", "secretariat"),
    Page("/publicity/objections/", "secretariat"),
    Page("/statistics/calls/{review_call}/", "secretariat"),
    Page("/organisations/requests/", "secretariat"),
    Page("/organisations/", "secretariat"),
]
