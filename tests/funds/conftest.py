import pytest

from funds.workflow import Stage
from tests.factories import EnterpriseFactory, member_of

from .factories import committee_member_of, deal_at, make_fund, manager_of, templates


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


@pytest.fixture
def reviewer(fund):
    """A second manager of the fund, who reviews diligence."""
    return manager_of(fund, full_name="Reviewer Lau")


@pytest.fixture
def deal(fund, manager, checklist_templates):
    """A deal in due diligence (a test module that needs another stage defines its own)."""
    return deal_at(Stage.DUE_DILIGENCE, fund, manager)


@pytest.fixture
def signed_in(client, manager):
    """The test client signed in as the fund's manager."""
    client.force_login(manager)
    return client


@pytest.fixture
def enterprise(db):
    """An enterprise asking the fund to invest (a test module that needs a named one defines its own)."""
    return EnterpriseFactory()


@pytest.fixture
def member(enterprise):
    """A member of the enterprise."""
    return member_of(enterprise, full_name="Member Chen")
