import pytest
from django.urls import reverse

from hkhz_portal.celery import app as celery_app
from hkhz_portal.core.models import Heartbeat
from hkhz_portal.core.tasks import record_heartbeat

pytestmark = pytest.mark.django_db


def test_healthz_is_ok_when_database_and_broker_answer(client):
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["checks"]["database"] == {"ok": True}
    assert body["checks"]["broker"] == {"ok": True}


def test_healthz_reports_the_last_worker_heartbeat(client):
    record_heartbeat.run()  # what the worker does when beat sends the task
    seen = Heartbeat.objects.get(name="worker").seen_at
    body = client.get(reverse("healthz")).json()
    assert body["checks"]["worker"]["last_heartbeat"] == seen.isoformat()


def test_healthz_is_503_when_the_broker_is_unreachable(client, monkeypatch):
    monkeypatch.setattr(celery_app.conf, "broker_url", "redis://127.0.0.1:1/0")
    response = client.get(reverse("healthz"))
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["checks"]["broker"]["ok"] is False
    assert body["checks"]["database"] == {"ok": True}
