"""Benchmark the service centres' queue and dashboard at a realistic volume: 5,000 requests.

    python bench/centre_queue.py [--repeat 30]                         # a throwaway SQLite database
    DATABASE_URL=postgres://…/h_queue python bench/centre_queue.py [--keep]

Seeds the two centres (Hong Kong on its public holidays, Hangzhou on the mainland's with its
make-up working weekends), each with a standard and a filing SLA policy, eight services, six staff
and a lead; 1,500 enterprises (``bench/directory.py``'s generator); and ``BENCH_REQUESTS``
(default 5,000) requests spread over both centres and every state as a working centre has them
(most completed, a fifth being worked, some waiting on the enterprise or a third party, a few
cancelled; the open ones made in the last three weeks, so that some are at risk or breached),
each with its state log, a thread of two to six messages (internal notes among them) and, for
most completed ones, a rating. Each request's clocks are then recomputed from its log by the
services' own ``recompute_clocks``.

It signs a member of the Hong Kong centre's staff in with password and TOTP and times,
round-robin: the queue's first page at 25 and at 100 rows, filtered and searched, the dashboard,
and a bare view (defined here, not in the portal) that reads the queue's first 25 rows and its
capped count with ``values()`` and renders them through a minimal template. Prints median and p95
of each, the queries of each, and as last line ``queue25_median_ms=… queue100_median_ms=…
dashboard_median_ms=… bare_median_ms=… ratio25=… ratio100=… dashboard_ratio=… queries25=…
queries100=… dashboard_queries=…``. Exits non-zero if the queue's queries differ between the two
page sizes.

Without DATABASE_URL the database is a SQLite file in a temporary folder. With DATABASE_URL the
seeded rows are removed at the end unless ``--keep`` (then the next run reuses them).
"""

import argparse
import datetime
import os
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[0] = str(ROOT)  # the project, not bench/ (whose queue.py would shadow the standard library)

from django.contrib.auth.hashers import make_password  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.http import HttpResponse  # noqa: E402
from django.template import Context, Engine  # noqa: E402
from django.test.utils import override_settings  # noqa: E402
from django.urls import include, path, reverse  # noqa: E402
from django.utils import timezone  # noqa: E402
from django.views.decorators.http import require_GET  # noqa: E402

from bench import directory  # noqa: E402  (sets Django up: DATABASE_URL, else a temporary SQLite file)
from enterprises.models import Enterprise  # noqa: E402
from hkhz_portal.accounts.models import Unit, User  # noqa: E402
from hkhz_portal.accounts.roles import Role, UnitKind  # noqa: E402
from hkhz_portal.accounts.services import assign_role  # noqa: E402
from programs.centres import sla  # noqa: E402
from programs.centres.queue import DEFAULT_SORT, SORTS  # noqa: E402
from programs.centres.services import policy_of, recompute_clocks  # noqa: E402
from programs.centres.workflow import OPEN_STATES, TRANSITIONS, PauseReason, State  # noqa: E402
from programs.models import (  # noqa: E402
    RequestMessage,
    RequestStateChange,
    Service,
    ServiceCategory,
    ServiceRating,
    ServiceRequest,
)
from programs.queue import COUNT_CAP  # noqa: E402
from tests.programs.centre_factories import policy_for  # noqa: E402

PAGE_SIZE = 25
FIRMS = 1500
STAFF = 6
STAFF_DOMAIN = "centres.bench.invalid"
BATCH = 1000
CENTRES = (
    ("bench-hk-centre", UnitKind.GO_GLOBAL_CENTRE, "Bench Hong Kong Centre", "基准香港中心", "基準香港中心"),
    ("bench-hz-centre", UnitKind.COME_IN_CENTRE, "Bench Hangzhou Centre", "基准杭州中心", "基準杭州中心"),
)
SERVICES = (
    (ServiceCategory.COMPANY_SETUP, "Company set-up", "公司设立", "公司設立"),
    (ServiceCategory.BANK_ACCOUNT, "Bank account opening", "银行开户", "銀行開戶"),
    (ServiceCategory.REGULATORY_FILING, "Regulatory dossier", "注册申报", "註冊申報"),
    (ServiceCategory.TALENT_VISAS, "Talent visas", "人才签证", "人才簽證"),
    (ServiceCategory.IP, "Patent filing", "专利申请", "專利申請"),
    (ServiceCategory.LEGAL_TAX, "Tax registration", "税务登记", "稅務登記"),
    (ServiceCategory.SPACE, "Lab space", "实验室空间", "實驗室空間"),
    (ServiceCategory.INVESTOR_MATCHMAKING, "Investor matchmaking", "投资对接", "投資對接"),
)
#: How a working centre's requests spread over the states (most long completed).
STATE_WEIGHTS = {
    State.COMPLETED: 55,
    State.CANCELLED: 7,
    State.REQUESTED: 6,
    State.ACCEPTED: 5,
    State.IN_PROGRESS: 14,
    State.WAITING_ON_CLIENT: 6,
    State.WAITING_ON_THIRD_PARTY: 7,
}
#: The steps that lead to each state (one of them chosen at random).
LIVES = {
    State.REQUESTED: [("request",)],
    State.ACCEPTED: [("request", "accept")],
    State.IN_PROGRESS: [
        ("request", "accept", "start_work"),
        ("request", "accept", "start_work", "ask_client", "client_answered"),
    ],
    State.WAITING_ON_CLIENT: [("request", "accept", "start_work", "ask_client")],
    State.WAITING_ON_THIRD_PARTY: [("request", "accept", "start_work", "wait_third_party")],
    State.COMPLETED: [
        ("request", "accept", "start_work", "complete"),
        ("request", "accept", "start_work", "wait_third_party", "resume", "complete"),
        ("request", "accept", "start_work", "ask_client", "client_answered", "complete"),
    ],
    State.CANCELLED: [("request", "decline"), ("request", "accept", "cancel")],
}
HOUR = datetime.timedelta(hours=1)


def _life(rng, policy, steps, created) -> list[datetime.datetime]:
    """When each step was taken: the request at any hour, each later step some business time
    after the one before (the centre works in its hours): an answer within a few hours, each
    step of the work within two days, the completion within a week."""
    moments = [created]
    for step in steps[1:]:
        if step == "accept":
            hours = rng.expovariate(1 / 2.5)
        else:
            hours = rng.uniform(2, 40) if step == "complete" else rng.uniform(0.5, 16)
        moments.append(sla.add_business_time(policy, moments[-1], HOUR * hours))
    return moments


def _units():
    return [
        Unit.objects.get_or_create(
            code=code, defaults={"kind": kind, "name_en": en, "name_zh_hans": hans, "name_zh_hant": hant}
        )[0]
        for code, kind, en, hans, hant in CENTRES
    ]


def seed(count: int, rng: random.Random, units) -> None:
    directory.seed(FIRMS, rng)
    firms = list(Enterprise.objects.filter(reference__startswith=directory.PREFIX).values_list("pk", flat=True))
    now = timezone.now()
    services, staff = [], {}
    for unit in units:
        standard, filing = policy_for(unit, first_response=4, resolution=40), policy_for(unit, resolution=120)
        for n, (category, en, hans, hant) in enumerate(SERVICES):
            services.append(
                Service.objects.create(
                    unit=unit,
                    slug=f"{unit.code}-{category.replace('_', '-')}",
                    category=category,
                    name_en=en,
                    name_zh_hans=hans,
                    name_zh_hant=hant,
                    description_en=en,
                    description_zh_hans=hans,
                    description_zh_hant=hant,
                    sla_policy=filing if category == ServiceCategory.REGULATORY_FILING else standard,
                    order=n,
                )
            )
        staff[unit.pk] = []
        for n in range(STAFF + 1):
            user = User.objects.create(
                email=f"{unit.code}-{n}@{STAFF_DOMAIN}",
                full_name=f"{unit.name_en} staff {n}",
                password=make_password(None),
            )
            assign_role(user, Role.PROGRAM_OFFICER if n == STAFF else Role.CENTRE_STAFF, unit=unit, actor=None)
            staff[unit.pk].append(user.pk)
    frozen = {service.pk: policy_of(service.sla_policy).to_json() for service in services}
    policies = {pk: sla.Policy.from_json(policy) for pk, policy in frozen.items()}
    states, weights = zip(*STATE_WEIGHTS.items(), strict=True)
    requests, lives = [], []
    for n in range(count):
        service = services[n % len(services)]
        state = rng.choices(states, weights)[0]
        steps = rng.choice(LIVES[state])
        # Open requests were made in the last weeks, settled ones in the last half year; a life
        # that would end after now was made a day earlier.
        age = HOUR * 24 * (min(rng.expovariate(1 / 4), 21) if state in OPEN_STATES else rng.uniform(10, 180))
        moments = _life(rng, policies[service.pk], steps, now - age)
        while moments[-1] > now:
            moments = _life(rng, policies[service.pk], steps, moments[0] - HOUR * 24)
        assignee = None if state == State.REQUESTED and rng.random() < 0.3 else rng.choice(staff[service.unit_id])
        answered = moments[steps.index("accept")] if "accept" in steps else None
        requests.append(
            ServiceRequest(
                reference=f"SRV-{timezone.localtime(moments[0]):%Y}-{800000 + n}",
                service=service,
                unit_id=service.unit_id,
                enterprise_id=rng.choice(firms),
                assignee_id=assignee,
                state=state,
                details="Please help us with this service; our documents are in the library. " * rng.randint(1, 4),
                sla=frozen[service.pk],
                first_response_at=answered,
                closed_at=moments[-1] if state in (State.COMPLETED, State.CANCELLED) else None,
            )
        )
        lives.append((steps, moments))
    for start in range(0, count, BATCH):
        _store(requests[start : start + BATCH], lives[start : start + BATCH], rng, staff)
    for request in ServiceRequest.objects.filter(unit__in=units).iterator(chunk_size=BATCH):
        recompute_clocks(request, now=now)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:  # what autovacuum does after a bulk load: fresh statistics
            for table in (
                "programs_servicerequest",
                "programs_requeststatechange",
                "programs_servicerating",
                "enterprises_enterprise",
                "accounts_user",
            ):
                cursor.execute(f"VACUUM ANALYZE {table}")


@transaction.atomic
def _store(requests, lives, rng, staff) -> None:
    """One batch of requests with their logs, threads and ratings. ``created_at`` is set on
    each row, so it is written by ``bulk_update`` (``bulk_create`` would stamp the seeding time)."""
    ServiceRequest.objects.bulk_create(requests)
    changes, messages, ratings = [], [], []
    for request, (steps, moments) in zip(requests, lives, strict=True):
        request.created_at = moments[0]
        request.state_changed_at = moments[-1]
        previous = ""
        for step, moment in zip(steps, moments, strict=True):
            target = TRANSITIONS[step].target
            change = RequestStateChange(
                request=request,
                transition=step,
                from_state=previous,
                to_state=target,
                actor_id=request.assignee_id,
                pause_reason=rng.choice(PauseReason.values) if step == "wait_third_party" else "",
                note="Waiting on the bank's checks." if step in ("wait_third_party", "decline", "cancel") else "",
            )
            change.created_at = moment
            changes.append(change)
            previous = target
        for k in range(rng.randint(2, 6)):
            from_centre = k % 2 == 1
            message = RequestMessage(
                request=request,
                author_id=request.assignee_id if from_centre else None,
                from_centre=from_centre,
                internal=from_centre and rng.random() < 0.25,
                body="Thank you, we have what we need for the next step. " * rng.randint(1, 5),
            )
            message.created_at = min(moments[0] + HOUR * (k + 1) * rng.uniform(1, 12), moments[-1] + HOUR)
            messages.append(message)
        if request.state == State.COMPLETED and rng.random() < 0.7:
            ratings.append(ServiceRating(request=request, score=rng.choices([5, 4, 3, 2, 1], [45, 30, 13, 7, 5])[0]))
    ServiceRequest.objects.bulk_update(requests, ["created_at", "state_changed_at"], batch_size=500)
    for model, rows in ((RequestStateChange, changes), (RequestMessage, messages)):
        dates = [row.created_at for row in rows]
        model.objects.bulk_create(rows, batch_size=500)
        for row, date in zip(rows, dates, strict=True):
            row.created_at = date
        model.objects.bulk_update(rows, ["created_at"], batch_size=500)
    ServiceRating.objects.bulk_create(ratings, batch_size=500)


def remove_seeded(units) -> None:
    with transaction.atomic():
        ServiceRequest.objects.filter(unit__in=units).delete()  # with their logs, threads and ratings
        Service.objects.filter(unit__in=units).delete()
        for unit in units:
            unit.sla_policies.all().delete()
        User.objects.filter(email__endswith=f"@{STAFF_DOMAIN}").delete()
        Enterprise.objects.filter(reference__startswith=directory.PREFIX).delete()


# --- The bare view: the queue's first rows and count, from values(), through a minimal template ----

BARE = Engine().from_string(
    "<!DOCTYPE html><title>bare</title><p>{{ count }}</p><table>{% for r in rows %}<tr>"
    '<td><a href="/staff/requests/{{ r.reference }}/">{{ r.reference }}</a></td><td>{{ r.service_id }}</td>'
    "<td>{{ r.enterprise__legal_name_en }} {{ r.enterprise__legal_name_zh }}</td><td>{{ r.state }}</td>"
    "<td>{{ r.assignee__full_name }}</td><td>{{ r.created_at }}</td><td>{{ r.response_level }} "
    "{{ r.response_due_at }} {{ r.resolution_level }} {{ r.resolution_due_at }} {{ r.resolution_left }}</td>"
    "</tr>{% endfor %}</table>"
)
BARE_FIELDS = (
    "reference",
    "service_id",
    "state",
    "created_at",
    "response_level",
    "response_due_at",
    "resolution_level",
    "resolution_due_at",
    "resolution_left",
    "enterprise__legal_name_en",
    "enterprise__legal_name_zh",
    "assignee__full_name",
)


@require_GET
def bare(request):
    qs = ServiceRequest.objects.filter(unit_id=request.user.unit_id, state__in=OPEN_STATES)
    qs = qs.order_by(*SORTS[DEFAULT_SORT][1])
    rows = list(qs.values(*BARE_FIELDS)[:PAGE_SIZE])
    count = qs.order_by()[: COUNT_CAP + 1].count()  # what the queue counts (programs.queue.CappedPaginator)
    return HttpResponse(BARE.render(Context({"rows": rows, "count": count})))


urlpatterns = [path("bench/bare/", bare), path("", include("hkhz_portal.urls"))]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--keep", action="store_true", help="keep the seeded rows for the next run")
    args = parser.parse_args()
    count = int(os.environ.get("BENCH_REQUESTS", "5000"))
    rng = random.Random(2026)

    started = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    units = _units()
    if ServiceRequest.objects.filter(unit__in=units).count() != count:
        remove_seeded(units)
        seed(count, rng, units)
    seeded = time.perf_counter() - started
    hong_kong = units[0]
    user = directory.officer(hong_kong, Role.CENTRE_STAFF)
    # The signed-in member holds a share of the open requests, as a colleague would.
    mine = ServiceRequest.objects.filter(unit=hong_kong, state__in=OPEN_STATES).order_by("id")[::7]
    ServiceRequest.objects.filter(pk__in=[r.pk for r in mine]).update(assignee=user)
    in_centre = ServiceRequest.objects.filter(unit=hong_kong)
    firm = Enterprise.objects.get(pk=in_centre.filter(state=State.IN_PROGRESS).order_by("id")[0].enterprise_id)

    with override_settings(ROOT_URLCONF=__name__):
        client = directory.sign_in(user)
        queue, dashboard = reverse("programs:centre_queue"), reverse("programs:centre_dashboard")
        scenarios = [
            ("Bare view: the same 25 rows and count, values()", "/bench/bare/", {}),
            ("Queue, open, due soonest first, 25 rows", queue, {}),
            ("Queue, open, due soonest first, 100 rows", queue, {"per_page": 100}),
            ("Queue, every state, newest first, 100 rows", queue, {"state": "all", "sort": "newest", "per_page": 100}),
            ("Queue, mine", queue, {"assignee": "me"}),
            ("Queue, at risk", queue, {"at_risk": "on"}),
            ("Queue, breached", queue, {"breached": "on"}),
            (
                "Queue, one service, waiting on a third party",
                queue,
                {"service": f"{hong_kong.code}-bank-account", "state": "waiting_on_third_party"},
            ),
            (f"Queue, Chinese name “{firm.legal_name_zh[2:6]}”", queue, {"q": firm.legal_name_zh[2:6], "state": "all"}),
            ("Queue, a reference", queue, {"q": in_centre.order_by("-id")[0].reference.lower(), "state": "all"}),
            ("Dashboard", dashboard, {}),
        ]
        load_before = os.getloadavg()[0]
        results = directory.measure_queue(client, scenarios, args.repeat, row_href="/staff/requests/SRV-")

    centre_requests = in_centre.count()
    bare = results[scenarios[0][0]]["median"]
    print(
        f"## Centre queue benchmark: {count:,} requests in two centres ({centre_requests:,} the Hong Kong "
        f"centre's), {args.repeat} requests per row\n"
    )
    print(
        f"Machine: {os.cpu_count()} CPUs ({directory.cpu_model()}), {directory.database_description()}. "
        f"Seeding (or reusing) took {seeded:.1f} s; load average {load_before:.1f} before the timed "
        f"requests, {os.getloadavg()[0]:.1f} after.\n"
    )
    print("| request | matches | rows | median ms | p95 ms | queries | × bare |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    for label, r in results.items():
        print(
            f"| {label} | {r['matches']} | {r['rows']} | {r['median']:.1f} | {r['p95']:.1f} | {r['queries']} | "
            f"{r['median'] / bare:.2f} |"
        )
    q25, q100 = results[scenarios[1][0]], results[scenarios[2][0]]
    board = results["Dashboard"]
    print(
        f"\nqueue25_median_ms={q25['median']:.1f} queue100_median_ms={q100['median']:.1f} "
        f"dashboard_median_ms={board['median']:.1f} bare_median_ms={bare:.1f} "
        f"ratio25={q25['median'] / bare:.2f} ratio100={q100['median'] / bare:.2f} "
        f"dashboard_ratio={board['median'] / bare:.2f} queries25={q25['queries']} queries100={q100['queries']} "
        f"dashboard_queries={board['queries']}"
    )
    if directory.EXTERNAL_DB and not args.keep:
        remove_seeded(units)
    else:  # their colleagues hold them again for the next run
        ServiceRequest.objects.bulk_update(mine, ["assignee"])
    user.delete()
    return 0 if q25["queries"] == q100["queries"] else 1


if __name__ == "__main__":
    sys.exit(main())
