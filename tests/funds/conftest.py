import pytest

from .factories import committee_member_of, make_fund, manager_of, templates


@pytest.fixture
def fund(db):
    return make_fund()


@pytest.fixture
def manager(fund):
    """A manager of the fund (a test module that needs another defines its own)."""
    return manager_of(fund, full_name="Manager Chan")


@pytest.fixture
def members(fund):
    """The committee: three members, the first of whom chairs."""
    return [committee_member_of(fund, full_name=name) for name in ("Chair Wong", "Member Li", "Member Ho")]


@pytest.fixture
def checklist_templates(db):
    return templates()
