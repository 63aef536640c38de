"""Benchmark the officer queue and the application page at a realistic volume, on PostgreSQL.

    DATABASE_URL=postgres://…/hkhz_officer_bench python bench/queue.py [--repeat 30] [--keep]

Seeds 10,000 enterprises (``bench/directory.py``'s generator) and ``BENCH_APPLICATIONS``
(default 100,000) submitted applications to twelve calls of one unit, spread over the states,
sectors and districts as a live portal has them; then signs a program officer in with password
and TOTP and times, round-robin, the queue's first page, a filtered page, a search by Chinese
name (typed in Traditional, stored in Simplified), the application page, and a bare view (defined
here, not in the portal) that reads the same rows and count with ``values()`` and renders them
through a minimal template. Prints median and p95 of each, the queries of each, and as last line
``queue_median_ms=… queue_p95_ms=… detail_median_ms=… bare_median_ms=… ratio=… queries=…``.

Refuses SQLite: the figures that matter are PostgreSQL's (trigram index, planner, counts).
The seeded rows are removed at the end unless ``--keep`` (then the next run reuses them).
"""

import sys
from pathlib import Path

# This file is named like the standard library's queue module, which Django's imports need:
# take the script's own folder off the import path before anything imports "queue".
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]

import argparse  # noqa: E402
import datetime  # noqa: E402
import os  # noqa: E402
import random  # noqa: E402
import time  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hkhz_portal.settings.dev")
os.environ.setdefault("DEBUG", "false")
if not os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")):
    sys.exit("bench/queue.py measures PostgreSQL: set DATABASE_URL=postgres://… (SQLite is refused).")

import opencc  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.template import Context, Engine  # noqa: E402
from django.test.utils import override_settings  # noqa: E402
from django.urls import include, path, reverse  # noqa: E402
from django.utils import timezone  # noqa: E402
from django.views.decorators.http import require_GET  # noqa: E402

from bench import directory  # noqa: E402  (sets Django up on DATABASE_URL)
from enterprises.models import Enterprise  # noqa: E402
from programs.choices import ProgrammeKind, RuleKind  # noqa: E402
from programs.models import Application, ApplicationForm, Call, Programme, ScreeningCheck, StatusChange  # noqa: E402
from programs.queue import COUNT_CAP, ROW_FIELDS, SORTS  # noqa: E402
from programs.services.applications import _copy_enterprise  # noqa: E402
from programs.workflow import Status  # noqa: E402
from tests.programs.factories import build_form  # noqa: E402

CALLS = 12
BATCH = 5000
#: How a live queue spreads over the states (most applications long settled).
STATUS_WEIGHTS = {
    Status.IN_REVIEW: 18,
    Status.NEEDS_ATTENTION: 8,
    Status.MORE_INFO_REQUESTED: 5,
    Status.REJECTED: 30,
    Status.WITHDRAWN: 12,
    Status.APPROVED: 10,
    Status.ADMITTED: 12,
    Status.WAITLISTED: 4,
    Status.SUBMITTED: 0.5,
    Status.SCREENING: 0.5,
}
PAGE_SIZE = 25


def answers(rng: random.Random) -> dict:
    """What a submitted application holds: the form's answers, a team of three to eight."""
    team = [
        {
            "name": f"Member {i}",
            "role": rng.choice(["CEO", "CTO", "CSO", "Engineer", "Scientist"]),
            "full_time": rng.random() < 0.8,
            "technical": rng.random() < 0.6,
            "equity": str(rng.randint(0, 30)),
        }
        for i in range(rng.randint(3, 8))
    ]
    return {
        "summary": "Antibody therapies for liver cancer",
        "staff_worldwide": str(rng.randint(3, 400)),
        "funding_sought": {"amount": f"{rng.randint(1, 90) * 100000}.00", "currency": "HKD"},
        "hk_company_planned": True,
        "hk_setup_date": "2027-01-15",
        "modality": rng.choice(["biologic", "device", "software"]),
        "markets": ["cn", "us"],
        "plan": "Phase 1 trials in Hong Kong and Hangzhou next year. " * rng.randint(1, 4),
        "device_class": "ii",
        "team": team,
    }


def seed(count: int, rng: random.Random, unit) -> Application:
    """The unit's programmes and calls, and ``count`` submitted applications; returns one that
    needs attention, with a timeline and screening checks, for the application page."""
    directory.seed(10_000, rng)
    firms = list(Enterprise.objects.filter(reference__startswith=directory.PREFIX).order_by("pk"))
    version = build_form("Bench incubation form")
    programmes = [
        Programme.objects.create(
            unit=unit, slug=f"bench-{kind}", kind=kind, name_en=kind, name_zh_hans=kind, name_zh_hant=kind
        )
        for kind in ProgrammeKind.values
    ]
    now = timezone.now()
    calls = [
        Call.objects.create(
            programme=programmes[n % len(programmes)],
            slug=f"bench-call-{n}",
            title_en=f"Intake {2021 + n // 2} round {n % 2 + 1}",
            title_zh_hans=f"{2021 + n // 2}年第{n % 2 + 1}轮招募",
            title_zh_hant=f"{2021 + n // 2}年第{n % 2 + 1}輪招募",
            opens_at=now - datetime.timedelta(days=180 * (CALLS - n)),
            capacity=40,
            form_version=version,
        )
        for n in range(CALLS)
    ]
    statuses, weights = zip(*STATUS_WEIGHTS.items(), strict=True)
    rows = []
    for n in range(count):
        # One application per enterprise and call, spread over every call: each firm's k-th
        # application goes to call (k + firm) mod 12, a different call for each k below 12.
        k, f = divmod(n, len(firms))
        firm, call = firms[f], calls[(k + f) % CALLS]
        submitted_at = call.opens_at + datetime.timedelta(minutes=rng.randint(60, 180 * 24 * 60))
        status = rng.choices(statuses, weights)[0]
        application = Application(
            call=call,
            programme_id=call.programme_id,
            unit=unit,
            enterprise=firm,
            form_version=version,
            reference=f"HKSP-{timezone.localtime(submitted_at):%Y}-{n + 1:05d}",
            status=status,
            answers=answers(rng),
            submitted_at=submitted_at,
            status_changed_at=submitted_at + datetime.timedelta(days=rng.randint(0, 60)),
            flagged=status == Status.NEEDS_ATTENTION,
            info_due_at=now + datetime.timedelta(days=rng.randint(-10, 14))
            if status == Status.MORE_INFO_REQUESTED
            else None,
            return_status=Status.NEEDS_ATTENTION if status == Status.MORE_INFO_REQUESTED else "",
        )
        _copy_enterprise(application)
        rows.append(application)
        if len(rows) == BATCH:
            Application.objects.bulk_create(rows)
            rows = []
    Application.objects.bulk_create(rows)
    sample = Application.objects.filter(unit=unit, status=Status.NEEDS_ATTENTION).order_by("-submitted_at").first()
    steps = [("start", "", Status.DRAFT), ("submit", Status.DRAFT, Status.SUBMITTED)]
    steps += [("start_screening", Status.SUBMITTED, Status.SCREENING), ("flag", Status.SCREENING, sample.status)]
    StatusChange.objects.bulk_create(
        StatusChange(application=sample, transition=name, from_status=f, to_status=t) for name, f, t in steps
    )
    ScreeningCheck.objects.bulk_create(
        ScreeningCheck(
            application=sample,
            run=1,
            rule=kind,
            passed=kind != RuleKind.MIN_FULL_TIME_STAFF,
            code="staff_too_few" if kind == RuleKind.MIN_FULL_TIME_STAFF else "identifier_ok",
            params={"count": 1, "min": 2},
        )
        for kind in RuleKind.values
    )
    with connection.cursor() as cursor:  # what autovacuum does after a bulk load: fresh statistics
        cursor.execute("VACUUM ANALYZE programs_application")
        cursor.execute("VACUUM ANALYZE enterprises_enterprise")
    return sample


def remove_seeded(unit) -> None:
    with transaction.atomic():
        applications = Application.objects.filter(unit=unit)
        ScreeningCheck.objects.filter(application__in=applications).delete()
        StatusChange.objects.filter(application__in=applications).delete()
        applications.delete()
        forms = set(Call.objects.filter(programme__unit=unit).values_list("form_version__form", flat=True))
        Call.objects.filter(programme__unit=unit).delete()
        Programme.objects.filter(unit=unit).delete()
        ApplicationForm.objects.filter(pk__in=forms).delete()
        Enterprise.objects.filter(reference__startswith=directory.PREFIX).delete()


# --- The bare view: the same rows and count, from values(), through a minimal template -------------

BARE = Engine().from_string(
    "<!DOCTYPE html><title>bare</title><p>{{ count }}</p><table>{% for r in rows %}<tr>"
    '<td><a href="/staff/applications/{{ r.reference }}/">{{ r.reference }}</a></td>'
    "<td>{{ r.enterprise_name_en }} {{ r.enterprise_name_zh }}</td><td>{{ r.call_id }}</td>"
    "<td>{{ r.status }}</td><td>{{ r.sector }}</td><td>{{ r.district }}</td><td>{{ r.submitted_at }}</td>"
    "<td>{{ r.flagged }} {{ r.info_due_at }}</td></tr>{% endfor %}</table>"
)


@require_GET
def bare(request):
    from django.http import HttpResponse

    qs = Application.objects.filter(unit_id=request.user.unit_id, submitted_at__isnull=False)
    qs = qs.order_by(*SORTS["newest"][1])
    rows = list(qs.values(*ROW_FIELDS)[:PAGE_SIZE])
    count = qs.order_by()[: COUNT_CAP + 1].count()  # what the queue counts (programs.queue.CappedPaginator)
    return HttpResponse(BARE.render(Context({"rows": rows, "count": count})))


urlpatterns = [path("bench/bare/", bare), path("", include("hkhz_portal.urls"))]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--keep", action="store_true", help="keep the seeded rows for the next run")
    args = parser.parse_args()
    count = int(os.environ.get("BENCH_APPLICATIONS", "100000"))
    rng = random.Random(2026)

    started = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    user = directory.officer()
    unit = user.unit
    if Application.objects.filter(unit=unit).count() != count:
        remove_seeded(unit)
        sample = seed(count, rng, unit)
    else:
        sample = Application.objects.filter(unit=unit, status_changes__isnull=False).distinct().get()
    seeded = time.perf_counter() - started

    with override_settings(ROOT_URLCONF=__name__):
        client = directory.sign_in(user)
        firm = Enterprise.objects.filter(reference__startswith=directory.PREFIX, kind="mainland").order_by("?")[0]
        fragment = opencc.OpenCC("s2hk").convert(firm.legal_name_zh[2:6])  # "西湖雲棲": Traditional, stored Simplified
        queue = reverse("programs:staff_queue")
        busiest_call = sample.call
        scenarios = [
            ("Bare view: the same 25 rows and count, values()", "/bench/bare/", {}),
            ("Queue, first page", queue, {}),
            ("Queue, call + status", queue, {"call": busiest_call.slug, "status": Status.IN_REVIEW}),
            ("Queue, flagged, oldest first", queue, {"flagged": "on", "sort": "oldest"}),
            ("Queue, sorted by name, 100 rows", queue, {"sort": "name", "per_page": 100}),
            (f"Queue, Chinese name “{fragment}”", queue, {"q": fragment}),
            ("Queue, search term sector:biopharma", queue, {"q": "sector:biopharma status:needs_attention"}),
            ("Queue, USCC", queue, {"q": firm.uscc}),
            ("Application page", reverse("programs:staff_application", args=[sample.reference]), {}),
        ]
        load_before = os.getloadavg()[0]
        results = directory.measure_queue(client, scenarios, args.repeat, row_href="/staff/applications/HKSP-")

    bare_median = results[scenarios[0][0]]["median"]
    print(f"## Officer queue benchmark: {count:,} applications, {args.repeat} requests per row\n")
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
            f"{r['median'] / bare_median:.2f} |"
        )
    first = results["Queue, first page"]
    detail = results["Application page"]
    queries = max(r["queries"] for label, r in results.items() if label.startswith("Queue"))
    print(
        f"\nqueue_median_ms={first['median']:.1f} queue_p95_ms={first['p95']:.1f} "
        f"detail_median_ms={detail['median']:.1f} bare_median_ms={bare_median:.1f} "
        f"ratio={first['median'] / bare_median:.2f} queries={queries}"
    )
    if not args.keep:
        remove_seeded(unit)
    user.delete()
    return 0


if __name__ == "__main__":
    sys.exit(main())
