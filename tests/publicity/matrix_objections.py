"""Rows of the role × URL matrix (tests/test_url_matrix.py) for objections:
filing and tracking (public), handling (secretariat), answering (group, recommender)."""

ROWS: dict = {}
