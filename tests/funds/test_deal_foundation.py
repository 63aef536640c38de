"""The foundation's smoke test: a deal goes from sourced to closing through the services."""

import pytest

from funds.workflow import Stage

from .factories import deal_at

pytestmark = pytest.mark.django_db


def test_a_deal_reaches_closing_with_its_checklist_drawn(fund, manager, checklist_templates):
    deal = deal_at(Stage.CLOSING, fund, manager)
    assert deal.stage == Stage.CLOSING
    assert deal.reference.startswith("DEAL-")
    assert deal.checklist.count() == len(checklist_templates)
    assert [c.to_stage for c in deal.stage_changes.all()] == [
        "sourced",
        "screening",
        "due_diligence",
        "committee",
        "term_sheet",
        "closing",
    ]


def test_a_recorded_round_opens_the_funds_window_with_its_terms_frozen(fund):
    from tests.factories import EnterpriseFactory, member_of

    from .factories import recorded_round

    enterprise = EnterpriseFactory()
    round_ = recorded_round(enterprise, member_of(enterprise))
    window = round_.windows.get()
    assert window.state == "open"
    assert window.terms["pre_money"] == {"amount": "80000000.00", "currency": "CNY"}
    assert (window.ends_at - window.notice_received_at).days in (30, 31)


def test_an_offer_on_better_terms_revives_a_waived_window_and_worse_terms_do_not(fund):
    from djmoney.money import Money

    from funds.models import WindowState
    from funds.services.rounds import record_offer
    from tests.factories import EnterpriseFactory, member_of

    from .factories import recorded_round

    enterprise = EnterpriseFactory()
    member = member_of(enterprise)
    round_ = recorded_round(enterprise, member)
    first = round_.windows.get()
    first.state, first.ended_at = WindowState.WAIVED, first.notice_received_at
    first.save()

    def offer(pre_money):
        return record_offer(
            actor=member,
            round_=round_,
            amount=Money("20000000", "CNY"),
            pre_money=Money(pre_money, "CNY"),
            instrument="equity",
        )

    offer("90000000")
    assert round_.windows.count() == 1
    offer("70000000")
    revived = round_.windows.get(state=WindowState.OPEN)
    assert revived.revived_from == first
    assert revived.terms["pre_money"]["amount"] == "70000000.00"
