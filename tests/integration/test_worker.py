import socket
import threading
import time
import uuid
from pathlib import Path

import pytest
import redis
from django.conf import settings

from hkhz_portal.celery import app as celery_app
from hkhz_portal.core.models import Heartbeat
from hkhz_portal.core.tasks import record_heartbeat
from hkhz_portal.settings.base import file_broker_options
from tests.conftest import require

from .conftest import celery_worker, wait_for

# serialized_rollback: rows written by data migrations (roles, the consent notice) survive the flush.
pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

REDIS_URL = settings.REDIS_URL or "redis://127.0.0.1:6379/15"


def redis_available() -> bool:
    try:
        return redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except redis.RedisError:
        return False


def run_task_through_worker(broker_url: str, worker_redis_url: str, transport_options=None) -> str:
    name = f"integration-{uuid.uuid4().hex[:8]}"
    with celery_worker(redis_url=worker_redis_url) as worker:
        with celery_app.connection_for_write(broker_url, transport_options=transport_options) as conn:
            record_heartbeat.apply_async(args=[name], connection=conn)
        landed = wait_for(lambda: Heartbeat.objects.filter(name=name).exists(), timeout=60)
        if not landed:
            worker.terminate()
            output = worker.communicate(timeout=10)[0]
            pytest.fail(f"The worker did not run the task within 60 s. Worker output:\n{output[-3000:]}")
    return name


def test_worker_consumes_a_task_from_redis_and_writes_to_the_database():
    require(redis_available(), f"Redis at {REDIS_URL}")
    name = run_task_through_worker(REDIS_URL, REDIS_URL)
    assert Heartbeat.objects.get(name=name).seen_at is not None


def test_worker_consumes_a_task_from_the_serverless_file_broker():
    """The default run (no REDIS_URL) still has a real worker."""
    options = file_broker_options(settings.CELERY_BROKER_DIR)
    for folder in (options["data_folder_in"], options["control_folder"]):
        Path(folder).mkdir(parents=True, exist_ok=True)
    name = run_task_through_worker("filesystem://", "", transport_options=options)
    assert Heartbeat.objects.filter(name=name).exists()


def test_an_invitation_is_mailed_by_the_worker_after_commit():
    """The service enqueues after commit; a real worker on this run's broker sends the mail once."""
    from enterprises.models import Invitation
    from enterprises.services.members import invite_member
    from tests.factories import EnterpriseFactory, member_of

    enterprise = EnterpriseFactory()
    owner = member_of(enterprise, "owner")
    if settings.REDIS_URL:
        require(redis_available(), f"Redis at {REDIS_URL}")
    with celery_worker(redis_url=settings.REDIS_URL):
        invitation = invite_member(enterprise, actor=owner, email="new.colleague@example.com")
        sent = wait_for(lambda: Invitation.objects.get(pk=invitation.pk).sent_at is not None, timeout=60)
    assert sent, "the worker did not send the invitation within 60 s"


class SilentSMTPServer:
    """Accepts connections and never answers: a mail server that hangs the worker talking to it."""

    def __init__(self):
        self.socket = socket.create_server(("127.0.0.1", 0))
        self.port = self.socket.getsockname()[1]
        self.connected = threading.Event()
        self.clients = []
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while True:
            try:
                client, _address = self.socket.accept()
            except OSError:
                return
            self.clients.append(client)
            self.connected.set()

    def close(self):
        for client in self.clients:
            client.close()
        self.socket.close()


def test_a_task_whose_worker_dies_mid_task_is_done_by_another_worker():
    """Late acknowledgement: worker A is killed while it sends an invitation; after the
    visibility timeout Redis hands the task to worker B, and the mail goes out once."""
    require(redis_available(), f"Redis at {REDIS_URL}")
    from enterprises.models import Invitation
    from enterprises.services.members import invite_member
    from enterprises.tasks import send_invitation
    from tests.factories import EnterpriseFactory, member_of

    enterprise = EnterpriseFactory()
    owner = member_of(enterprise, "owner")
    smtp = SilentSMTPServer()
    hanging_mail = {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(smtp.port),
        "EMAIL_TIMEOUT": "600",
    }
    try:
        with celery_worker(redis_url=REDIS_URL, extra_env=hanging_mail) as worker_a:
            invitation = invite_member(enterprise, actor=owner, email="late.ack@example.com")
            with celery_app.connection_for_write(REDIS_URL) as conn:
                send_invitation.apply_async(args=[invitation.pk], connection=conn)
            assert smtp.connected.wait(60), "worker A never reached the mail server"
            worker_a.kill()  # SIGKILL mid-task: no chance to acknowledge or requeue
            worker_a.wait(10)
        # A's claim is left behind, the mail unsent; no transaction was open for A to roll back.
        abandoned = Invitation.objects.get(pk=invitation.pk)
        assert (abandoned.sent_at, abandoned.claimed_at is not None) == (None, True)
        # Worker B sweeps for abandoned tasks when it starts (then only every ~100 s): start it once
        # the task has been unacknowledged for longer than B's visibility timeout, and A's claim
        # older than B's claim timeout.
        time.sleep(3)

        taking_over = {"CELERY_VISIBILITY_TIMEOUT": "2", "INVITATION_CLAIM_TIMEOUT": "2"}
        with celery_worker(redis_url=REDIS_URL, extra_env=taking_over):
            sent = wait_for(lambda: Invitation.objects.get(pk=invitation.pk).sent_at is not None, timeout=90)
        assert sent, "no other worker took over the task of the worker that died"
        assert Invitation.objects.get(pk=invitation.pk).send_attempts == 2  # A's try, then B's: one mail
    finally:
        smtp.close()
