import pytest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from hkhz_portal.accounts.roles import Role
from hkhz_portal.core.models import Notification
from hkhz_portal.core.notifications import notify
from tests.factories import user_with_role

pytestmark = pytest.mark.django_db


@pytest.fixture
def applicant():
    return user_with_role(Role.APPLICANT, preferred_language="en")


def test_bell_shows_the_unread_count_and_the_list_marks_read(client, applicant):
    first = notify(applicant, title="Your application was received", url="/dashboard/")
    notify(applicant, title="Documents requested")
    client.force_login(applicant)

    html = client.get(reverse("dashboard")).content.decode()
    assert 'data-testid="unread-count">2<' in html

    listing = client.get(reverse("notifications")).content.decode()
    assert "Your application was received" in listing and "Documents requested" in listing

    response = client.post(reverse("notification_read", args=[first.pk]), {"open": "1"})
    assert response["Location"] == "/dashboard/"
    assert 'data-testid="unread-count">1<' in client.get(reverse("dashboard")).content.decode()

    client.post(reverse("notifications_read_all"))
    assert "unread-count" not in client.get(reverse("dashboard")).content.decode()


def test_mark_read_with_htmx_returns_the_updated_row(client, applicant):
    note = notify(applicant, title="Reminder")
    client.force_login(applicant)
    response = client.post(reverse("notification_read", args=[note.pk]), HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert f'id="notification-{note.pk}"' in html
    assert "Mark as read" not in html


def test_nobody_reads_or_marks_another_users_notification(client, applicant):
    other = user_with_role(Role.APPLICANT)
    note = notify(other, title="Private")
    client.force_login(applicant)
    assert client.post(reverse("notification_read", args=[note.pk])).status_code == 404
    assert client.get(f"/api/v1/notifications/{note.pk}/").status_code == 404
    assert client.post(f"/api/v1/notifications/{note.pk}/read/").status_code == 404
    note.refresh_from_db()
    assert note.read_at is None
    assert "Private" not in client.get(reverse("notifications")).content.decode()


def test_notification_is_written_in_the_recipients_language(applicant):
    applicant.preferred_language = "zh-hant"
    note = notify(applicant, title=_("Your profile was saved."))
    assert note.title == "您的個人資料已儲存。"


def test_links_off_site_are_not_followed(client, applicant):
    note = notify(applicant, title="Phish", url="https://evil.example.com/")
    client.force_login(applicant)
    response = client.post(reverse("notification_read", args=[note.pk]), {"open": "1"})
    assert response["Location"] == reverse("notifications")


def test_api_lists_own_notifications_and_marks_read(client, applicant):
    note = notify(applicant, title="Hello")
    client.force_login(applicant)
    data = client.get("/api/v1/notifications/").json()
    assert [n["title"] for n in data["results"]] == ["Hello"]
    read = client.post(f"/api/v1/notifications/{note.pk}/read/").json()
    assert read["read_at"] is not None
    assert Notification.objects.get(pk=note.pk).read_at is not None
