"""Rows of the role × URL matrix (tests/test_url_matrix.py) for the review stage's queue pages.

Each named URL of these pages gets a `Row` here, with the status for every actor: see the matrix's docstring.
The World holds `admitted` (an application under review) and `assignment` (of it, to the assigned expert).
"""

from tests.test_url_matrix import Row

ROWS: dict[str, Row] = {}
