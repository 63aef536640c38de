"""Benchmark the partner directory API under load against a hand-written baseline, on PostgreSQL.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/hkhz_h4 python bench/api.py [--rounds 5] [--seconds 5]

Creates a scratch database beside the one ``DATABASE_URL`` names (``<name>_api_bench``, dropped
at the end), migrates it and bulk-creates 10,000 enterprises listed in the directory (the
directory benchmark's generator, with descriptions and founding dates), 5 % of them admitted to
the Park, and a partner key with ``directory:read``. Starts gunicorn (2 sync workers, settings
``bench.api_settings``: the portal's, ``DEBUG`` off, with a baseline view in front of its URLs)
on a free loopback port, checks that both answer the same 100 rows, then drives both with wrk
(Debian's package; a Python client with threads when wrk is missing), in alternating rounds:
``/api/v1/directory/?page_size=100`` with the key, and ``/bench/baseline/``, the same rows
from ``values()`` through the standard library's JSON encoder. Prints a Markdown table (median
of the rounds) and, last, ``api_rps=… baseline_rps=… ratio=… api_p99_ms=…``.

Rate limits are raised for the run (``API_RATE_*``): a throttle would cap the figures.
"""

import argparse
import os
import platform
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[0] = str(ROOT)  # the project, not bench/ (whose queue.py would shadow the standard library)

PATH = "/api/v1/directory/?page_size=100"
BASELINE = "/bench/baseline/"
ADMITTED_SHARE = 20  # one enterprise in 20 admitted
DESCRIPTION_EN = (
    "Develops and manufactures innovative therapies and devices, with research teams in Hangzhou "
    "and Hong Kong, clinical programmes in China and abroad, and partnerships with hospitals."
)
DESCRIPTION_ZH = "致力于创新疗法与器械的研发与生产，在杭州与香港设有研发团队，开展国内外临床项目，并与多家医院合作。"
RATES = {"API_RATE_KEY": "10000000/min", "API_RATE_USER": "10000000/min", "API_RATE_ANON": "10000000/min"}


def scratch_url(url: str) -> tuple[str, str, str]:
    """(the scratch database's URL, its name, the server's maintenance database URL)."""
    parts = urllib.parse.urlsplit(url)
    name = f"{parts.path.lstrip('/') or 'hkhz'}_api_bench"
    return parts._replace(path=f"/{name}").geturl(), name, parts._replace(path="/postgres").geturl()


def admin_sql(maintenance_url: str, *statements: str) -> None:
    import psycopg

    with psycopg.connect(maintenance_url, autocommit=True) as conn:
        for statement in statements:
            conn.execute(statement)


def seed(count: int) -> str:
    """The enterprises, the admitted applications, and a key's secret."""
    import datetime
    import random

    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    from bench import directory  # (sets Django up, already set up here)
    from enterprises.models import Enterprise
    from hkhz_portal.accounts import services
    from hkhz_portal.accounts.api_keys import Scope
    from hkhz_portal.accounts.models import PartnerOrganisation, User
    from hkhz_portal.accounts.roles import Role
    from programs.models import Application
    from programs.workflow import Status
    from tests.programs.factories import CallFactory

    rng = random.Random(2026)
    directory.seed(count, rng)
    ids = list(Enterprise.objects.order_by("pk").values_list("pk", flat=True))
    Enterprise.objects.update(listed_in_directory=True, description_en=DESCRIPTION_EN, description_zh=DESCRIPTION_ZH)
    for year in range(2012, 2026):
        chosen = ids[year % 14 :: 14]
        Enterprise.objects.filter(pk__in=chosen).update(founded_on=datetime.date(year, 1 + year % 12, 1 + year % 28))
    call = CallFactory()
    Application.objects.bulk_create(
        Application(
            call=call,
            programme_id=call.programme_id,
            unit_id=call.programme.unit_id,
            enterprise_id=pk,
            form_version_id=call.form_version_id,
            reference=f"HKSP-2025-{n:05d}",
            status=Status.ADMITTED,
            submitted_at=datetime.datetime(2025, 3, 1, tzinfo=datetime.UTC),
        )
        for n, pk in enumerate(ids[::ADMITTED_SHARE])
    )
    organisation = PartnerOrganisation.objects.create(
        code="bench-bank", name_en="Bench Bank", name_zh_hans="基准银行", name_zh_hant="基準銀行"
    )
    user = User.objects.create_user(
        "bench-partner@bench.invalid", "bench-only-password-1", partner_organisation=organisation
    )
    services.assign_role(user, Role.PARTNER, actor=None)
    _key, secret = services.create_api_key(actor=user, name="bench", scopes=[Scope.DIRECTORY_READ])
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    connection.close()
    return secret


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_gunicorn(env: dict, port: int, workers: int, log: Path) -> subprocess.Popen:
    command = [sys.executable, "-m", "gunicorn", "hkhz_portal.wsgi", f"--workers={workers}"]
    command += [f"--bind=127.0.0.1:{port}", "--log-level=warning", f"--chdir={ROOT}"]
    with log.open("w") as out:
        server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)  # noqa: S603
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            sys.exit(f"gunicorn stopped at start; see {log}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return server
        except OSError:
            time.sleep(0.2)
    stop(server)
    sys.exit(f"gunicorn did not start; see {log}")


def stop(server: subprocess.Popen) -> None:
    server.send_signal(signal.SIGTERM)
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()


def get(port: int, path: str, headers: dict) -> tuple[int, bytes]:
    import http.client

    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request("GET", path, headers=headers)
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


def same_rows(port: int, auth: dict) -> int:
    """Both endpoints answer the same 100 rows: the comparison is fair."""
    import json

    status, api = get(port, PATH, auth)
    assert status == 200, (status, api[:300])
    status, baseline = get(port, BASELINE, {})
    assert status == 200, (status, baseline[:300])
    rows = json.loads(api)["results"]
    assert rows == json.loads(baseline) and len(rows) == 100, "the API and the baseline answer different rows"
    return sum(row["admitted"] for row in rows)


def wrk(port: int, path: str, headers: dict, seconds: float, connections: int) -> tuple[float, float]:
    """(requests per second, p99 in ms) from one wrk run."""
    command = ["wrk", f"-t{min(2, connections)}", f"-c{connections}", f"-d{seconds:g}s", "--latency"]
    for name, value in headers.items():
        command += ["-H", f"{name}: {value}"]
    out = subprocess.run([*command, f"http://127.0.0.1:{port}{path}"], capture_output=True, text=True, check=True)  # noqa: S603
    if "Non-2xx" in out.stdout or "Socket errors" in out.stdout:
        sys.exit(f"wrk saw failed requests:\n{out.stdout}")
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out.stdout).group(1))
    value, unit = re.search(r"99%\s+([\d.]+)(us|ms|s)", out.stdout).groups()
    return rps, float(value) * {"us": 0.001, "ms": 1, "s": 1000}[unit]


def python_client(port: int, path: str, headers: dict, seconds: float, connections: int) -> tuple[float, float]:
    """What ``wrk`` measures, with ``connections`` threads each sending requests back to back
    (gunicorn's sync workers close each connection, so each request connects anew)."""
    times: list[float] = []
    failures: list[int] = []
    deadline = time.monotonic() + seconds

    def loop():
        while time.monotonic() < deadline:
            start = time.perf_counter()
            status, _body = get(port, path, headers)
            times.append(time.perf_counter() - start)
            if status != 200:
                failures.append(status)

    threads = [threading.Thread(target=loop) for _ in range(connections)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if failures:
        sys.exit(f"{len(failures)} requests failed, e.g. {failures[0]}")
    return len(times) / (time.monotonic() - started), statistics.quantiles(times, n=100)[98] * 1000


def cpu_model() -> str:
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            return line.split(":", 1)[1].strip()
    return platform.processor() or "unknown CPU"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--enterprises", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=5, help="timed rounds of each, alternating")
    parser.add_argument("--seconds", type=float, default=5)
    parser.add_argument("--connections", type=int, default=4)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        sys.exit("bench/api.py measures PostgreSQL: set DATABASE_URL=postgres://… (SQLite is refused).")
    database, name, maintenance = scratch_url(url)
    env = {
        **os.environ,
        **RATES,
        "DATABASE_URL": database,
        "DJANGO_SETTINGS_MODULE": "bench.api_settings",
        "DEBUG": "false",
        "PYTHONPATH": str(ROOT),
    }
    os.environ.update(env)
    measure = wrk if shutil.which("wrk") else python_client
    admin_sql(maintenance, f'DROP DATABASE IF EXISTS "{name}"', f'CREATE DATABASE "{name}"')
    server = None
    try:
        import django

        django.setup()
        started = time.perf_counter()
        secret = seed(args.enterprises)
        seeded = time.perf_counter() - started
        auth = {"Authorization": f"Bearer {secret}"}
        port = free_port()
        log = Path(tempfile.mkdtemp(prefix="hkhz-bench-api-")) / "gunicorn.log"
        server = start_gunicorn(env, port, args.workers, log)
        admitted = same_rows(port, auth)
        for path, headers in ((PATH, auth), (BASELINE, {})):  # warm both workers' caches
            measure(port, path, headers, 2, args.connections)
        load_before = os.getloadavg()[0]
        runs = {"api": [], "baseline": []}
        for _ in range(args.rounds):
            runs["api"].append(measure(port, PATH, auth, args.seconds, args.connections))
            runs["baseline"].append(measure(port, BASELINE, {}, args.seconds, args.connections))
        load_after = os.getloadavg()[0]
    finally:
        if server is not None:
            stop(server)
        from django.db import connections

        connections.close_all()
        admin_sql(maintenance, f'DROP DATABASE IF EXISTS "{name}"')

    medians = {
        label: (statistics.median(r for r, _p in results), statistics.median(p for _r, p in results))
        for label, results in runs.items()
    }
    (api_rps, api_p99), (base_rps, base_p99) = medians["api"], medians["baseline"]
    print(f"## Partner directory API: {args.enterprises:,} listed enterprises, {admitted} of the 100 rows admitted\n")
    print(
        f"Machine: {os.cpu_count()} CPUs ({cpu_model()}), Python {platform.python_version()}, "
        f"Django {django.get_version()}, gunicorn {args.workers} sync workers, load by "
        f"{'wrk' if measure is wrk else 'a Python client'} with {args.connections} connections on loopback, "
        f"{args.rounds} alternating rounds of {args.seconds:g} s. Seeding took {seeded:.0f} s; load average "
        f"{load_before:.1f} before the timed rounds, {load_after:.1f} after.\n"
    )
    print("| endpoint | requests/s (median) | p99 ms (median) | rounds (requests/s) |")
    print("| --- | ---: | ---: | --- |")
    for label, path in (("api", PATH), ("baseline", BASELINE)):
        rounds = ", ".join(f"{r:.0f}" for r, _p in runs[label])
        print(f"| `{path}` | {medians[label][0]:.1f} | {medians[label][1]:.1f} | {rounds} |")
    print(f"\nbaseline p99: {base_p99:.1f} ms")
    print(f"api_rps={api_rps:.1f} baseline_rps={base_rps:.1f} ratio={api_rps / base_rps:.2f} api_p99_ms={api_p99:.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
