"""Benchmark the fund's pipeline board and portfolio at a realistic volume, against a small fund.

    python bench/fund.py [--repeat 30]                        # a throwaway SQLite database
    DATABASE_URL=postgres://…/h_fund python bench/fund.py [--keep]

Seeds one fund unit with two funds: a large one with ``BENCH_DEALS`` deals (default 2,000: the
pipeline a fund accumulates over some years, most of them declined, about a quarter on the board,
a hundred-odd in its portfolio) and a small one with 20. Each deal past screening has its
ten-item due-diligence checklist, a share of them signed off; each deal that reached the committee
an agenda item with three votes; each portfolio company its closing (a fifth in USD or HKD at a
stored rate) with a capital transaction, a third a follow-on, a tenth an exit with its proceeds;
the fund has 40 commitments and 60 calls. Enterprises come from ``bench/directory.py``'s generator.

It signs a manager of both funds in with password and TOTP and times, round-robin: the board and
the portfolio of each fund, the declined deals' first page, and a bare view (defined here, not in
the portal) that reads the large board's deals with ``values()`` and renders them through a
minimal template. Prints median and p95 of each, the queries of each, and as last line
``board_median_ms=… portfolio_median_ms=… bare_median_ms=… board_ratio=… portfolio_ratio=…
board_queries=… board_small_queries=… portfolio_queries=… portfolio_small_queries=…``. Exits
non-zero if a page of the large fund takes more queries than the same page of the small one.

Without DATABASE_URL the database is a SQLite file in a temporary folder. With DATABASE_URL the
seeded rows are removed at the end unless ``--keep`` (then the next run reuses them).
"""

import argparse
import datetime
import os
import random
import sys
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[0] = str(ROOT)  # the project, not bench/ (whose queue.py would shadow the standard library)

from django.core.management import call_command  # noqa: E402
from django.db import transaction  # noqa: E402
from django.http import HttpResponse  # noqa: E402
from django.template import Context, Engine  # noqa: E402
from django.test.utils import override_settings  # noqa: E402
from django.urls import include, path, reverse  # noqa: E402
from django.utils import timezone  # noqa: E402
from django.views.decorators.http import require_GET  # noqa: E402

from bench import directory  # noqa: E402  (sets Django up: DATABASE_URL, else a temporary SQLite file)
from enterprises.models import Enterprise  # noqa: E402
from funds.models import (  # noqa: E402
    AgendaItem,
    CapitalTransaction,
    CommitteeMeeting,
    Deal,
    DealStageChange,
    DiligenceArea,
    DiligenceItem,
    Exit,
    ExitKind,
    Fund,
    Instrument,
    Investment,
    InvestmentKind,
    Outcome,
    TransactionKind,
    Vote,
    VoteChoice,
)
from funds.services.capital import convert  # noqa: E402
from funds.views.board import Board  # noqa: E402
from funds.workflow import BOARD_STAGES, Source, Stage  # noqa: E402
from hkhz_portal.accounts.models import Unit, User  # noqa: E402
from hkhz_portal.accounts.roles import Role, UnitKind  # noqa: E402
from hkhz_portal.accounts.services import assign_role  # noqa: E402

UNIT = "bench-fund"
FIRMS = 2500
SMALL = 20
#: How a fund's deals spread over the stages after some years (most declined at screening).
STAGE_WEIGHTS = {
    Stage.SOURCED: 8,
    Stage.SCREENING: 7,
    Stage.DUE_DILIGENCE: 5,
    Stage.COMMITTEE: 2,
    Stage.TERM_SHEET: 1.5,
    Stage.CLOSING: 1,
    Stage.PORTFOLIO: 6,
    Stage.DECLINED: 69.5,
}
PAST_SCREENING = {Stage.DUE_DILIGENCE, Stage.COMMITTEE, Stage.TERM_SHEET, Stage.CLOSING, Stage.PORTFOLIO}
PAST_COMMITTEE = {Stage.TERM_SHEET, Stage.CLOSING, Stage.PORTFOLIO}
#: The rates the bench's foreign closings are converted at (CNY for one unit).
RATES = {"CNY": Decimal(1), "USD": Decimal("7.1234"), "HKD": Decimal("0.9132")}
DAY = datetime.timedelta(days=1)


def money(amount, currency):
    """djmoney's ``Money``, imported once Django is set up (by ``bench.directory``)."""
    from djmoney.money import Money

    return Money(amount, currency)


def _unit() -> Unit:
    unit, _ = Unit.objects.get_or_create(
        code=UNIT,
        defaults={
            "kind": UnitKind.FUND,
            "name_en": "Bench Fund",
            "name_zh_hans": "基准基金",
            "name_zh_hant": "基準基金",
        },
    )
    return unit


def _member(unit, n) -> User:
    """A committee member who votes in the seeded meetings (never signs in)."""
    user, created = User.objects.get_or_create(email=f"bench-committee-{n}@bench.invalid")
    if created:
        assign_role(user, Role.COMMITTEE_MEMBER, unit=unit, actor=None)
    return user


def _fund(unit, slug, name) -> Fund:
    fund, _ = Fund.objects.get_or_create(
        slug=slug,
        defaults={
            "unit": unit,
            "name_en": name,
            "name_zh_hans": name,
            "name_zh_hant": name,
            "currency": "CNY",
            "target_size": money("2000000000.00", "CNY"),
            "vintage": 2022,
        },
    )
    return fund


def _stages(count, rng) -> list[Stage]:
    """A large fund's deals spread as ``STAGE_WEIGHTS`` says; a small one's, every stage in turn
    (so that each of its pages has rows of every kind to read)."""
    if count <= SMALL:
        return [list(Stage)[n % len(Stage)] for n in range(count)]
    stages, weights = zip(*STAGE_WEIGHTS.items(), strict=True)
    return [rng.choices(stages, weights)[0] for _ in range(count)]


@transaction.atomic
def seed_fund(fund, count, rng, enterprises, manager, members, *, first: int) -> None:
    """``count`` deals of ``fund`` on distinct ``enterprises`` (open deals are one per enterprise),
    numbered from ``first`` (beyond any real deal's)."""
    now = timezone.now()
    deals = []
    for n, (stage, enterprise) in enumerate(zip(_stages(count, rng), enterprises, strict=False)):
        deals.append(
            Deal(
                reference=f"DEAL-2026-{first + n}",
                fund=fund,
                enterprise=enterprise,
                stage=stage,
                source=rng.choice(list(Source)),
                amount_sought=money(Decimal(rng.randint(5, 200)) * 1_000_000, "CNY"),
                summary="A financing round for the next clinical phase.",
                lead=manager if rng.random() < 0.7 else None,
                decline_reason="Outside the mandate." if stage == Stage.DECLINED else "",
            )
        )
    Deal.objects.bulk_create(deals, batch_size=500)
    # auto_now_add stamped the seeding time: put each deal back to when it was sourced.
    for deal in deals:
        deal.created_at = now - DAY * rng.randint(30, 1500)
        deal.stage_changed_at = deal.created_at + DAY * rng.randint(0, 25)
    Deal.objects.bulk_update(deals, ["created_at", "stage_changed_at"], batch_size=500)
    DealStageChange.objects.bulk_create(
        (DealStageChange(deal=d, transition="source", from_stage="", to_stage=d.stage, actor=manager) for d in deals),
        batch_size=500,
    )
    items = [
        DiligenceItem(
            deal=deal,
            area=area,
            order=order,
            title_en=f"{label} review {order}",
            title_zh_hans="审查",
            title_zh_hant="審查",
            status="done",
            owner=manager,
            signed_off_by=manager if deal.stage != Stage.DUE_DILIGENCE or rng.random() < 0.5 else None,
            signed_off_at=now if deal.stage != Stage.DUE_DILIGENCE or rng.random() < 0.5 else None,
        )
        for deal in deals
        if deal.stage in PAST_SCREENING
        for area, label in DiligenceArea.choices
        for order in range(2)
    ]
    DiligenceItem.objects.bulk_create(items, batch_size=1000)
    meeting = CommitteeMeeting.objects.create(fund=fund, title="Bench committee", scheduled_for=now, chair=members[0])
    meeting.members.set(members)
    decided = [deal for deal in deals if deal.stage in PAST_COMMITTEE | {Stage.COMMITTEE}]
    agenda = AgendaItem.objects.bulk_create(
        AgendaItem(
            meeting=meeting,
            deal=deal,
            order=n,
            closed_at=None if deal.stage == Stage.COMMITTEE else now,
            outcome="" if deal.stage == Stage.COMMITTEE else Outcome.APPROVED,
        )
        for n, deal in enumerate(decided)
    )
    Vote.objects.bulk_create(
        (Vote(item=item, member=member, choice=VoteChoice.APPROVE) for item in agenda for member in members),
        batch_size=1000,
    )
    _seed_capital(fund, [d for d in deals if d.stage == Stage.PORTFOLIO], rng, manager)


def _transaction(fund, kind, amount, rate, day, manager, deal=None) -> CapitalTransaction:
    return CapitalTransaction(
        fund=fund,
        kind=kind,
        deal=deal,
        amount=amount,
        fx_rate=rate,
        fund_amount=convert(amount, rate, fund.currency),
        value_date=day,
        recorded_by=manager,
    )


def _seed_capital(fund, portfolio, rng, manager) -> None:
    today = timezone.localdate()
    ledger = [
        _transaction(fund, kind, money(Decimal(rng.randint(20, 200)) * 1_000_000, "CNY"), 1, day, manager)
        for kind, times in ((TransactionKind.COMMITMENT, 40), (TransactionKind.CALL, 60))
        for day in (today - DAY * rng.randint(30, 1500) for _ in range(times))
    ]
    holdings = []
    for deal in portfolio:
        currency = rng.choices(list(RATES), (8, 1, 1))[0]
        closed = today - DAY * rng.randint(60, 1400)
        rounds = [(InvestmentKind.INITIAL, closed)]
        if rng.random() < 0.33:
            rounds.append((InvestmentKind.FOLLOW_ON, closed + DAY * rng.randint(30, 50)))
        for kind, day in rounds:
            amount = money(Decimal(rng.randint(5, 60)) * 1_000_000, currency)
            txn = _transaction(fund, TransactionKind.INVESTMENT, amount, RATES[currency], day, manager, deal)
            ledger.append(txn)
            holdings.append(
                Investment(
                    deal=deal,
                    kind=kind,
                    instrument=Instrument.EQUITY,
                    amount=amount,
                    pre_money=money(amount.amount * 6, currency),
                    ownership_percent=Decimal("12.5000"),
                    closed_on=day,
                    transaction=txn,
                    recorded_by=manager,
                )
            )
        if rng.random() < 0.1:
            proceeds = money(Decimal(rng.randint(10, 90)) * 1_000_000, "CNY")
            txn = _transaction(fund, TransactionKind.DISTRIBUTION, proceeds, 1, today - DAY * 10, manager, deal)
            ledger.append(txn)
            holdings.append(
                Exit(
                    deal=deal,
                    kind=ExitKind.TRADE_SALE,
                    proceeds=proceeds,
                    stake_sold_percent=Decimal("40.0000"),
                    exited_on=txn.value_date,
                    transaction=txn,
                    recorded_by=manager,
                )
            )
    CapitalTransaction.objects.bulk_create(ledger, batch_size=500)
    for model in (Investment, Exit):
        model.objects.bulk_create([h for h in holdings if isinstance(h, model)], batch_size=500)


def seed(count, rng, manager, members) -> tuple[Fund, Fund]:
    unit = _unit()
    big, small = _fund(unit, "bench-large", "Bench Large Fund"), _fund(unit, "bench-small", "Bench Small Fund")
    directory.seed(FIRMS, rng)
    firms = list(Enterprise.objects.filter(reference__startswith=directory.PREFIX).order_by("id"))
    rng.shuffle(firms)
    seed_fund(big, count, rng, firms[:count], manager, members, first=800_000)
    seed_fund(small, SMALL, rng, firms[count : count + SMALL], manager, members, first=900_000)
    return big, small


def remove_seeded() -> None:
    funds = Fund.objects.filter(unit__code=UNIT)
    deals = Deal.objects.filter(fund__in=funds)
    for model in (Vote, AgendaItem, Investment, Exit):
        model.objects.filter(**({"item__deal__in": deals} if model is Vote else {"deal__in": deals})).delete()
    CommitteeMeeting.objects.filter(fund__in=funds).delete()
    CapitalTransaction.objects.filter(fund__in=funds).delete()
    deals.delete()
    Enterprise.objects.filter(reference__startswith=directory.PREFIX).delete()
    User.objects.filter(email__startswith="bench-committee-").delete()


BARE = Engine().from_string(
    '<!DOCTYPE html><title>bare</title>{% for d in deals %}<article><a href="/fund/deals/{{ d.reference }}/">'
    "{{ d.reference }}</a> {{ d.stage }} {{ d.enterprise__legal_name_en }} {{ d.enterprise__legal_name_zh }} "
    "{{ d.amount_sought }} {{ d.amount_sought_currency }} {{ d.lead__full_name }} {{ d.stage_changed_at }}"
    "</article>{% endfor %}"
)


@require_GET
def bare(request):
    """The rows the large board shows (each column's ``Board.COLUMN_CAP`` longest in their stage),
    read with ``values()`` and drawn bare."""
    deals = Deal.objects.filter(fund__slug="bench-large", stage__in=BOARD_STAGES).order_by("stage_changed_at", "id")
    rows = deals.values(
        "reference",
        "stage",
        "enterprise__legal_name_en",
        "enterprise__legal_name_zh",
        "amount_sought",
        "amount_sought_currency",
        "lead__full_name",
        "stage_changed_at",
    )
    shown = dict.fromkeys(BOARD_STAGES, 0)
    capped = []
    for row in rows:
        if shown[row["stage"]] < Board.COLUMN_CAP:
            shown[row["stage"]] += 1
            capped.append(row)
    return HttpResponse(BARE.render(Context({"deals": capped})))


urlpatterns = [path("bench/bare/", bare), path("", include("hkhz_portal.urls"))]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--keep", action="store_true", help="keep the seeded rows for the next run")
    args = parser.parse_args()
    count = int(os.environ.get("BENCH_DEALS", "2000"))
    rng = random.Random(2026)

    started = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    unit = _unit()
    reuse = Deal.objects.filter(fund__slug="bench-large").count() == count
    if not reuse:
        remove_seeded()
    manager = directory.officer(unit, Role.FUND_MANAGER)
    if not reuse:
        seed(count, rng, manager, [_member(unit, n) for n in range(3)])
    seeded = time.perf_counter() - started
    on_board = Deal.objects.filter(fund__slug="bench-large", stage__in=BOARD_STAGES).count()
    portfolio_size = Deal.objects.filter(fund__slug="bench-large", stage=Stage.PORTFOLIO).count()

    with override_settings(ROOT_URLCONF=__name__):
        client = directory.sign_in(manager)
        board, portfolio = reverse("funds:board"), reverse("funds:portfolio")
        scenarios = [
            ("Bare view: the large board's shown deals, values()", "/bench/bare/", {}),
            (f"Board, large fund ({on_board:,} deals on it)", board, {"fund": "bench-large"}),
            (f"Board, small fund ({SMALL} deals)", board, {"fund": "bench-small"}),
            (f"Portfolio, large fund ({portfolio_size} companies)", portfolio, {"fund": "bench-large"}),
            ("Portfolio, small fund", portfolio, {"fund": "bench-small"}),
            ("Declined deals, large fund", board, {"fund": "bench-large", "show": "declined"}),
        ]
        load_before = os.getloadavg()[0]
        results = directory.measure_queue(client, scenarios, args.repeat, row_href="/fund/deals/DEAL-")

    bare_ms = results[scenarios[0][0]]["median"]
    print(
        f"## Fund benchmark: {count:,} deals in the large fund, {SMALL} in the small one, {args.repeat} requests each\n"
    )
    print(
        f"Machine: {os.cpu_count()} CPUs ({directory.cpu_model()}), {directory.database_description()}. "
        f"Seeding (or reusing) took {seeded:.1f} s; load average {load_before:.1f} before the timed "
        f"requests, {os.getloadavg()[0]:.1f} after.\n"
    )
    print("| request | deal links | median ms | p95 ms | queries | × bare |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    for label, r in results.items():
        ratio = r["median"] / bare_ms
        print(f"| {label} | {r['rows']} | {r['median']:.1f} | {r['p95']:.1f} | {r['queries']} | {ratio:.2f} |")
    big_board, small_board, big_portfolio, small_portfolio = (results[s[0]] for s in scenarios[1:5])
    print(
        f"\nboard_median_ms={big_board['median']:.1f} portfolio_median_ms={big_portfolio['median']:.1f} "
        f"bare_median_ms={bare_ms:.1f} board_ratio={big_board['median'] / bare_ms:.2f} "
        f"portfolio_ratio={big_portfolio['median'] / bare_ms:.2f} board_queries={big_board['queries']} "
        f"board_small_queries={small_board['queries']} portfolio_queries={big_portfolio['queries']} "
        f"portfolio_small_queries={small_portfolio['queries']}"
    )
    if directory.EXTERNAL_DB and not args.keep:
        remove_seeded()
    manager.delete()
    flat = big_board["queries"] <= small_board["queries"] and big_portfolio["queries"] <= small_portfolio["queries"]
    return 0 if flat else 1


if __name__ == "__main__":
    sys.exit(main())
