"""Rows of the role × URL matrix (tests/test_url_matrix.py) for announcements and the public register:
/projects/, its export and feed, past programmes' import."""

ROWS: dict = {}
