"""A local HTTP receiver, a clock that moves when a test says so, and endpoints to send to."""

import threading
import time
from dataclasses import dataclass, field
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.utils import timezone

from hkhz_portal.webhooks import services
from tests.factories import partner_user


@dataclass
class Received:
    headers: dict
    body: bytes


@dataclass
class Receiver:
    """Answers each POST with the next of ``answers`` (status, headers), then 204; keeps what it got.
    A ``sleep`` makes it take that long to answer the first request."""

    answers: list = field(default_factory=list)
    sleep: float = 0.0
    received: list = field(default_factory=list)
    url: str = ""

    def answer(self):
        return self.answers.pop(0) if self.answers else (204, {})


def _handler(receiver: Receiver):
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            receiver.received.append(Received(headers=dict(self.headers.items()), body=body))
            if receiver.sleep and len(receiver.received) == 1:
                time.sleep(receiver.sleep)
            status, headers = receiver.answer()
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"ok")

        def log_message(self, *args):
            pass

    return Handler


@pytest.fixture
def receiver():
    """An HTTP receiver on 127.0.0.1 in a thread of this process, stopped after the test."""
    state = Receiver()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(state))
    server.daemon_threads = True
    server.block_on_close = False  # a request left sleeping does not hold the test's end
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    state.url = f"http://127.0.0.1:{server.server_address[1]}/hooks?source=hkhz"
    yield state
    server.shutdown()
    server.server_close()


@pytest.fixture
def local(settings):
    """Loopback and plain http allowed, as for a receiver on this machine."""
    settings.WEBHOOKS_ALLOW_PRIVATE = True
    return settings


class Clock:
    def __init__(self):
        self.now = timezone.now()

    def __call__(self):
        return self.now

    def advance(self, **delta):
        self.now += timedelta(**delta)


@pytest.fixture
def clock(monkeypatch):
    """``timezone.now`` as the test sets it (time stands still until ``clock.advance``)."""
    current = Clock()
    monkeypatch.setattr(timezone, "now", current)
    return current


def make_endpoint(url="https://hooks.example.com/portal", event_types=("call.opened",), organisation=None):
    """A new endpoint, its secret and the partner user who made it."""
    user = partner_user(organisation)
    endpoint, secret = services.create_endpoint(actor=user, url=url, event_types=list(event_types))
    return endpoint, secret, user
