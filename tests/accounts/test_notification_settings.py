"""The notification settings page: every kind of notice listed, e-mail copies on or off per kind."""

import pytest
from django.urls import reverse
from django.utils.html import escape

from hkhz_portal.accounts.roles import Role
from hkhz_portal.core import events
from hkhz_portal.core.models import NotificationPreference
from tests.factories import user_with_role

pytestmark = pytest.mark.django_db

URL = reverse("notification_settings")


@pytest.fixture
def applicant():
    return user_with_role(Role.APPLICANT, preferred_language="en")


def told_kinds():
    return [kind for kind in events.kinds() if kind.recipients is not None]


def test_signing_in_is_needed(client):
    response = client.get(URL)
    assert response.status_code == 302 and response["Location"].startswith(reverse("account_login"))


def test_the_page_lists_every_kind_that_tells_people_with_email_on_by_default(client, applicant):
    client.force_login(applicant)
    html = client.get(URL).content.decode()
    assert "Every notification appears in the portal" in html
    for kind in told_kinds():
        assert f'name="{kind.name}"' in html and escape(str(kind.label)) in html
        assert f'name="{kind.name}" id="id_{kind.name}" checked' in html
    # Steps nobody is told of are not offered.
    assert "application.start_screening" not in html
    assert "A deadline for more information has passed" in html


def test_unticking_a_kind_stops_its_emails_only(client, applicant):
    client.force_login(applicant)
    kinds = [kind.name for kind in told_kinds()]
    kept = {name: "on" for name in kinds if name != "application.submit"}
    response = client.post(URL, {**kept, "not.a.kind": "on"}, follow=True)
    assert "Your notification settings were saved." in response.content.decode()
    saved = dict(NotificationPreference.objects.filter(user=applicant).values_list("kind", "email"))
    assert saved == {name: name != "application.submit" for name in kinds}
    html = response.content.decode()
    assert 'name="application.submit" id="id_application.submit">' in html


def test_the_profile_and_the_account_menu_link_to_it(client, applicant):
    client.force_login(applicant)
    html = client.get(reverse("profile")).content.decode()
    assert html.count(f'href="{URL}"') == 2


def test_one_users_settings_never_touch_anothers(client, applicant):
    other = user_with_role(Role.APPLICANT)
    client.force_login(applicant)
    client.post(URL, {})
    assert NotificationPreference.objects.filter(user=other).count() == 0
    assert NotificationPreference.objects.filter(user=applicant, email=True).count() == 0
