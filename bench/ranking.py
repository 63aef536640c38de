"""Benchmark a call's ranking page at a realistic volume: 2,000 applications, 6,000 reviews.

    python bench/ranking.py [--repeat 30]                       # a throwaway SQLite database
    DATABASE_URL=postgres://…/hkhz_ranking_bench python bench/ranking.py [--keep]

Seeds ``BENCH_APPLICATIONS`` (default 2,000) enterprises (``bench/directory.py``'s generator) and
one call of one unit with a reviewed application from each, scored by three of a panel of 60
reviewers (each harsh or lenient in its own measure, so normalising matters): 6,000 submitted
reviews, all with ``bulk_create`` (``tests.programs.factories.bulk_reviewed``); a few dozen of the
applications are then approved, waitlisted or admitted (the cohort). It signs a program officer in
with password and TOTP and times, round-robin: the ranking page's first and last pages (100 rows
each; the call's ranking is cached until a score changes, ``selectors.call_ranking``), the first
page ranked afresh (the cache emptied first, as after a score changed), the ranking API's first
page, and a bare view (defined here, not in the portal) that reads the same review scores,
averages them per application and renders the best 100 rows through a minimal template, behind
the same middleware. Prints median and p95 of each, the queries of each, the ranking computed
afresh in-process without a request, and as last line ``ranking_median_ms=… ranking_p95_ms=…
last_page_median_ms=… afresh_median_ms=… afresh_p95_ms=… api_median_ms=… compute_median_ms=…
bare_median_ms=… ratio=… queries=… gc=…``.

The slowest requests of a run are those during which Python's garbage collector makes a full
collection: it walks every object of the process (Django's and the app's, some 170,000) and takes
about 100 ms here, on the bare view as on the ranking. ``--freeze`` calls ``gc.freeze()`` after
the warm-up, as a server may once it has loaded the app, so that those objects are never walked
again: the p95 then measures the request, not the collector.

Without DATABASE_URL the database is a SQLite file in a temporary folder. With DATABASE_URL the
seeded rows are removed at the end unless ``--keep`` (then the next run reuses them).
"""

import argparse
import datetime
import gc
import os
import random
import re
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[0] = str(ROOT)  # the project, not bench/ (whose queue.py would shadow the standard library)

from django.contrib.auth.hashers import make_password  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.http import HttpResponse  # noqa: E402
from django.template import Context, Engine  # noqa: E402
from django.test.utils import CaptureQueriesContext, override_settings  # noqa: E402
from django.urls import include, path, reverse  # noqa: E402
from django.utils import timezone  # noqa: E402
from django.views.decorators.http import require_GET  # noqa: E402

from bench import directory  # noqa: E402  (sets Django up: DATABASE_URL, else a temporary SQLite file)
from enterprises.models import Enterprise  # noqa: E402
from hkhz_portal.accounts.models import User  # noqa: E402
from programs import selectors  # noqa: E402
from programs.choices import AssignmentStatus, ProgrammeKind  # noqa: E402
from programs.models import Application, ApplicationForm, Call, Programme, Review  # noqa: E402
from programs.views import decisions  # noqa: E402
from programs.views.decisions import RANKING_PAGE  # noqa: E402
from programs.workflow import Status  # noqa: E402
from tests.programs.factories import build_form, bulk_reviewed, rubric_for  # noqa: E402

SLUG = "bench-ranking"
REVIEWERS = 60
REVIEWER_DOMAIN = "panel.bench.invalid"
#: Applications moved on from ``reviewed``, as in a call being decided.
DECIDED = {Status.ADMITTED: 20, Status.APPROVED: 10, Status.WAITLISTED: 20, Status.REJECTED: 40}


def seed(count: int, rng: random.Random, unit) -> Call:
    """The unit's programme and call, ``count`` enterprises and their reviewed applications."""
    directory.seed(count, rng)
    firms = list(Enterprise.objects.filter(reference__startswith=directory.PREFIX).order_by("pk"))
    programme = Programme.objects.create(
        unit=unit,
        slug=SLUG,
        kind=ProgrammeKind.BIOMEDICAL_INCUBATION,
        name_en="Bench incubation",
        name_zh_hans="基准培育",
        name_zh_hant="基準培育",
    )
    call = Call.objects.create(
        programme=programme,
        slug=SLUG,
        title_en="Bench intake",
        title_zh_hans="基准招募",
        title_zh_hant="基準招募",
        opens_at=timezone.now() - datetime.timedelta(days=120),
        closes_at=timezone.now() - datetime.timedelta(days=30),
        capacity=40,
        form_version=build_form("Bench ranking form"),
    )
    rubric_for(call)
    User.objects.bulk_create(
        User(email=f"reviewer-{n}@{REVIEWER_DOMAIN}", full_name=f"Reviewer {n}", password=make_password(None))
        for n in range(REVIEWERS)
    )
    reviewers = list(User.objects.filter(email__endswith=f"@{REVIEWER_DOMAIN}").order_by("pk"))
    applications = bulk_reviewed(call, firms, reviewers, per_application=3, seed=rng.randrange(10**6))
    moved = rng.sample(applications, sum(DECIDED.values()))
    for status, n in DECIDED.items():
        Application.objects.filter(pk__in=[a.pk for a in moved[:n]]).update(status=status)
        moved = moved[n:]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:  # what autovacuum does after a bulk load: fresh statistics
            for table in ("programs_application", "programs_reviewassignment", "programs_review"):
                cursor.execute(f"VACUUM ANALYZE {table}")
    return call


def remove_seeded(unit) -> None:
    with transaction.atomic():
        Application.objects.filter(call__slug=SLUG).delete()  # with their assignments and reviews
        forms = set(Call.objects.filter(slug=SLUG).values_list("form_version__form", flat=True))
        Call.objects.filter(slug=SLUG).delete()
        Programme.objects.filter(slug=SLUG).delete()
        ApplicationForm.objects.filter(pk__in=forms).delete()
        Enterprise.objects.filter(reference__startswith=directory.PREFIX).delete()
        User.objects.filter(email__endswith=f"@{REVIEWER_DOMAIN}").delete()


# --- The bare view: the same scores, averaged, the best rows through a minimal template ------------

BARE = Engine().from_string(
    "<!DOCTYPE html><title>bare</title><p>{{ count }}</p><table>{% for r in rows %}<tr>"
    '<td>{{ r.rank }}</td><td><a href="/staff/applications/{{ r.reference }}/">{{ r.reference }}</a></td>'
    "<td>{{ r.enterprise_name_en }} {{ r.enterprise_name_zh }}</td><td>{{ r.status }}</td>"
    "<td>{{ r.reviews }}</td><td>{{ r.mean|floatformat:2 }}</td></tr>{% endfor %}</table>"
)


@require_GET
def bare(request):
    totals = defaultdict(list)
    for application_id, total in Review.objects.filter(
        assignment__application__call__slug=SLUG,
        assignment__application__unit_id=request.user.unit_id,
        assignment__status=AssignmentStatus.SUBMITTED,
        total__isnull=False,
    ).values_list("assignment__application_id", "total"):
        totals[application_id].append(float(total))
    means = {pk: statistics.fmean(scores) for pk, scores in totals.items()}
    best = sorted(means, key=lambda pk: (-means[pk], pk))[:RANKING_PAGE]
    found = Application.objects.filter(pk__in=best).values(
        "pk", "reference", "status", "enterprise_name_en", "enterprise_name_zh"
    )
    by_pk = {row["pk"]: row for row in found}
    rows = [{**by_pk[pk], "rank": n, "reviews": len(totals[pk]), "mean": means[pk]} for n, pk in enumerate(best, 1)]
    return HttpResponse(BARE.render(Context({"rows": rows, "count": len(means)})))


@require_GET
def cold(request, slug):
    """The ranking page as after a change to any score: nothing cached, the call ranked afresh."""
    cache.clear()
    return decisions.ranking(request, slug)


urlpatterns = [
    path("bench/bare/", bare),
    path("bench/cold/<slug:slug>/", cold),
    path("", include("hkhz_portal.urls")),
]

#: A row of the ranking table, of the bare view's table, or of the API's results.
ROW = re.compile(r'<tr class="(?:within|outside)-capacity"|<tr><td>|"rank":')


def measure(client, scenarios, repeat, *, freeze=False):
    # Frozen, what was loaded so far is never collected again, as in a server that freezes after loading.
    times = directory.request_times(client, scenarios, repeat, warmed=gc.freeze if freeze else None)
    results = {}
    for label, url, params in scenarios:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url, params)
        results[label] = {
            "median": statistics.median(times[label]),
            "p95": statistics.quantiles(times[label], n=20)[-1],
            "queries": len(queries),
            "rows": len(ROW.findall(response.content.decode())),
        }
    return results


def compute_times(call, repeat) -> list[float]:
    """``selectors.call_ranking`` alone, in-process, as the page calls it (the applications of its
    page read apart), nothing cached: the scores' read and the normalising, no request."""
    times = []
    for _ in range(repeat):
        cache.clear()
        start = time.perf_counter()
        selectors.call_ranking(call, applications=False)
        times.append((time.perf_counter() - start) * 1000)
    return times


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--keep", action="store_true", help="keep the seeded rows for the next run")
    parser.add_argument(
        "--freeze", action="store_true", help="gc.freeze() after the warm-up: no full collection of what is loaded"
    )
    args = parser.parse_args()
    count = int(os.environ.get("BENCH_APPLICATIONS", "2000"))
    rng = random.Random(2026)

    started = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    user = directory.officer()
    unit = user.unit
    call = Call.objects.filter(slug=SLUG).first()
    if call is None or Application.objects.filter(call=call).count() != count:
        remove_seeded(unit)
        call = seed(count, rng, unit)
    seeded = time.perf_counter() - started
    reviews = Review.objects.filter(assignment__application__call=call).count()

    with override_settings(ROOT_URLCONF=__name__):
        client = directory.sign_in(user)
        page = reverse("programs:staff_ranking", args=[SLUG])
        last = -(-count // RANKING_PAGE)
        scenarios = [
            (f"Bare view: the same scores averaged, the best {RANKING_PAGE} rows", "/bench/bare/", {}),
            ("Ranking page, first page", page, {}),
            ("Ranking page, first page, ranked afresh (a score changed)", f"/bench/cold/{SLUG}/", {}),
            ("Ranking page, last page", page, {"page": last}),
            ("Ranking API, first page", f"/api/v1/calls/{SLUG}/ranking/", {"page_size": RANKING_PAGE}),
        ]
        load_before = os.getloadavg()[0]
        results = measure(client, scenarios, args.repeat, freeze=args.freeze)
    compute = compute_times(call, args.repeat)

    bare_median = results[scenarios[0][0]]["median"]
    print(f"## Ranking benchmark: {count:,} applications, {reviews:,} reviews, {args.repeat} requests per row\n")
    print(
        f"Machine: {os.cpu_count()} CPUs ({directory.cpu_model()}), {directory.database_description()}. "
        f"Seeding (or reusing) took {seeded:.1f} s; load average {load_before:.1f} before the timed "
        f"requests, {os.getloadavg()[0]:.1f} after. Garbage collector: "
        f"{'frozen after the warm-up (--freeze)' if args.freeze else 'as Python starts (full collections included)'}.\n"
    )
    print("| request | rows | median ms | p95 ms | queries | × bare |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    for label, r in results.items():
        print(
            f"| {label} | {r['rows']} | {r['median']:.1f} | {r['p95']:.1f} | {r['queries']} | "
            f"{r['median'] / bare_median:.2f} |"
        )
    print(
        "\n`selectors.call_ranking(call, applications=False)` alone (in-process, no request): "
        f"median {statistics.median(compute):.1f} ms, "
        f"p95 {statistics.quantiles(compute, n=20)[-1]:.1f} ms."
    )
    first = results["Ranking page, first page"]
    afresh = results["Ranking page, first page, ranked afresh (a score changed)"]
    pages = [r["queries"] for label, r in results.items() if label.startswith("Ranking page")]
    print(
        f"\nranking_median_ms={first['median']:.1f} ranking_p95_ms={first['p95']:.1f} "
        f"last_page_median_ms={results['Ranking page, last page']['median']:.1f} "
        f"afresh_median_ms={afresh['median']:.1f} afresh_p95_ms={afresh['p95']:.1f} "
        f"api_median_ms={results['Ranking API, first page']['median']:.1f} "
        f"compute_median_ms={statistics.median(compute):.1f} bare_median_ms={bare_median:.1f} "
        f"ratio={first['median'] / bare_median:.2f} queries={max(pages)} gc={'frozen' if args.freeze else 'default'}"
    )
    if directory.EXTERNAL_DB and not args.keep:
        remove_seeded(unit)
    user.delete()
    return 0


if __name__ == "__main__":
    sys.exit(main())
