"""Benchmark screening: submissions pushed through one real Celery worker until every one is screened.

    DATABASE_URL=postgres://… REDIS_URL=redis://… python bench/screening.py [--applications 1000]

Creates a throwaway database beside the one DATABASE_URL names (Django's test database,
``test_<name>``, dropped at the end; without DATABASE_URL a SQLite file in a temporary folder),
seeds a call with the Science Park's rules and one complete draft per enterprise (every tenth
with a one-person team, which screening flags) and empties the broker's queues. It submits
every draft through ``services.applications.submit``, as the web process does, so that 1,000
screening tasks wait in the broker; then it starts one ``celery worker`` (prefork,
``--concurrency`` processes, consuming every queue, or the ones ``--queues`` names) and waits
until each application is ``in_review`` or ``needs_attention``. The clock (``seconds``) runs
from starting the worker to the last screening, the worker's start-up included; when the worker
consumes every queue, the notices and e-mail copies that submitting and screening cause share
it, and the time until the queues are empty is printed too (``drained_seconds``). Settings: the
seeding uses ``hkhz_portal.settings.test`` (a fast password hasher); the worker
``hkhz_portal.settings.dev`` with ``DEBUG`` off, as deployed apart from e-mail, which it keeps
in memory. Last line: ``applications=… seconds=… per_second=… …``.
"""

import argparse
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[0] = str(ROOT)  # the project, not bench/ (whose queue.py would shadow the standard library)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hkhz_portal.settings.test")

import django  # noqa: E402

django.setup()

import redis  # noqa: E402
from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402

from hkhz_portal.celery import app  # noqa: E402
from programs.models import Application  # noqa: E402
from programs.services import applications as svc  # noqa: E402
from programs.workflow import Status  # noqa: E402

SETTLED = [Status.IN_REVIEW, Status.NEEDS_ATTENTION]
SOLO_TEAM = [{"name": "Solo Founder", "full_time": True, "technical": True, "equity": "100"}]


def seed(count: int) -> list[tuple]:
    """``count`` complete drafts to one rolling call, each of its own enterprise, with its applicant."""
    from tests.programs.factories import (
        CallFactory,
        applicant_of_new_enterprise,
        complete_draft,
        officer_of,
        park_rules,
    )

    call = CallFactory()
    park_rules(call)
    officer_of(call)
    drafts = []
    for n in range(count):
        applicant = applicant_of_new_enterprise()
        extra = {"team": SOLO_TEAM} if n % 10 == 9 else {}
        drafts.append((complete_draft(call, applicant, **extra), applicant))
    return drafts


def database_url() -> str:
    from tests.integration.conftest import database_url as url

    return url()


def start_worker(concurrency: int, log: Path, queues: str) -> subprocess.Popen:
    env = {
        **os.environ,
        # The worker runs as deployed (persistent database connections, no debug), not as in tests.
        "DJANGO_SETTINGS_MODULE": "hkhz_portal.settings.dev",
        "DEBUG": "false",
        "DATABASE_URL": database_url(),
        "REDIS_URL": settings.REDIS_URL,
        "CELERY_BROKER_DIR": str(settings.CELERY_BROKER_DIR),
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
    }
    command = [sys.executable, "-m", "celery", "-A", "hkhz_portal", "worker", "--loglevel=WARNING"]
    command.append(f"--concurrency={concurrency}")
    if queues:
        command.append(f"--queues={queues}")
    with log.open("w") as out:
        worker = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)  # noqa: S603
    deadline = time.monotonic() + 60
    while not app.control.ping(timeout=0.5):
        if worker.poll() is not None or time.monotonic() > deadline:
            sys.exit(f"The worker did not start; see {log}")
    return worker


def queues_empty(queues: str) -> bool:
    """Whether the worker's queues (all, or those ``--queues`` names) hold no task, taken or waiting."""
    if not settings.REDIS_URL:
        return True  # the file broker keeps no count worth polling; the screening time is what counts
    client = redis.Redis.from_url(settings.REDIS_URL)
    names = queues.split(",") if queues else [queue.name for queue in app.conf.task_queues]
    waiting = sum(client.llen(name) for name in names)
    return waiting + client.zcard("unacked_index") == 0


def run(count: int, concurrency: int, timeout: float, queues: str) -> str:
    started = time.monotonic()
    drafts = seed(count)
    seeded = time.monotonic() - started
    ids = [application.pk for application, _applicant in drafts]
    app.control.purge()
    t0 = time.monotonic()
    for application, applicant in drafts:
        svc.submit(actor=applicant, application=application, declaration=True)
    submitted = time.monotonic() - t0
    log = Path(tempfile.mkdtemp(prefix="hkhz-bench-")) / "worker.log"
    t1 = time.monotonic()
    worker = start_worker(concurrency, log, queues)
    try:
        ready = time.monotonic() - t1
        settled = 0
        while time.monotonic() - t1 < timeout:
            settled = Application.objects.filter(pk__in=ids, status__in=SETTLED).count()
            if settled == count:
                break
            time.sleep(0.1)
        screened = time.monotonic() - t1
        while not queues_empty(queues) and time.monotonic() - t1 < timeout:
            time.sleep(0.1)
        drained = time.monotonic() - t1
    finally:
        worker.send_signal(signal.SIGTERM)
        worker.wait(30)
    if settled != count:
        sys.exit(f"Only {settled} of {count} applications were screened in {timeout:.0f} s; see {log}")
    flagged = Application.objects.filter(pk__in=ids, status=Status.NEEDS_ATTENTION).count()
    return (
        f"applications={count} seconds={screened:.1f} per_second={count / screened:.1f} "
        f"drained_seconds={drained:.1f} worker_start_seconds={ready:.1f} submit_seconds={submitted:.1f} "
        f"seed_seconds={seeded:.0f} flagged={flagged} concurrency={concurrency} database={connection.vendor} "
        f"broker={'redis' if settings.REDIS_URL else 'filesystem'} queues={queues or 'all'}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--applications", type=int, default=1000)
    parser.add_argument("--concurrency", type=int, default=os.cpu_count() or 2, help="worker processes")
    parser.add_argument("--timeout", type=float, default=600.0, help="seconds before giving up")
    parser.add_argument(
        "--queues",
        default="",
        help="the worker's -Q (e.g. workflow, as a production screening worker); default: every queue",
    )
    args = parser.parse_args()
    if connection.vendor == "sqlite":
        settings.DATABASES["default"]["TEST"] = {"NAME": str(Path(tempfile.mkdtemp()) / "bench.sqlite3")}
    original = connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        line = run(args.applications, args.concurrency, args.timeout, args.queues)
    finally:
        connection.creation.destroy_test_db(original, verbosity=0)
    print(line)


if __name__ == "__main__":
    main()
