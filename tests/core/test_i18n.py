import pytest
from django.urls import reverse

from hkhz_portal.accounts.roles import Role
from tests.factories import user_with_role

pytestmark = pytest.mark.django_db

# The hero headline in each language; the English one must not leak into the others.
HEADLINES = {
    "en": "From Hangzhou to Hong Kong and the world, and back",
    "zh-hans": "从杭州到香港、走向世界，再回到杭州",
    "zh-hant": "從杭州到香港、走向世界，再回到杭州",
}


@pytest.mark.parametrize("language", HEADLINES)
def test_landing_page_speaks_each_language(client, language):
    client.cookies["django_language"] = language
    html = client.get(reverse("landing")).content.decode()
    assert f'<html lang="{language}">' in html
    assert HEADLINES[language] in html
    if language != "en":
        assert HEADLINES["en"] not in html
        assert "Sign up" not in html


@pytest.mark.parametrize("language", HEADLINES)
def test_the_language_switcher_names_each_language_in_itself(client, language):
    client.cookies["django_language"] = language
    html = client.get(reverse("landing")).content.decode()
    switcher = html.split('id="language-select"', 1)[1].split("</select>")[0]
    names = [name.strip() for name in switcher.split("</option>")[:-1]]
    assert [name.rsplit(">", 1)[1] for name in names] == ["English", "简体中文", "繁體中文"]


def test_browser_language_is_honoured_without_a_cookie(client):
    html = client.get(reverse("landing"), HTTP_ACCEPT_LANGUAGE="zh-TW,zh;q=0.8").content.decode()
    assert HEADLINES["zh-hant"] in html


def test_switching_language_is_remembered_on_the_account(client):
    user = user_with_role(Role.APPLICANT, preferred_language="en")
    client.force_login(user)
    response = client.post(reverse("set_language"), {"language": "zh-hant", "next": reverse("dashboard")})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.preferred_language == "zh-hant"

    # A new browser (no language cookie) gets the saved language after signing in.
    other_browser = client.__class__()
    other_browser.force_login(user)
    assert '<html lang="zh-hant">' in other_browser.get(reverse("dashboard")).content.decode()


def test_unknown_language_is_refused_and_not_saved(client):
    user = user_with_role(Role.APPLICANT, preferred_language="en")
    client.force_login(user)
    client.post(reverse("set_language"), {"language": "xx", "next": "/"})
    user.refresh_from_db()
    assert user.preferred_language == "en"
