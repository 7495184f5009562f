"""Rows of the role × URL matrix (tests/test_url_matrix.py) for the statistics pages.

/statistics/ and its CSV files are everyone's. A call's statistics are the secretariat's, refused by role like
the call's other secretariat pages (its ranking, its quotas): the login page for anonymous visitors, 403 for
every other user.
"""

from tests.test_url_matrix import Row, everyone, secretariat_only

ROWS: dict[str, Row] = {
    "reports:statistics": Row(everyone(200)),
    "reports:statistics_csv": Row(everyone(200), kwargs=lambda world: {"slug": "years"}),
    "reports:call_statistics": Row(secretariat_only(), kwargs=lambda world: {"pk": world.admitted.call_id}),
}
