"""Fixtures the recommendation tests share; a test module's own fixture of the same name takes precedence."""

import pytest

from tests.factories import ProvincialDepartmentFactory, member_of


@pytest.fixture
def department():
    """The Zhejiang department, as the recommender pages name it."""
    return ProvincialDepartmentFactory(province="330000", name="浙江省经济和信息化厅")


@pytest.fixture
def recommender(department):
    """A member of staff of `department`."""
    return member_of(department)
