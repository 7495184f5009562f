"""Rows of the role × URL matrix (tests/test_url_matrix.py) for the public notices:
the secretariat's preparing and scheduling, the public's /publicity/ pages."""

ROWS: dict = {}
