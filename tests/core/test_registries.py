"""The registries through which apps add to the project's pages and commands."""

import pytest
from django.urls import reverse

from hkhz_portal.core import dashboard, demo
from tests.factories import UserFactory


@pytest.fixture
def panels(monkeypatch):
    monkeypatch.setattr(dashboard, "_panels", {})
    return dashboard


def test_panels_show_in_order_and_a_panel_can_stay_out_for_a_user(panels):
    panels.register("late", template="late.html", context=lambda user: {"who": user}, order=50)
    panels.register("early", template="early.html", context=lambda user: {"who": user}, order=10)
    panels.register("hidden", template="hidden.html", context=lambda user: None, order=1)
    shown = panels.panels_for("someone")
    assert [(p.template, p.context) for p in shown] == [
        ("early.html", {"who": "someone"}),
        ("late.html", {"who": "someone"}),
    ]


def test_registering_again_under_one_name_replaces_the_panel(panels):
    panels.register("one", template="old.html", context=lambda user: {})
    panels.register("one", template="new.html", context=lambda user: {})
    assert [p.template for p in panels.panels_for(None)] == ["new.html"]


@pytest.mark.django_db
def test_the_dashboard_renders_the_registered_panels_with_their_data(client, panels, settings, tmp_path):
    (tmp_path / "notes_panel.html").write_text('<section class="card">{{ panel.text }}</section>')
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [tmp_path, *settings.TEMPLATES[0]["DIRS"]]}]
    panels.register("notes", template="notes_panel.html", context=lambda user: {"text": f"Hi {user.email}"})
    client.force_login(UserFactory(email="reader@example.com"))
    assert "Hi reader@example.com" in client.get(reverse("dashboard")).content.decode()


def test_seeders_run_in_order(monkeypatch):
    monkeypatch.setattr(demo, "_seeders", {})
    demo.register_seeder("funds", lambda: "funds", order=30)
    demo.register_seeder("enterprises", lambda: "enterprises", order=10)
    assert [seeder() for seeder in demo.seeders()] == ["enterprises", "funds"]
