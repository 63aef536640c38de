"""The OpenAPI schema and its two pages: open to anyone (keys included), valid, every operation
with examples and its errors, the webhook catalogue in it, and pages that load nothing from
another host under a CSP that lets them run."""

import json
import re

import pytest
import yaml
from django.core.management import call_command

from hkhz_portal.accounts.roles import Role
from hkhz_portal.core.problems import PROBLEM_JSON
from hkhz_portal.webhooks.types import EventType
from tests.factories import api_key, user_with_role

pytestmark = pytest.mark.django_db

SCHEMA = "/api/v1/schema/"
METHODS = ("get", "post", "put", "patch", "delete")


@pytest.fixture(scope="module")
def schema(django_db_blocker):
    with django_db_blocker.unblock():
        from drf_spectacular.generators import SchemaGenerator

        return json.loads(json.dumps(SchemaGenerator().get_schema(request=None, public=True)))


def operations(schema):
    for path, item in schema["paths"].items():
        for method in METHODS:
            if method in item:
                yield f"{method.upper()} {path}", item[method]


def credentials(client, kind):
    if kind == "session":
        client.force_login(user_with_role(Role.APPLICANT))
        return {}
    if kind == "key":
        return {"HTTP_AUTHORIZATION": f"Bearer {api_key(scopes=['stats:read'])}"}
    return {}


@pytest.mark.parametrize("kind", ["anonymous", "session", "key"])
def test_the_schema_is_open_to_anyone_in_json_and_yaml(client, kind):
    headers = credentials(client, kind)
    as_json = client.get(SCHEMA, {"format": "json"}, **headers)
    as_yaml = client.get(SCHEMA, **headers)
    assert (as_json.status_code, as_yaml.status_code) == (200, 200)
    assert as_json["Content-Type"].startswith("application/vnd.oai.openapi+json")
    assert as_yaml["Content-Type"].startswith("application/vnd.oai.openapi")
    assert json.loads(as_json.content) == yaml.safe_load(as_yaml.content)
    assert json.loads(as_json.content)["openapi"] == "3.1.0"


def test_a_revoked_or_unknown_key_is_refused_even_for_the_schema(client):
    response = client.get(SCHEMA, HTTP_AUTHORIZATION="Bearer hkhz_live_not-a-key")
    assert response.status_code == 401
    assert response["Content-Type"] == PROBLEM_JSON


def test_the_schema_validates_without_a_warning(tmp_path):
    # Raises on any warning or error, and validates against the OpenAPI 3.1 meta-schema.
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yaml"))
    assert yaml.safe_load((tmp_path / "schema.yaml").read_text())["info"]["title"] == "HKHZ Portal API"


def test_every_operation_has_a_summary_and_examples_of_its_request_and_response(schema):
    for name, operation in operations(schema):
        assert operation.get("summary"), name
        body = operation.get("requestBody", {}).get("content", {}).get("application/json")
        if body is not None:
            assert body.get("examples"), f"{name}: no request example"
        answers = [r for code, r in operation["responses"].items() if code.startswith("2") and "content" in r]
        for answer in answers:
            assert any(media.get("examples") for media in answer["content"].values()), f"{name}: no response example"
        assert answers or "204" in operation["responses"], name


def test_every_operation_documents_its_errors_as_problem_json(schema):
    for name, operation in operations(schema):
        method, path = name.split(" ", 1)
        expected = {"400", "401", "429"}
        if "{" in path:
            expected.add("404")
        if method in ("POST", "PUT", "PATCH", "DELETE"):
            expected |= {"409", "422"}
        if operation["security"] != [{"partnerKey": []}, {"session": []}, {}]:  # not open to all
            expected.add("403")
        responses = operation["responses"]
        assert expected <= set(responses), f"{name}: {sorted(expected - set(responses))}"
        for code, response in responses.items():
            if code >= "400":
                problem = response["content"][PROBLEM_JSON]
                assert problem["schema"] == {"$ref": "#/components/schemas/Problem"}, name
                assert all(e["value"]["status"] == int(code) for e in problem["examples"].values()), name
    problem = schema["components"]["schemas"]["Problem"]
    assert set(problem["properties"]) == {"type", "title", "status", "detail", "errors"}
    assert set(problem["required"]) == {"type", "title", "status", "detail"}


def test_every_tag_is_described(schema):
    described = {tag["name"] for tag in schema["tags"]}
    used = {tag for _name, operation in operations(schema) for tag in operation["tags"]}
    used |= {tag for item in schema["webhooks"].values() for tag in item["post"]["tags"]}
    assert used - described == set()
    assert all(tag["description"] for tag in schema["tags"])


def test_keys_are_offered_only_where_a_scope_opens_the_operation(schema):
    security = {name: operation["security"] for name, operation in operations(schema)}
    assert {"partnerKey": ["calls:read"]} in security["GET /api/v1/calls/"]
    assert {"partnerKey": []} in security["GET /api/v1/schema/"]
    assert security["GET /api/v1/enterprises/"] == [{"session": []}]
    assert security["POST /api/v1/applications/"] == [{"session": []}]
    assert {"partnerKey": ["calls:read"]} in security["GET /api/v1/services/"]
    assert security["GET /api/v1/service-requests/"] == [{"session": []}]
    assert security["POST /api/v1/service-requests/{reference}/messages/"] == [{"session": []}]
    schemes = schema["components"]["securitySchemes"]
    assert schemes["partnerKey"]["scheme"] == "bearer"
    assert "hkhz_live_" in schemes["partnerKey"]["bearerFormat"]


def test_writes_take_an_idempotency_key(schema):
    for name, operation in operations(schema):
        headers = {p["name"] for p in operation.get("parameters", []) if p["in"] == "header"}
        assert ("Idempotency-Key" in headers) == (not name.startswith("GET")), name


def test_the_webhook_catalogue_is_in_the_schema(schema):
    assert (
        set(schema["webhooks"])
        == set(EventType.values)
        == {
            "call.opened",
            "call.closing",
            "application.submitted",
            "application.decided",
            "enterprise.admitted",
            "service_request.requested",
            "service_request.state_changed",
            "service_request.completed",
            "service_request.cancelled",
        }
    )
    for event_type, item in schema["webhooks"].items():
        delivery = item["post"]
        assert {p["name"] for p in delivery["parameters"]} == {"webhook-id", "webhook-timestamp", "webhook-signature"}
        (example,) = delivery["requestBody"]["content"]["application/json"]["examples"].values()
        assert example["value"]["type"] == event_type
        assert set(example["value"]) == {"type", "timestamp", "data"}
        links = example["value"]["data"]["links"]
        assert links and all(link.startswith("https://portal.example.org/api/v1/") for link in links.values())
        assert delivery["summary"] == EventType(event_type).label


@pytest.mark.parametrize("path", ["/api/v1/docs/", "/api/v1/redoc/"])
def test_the_documentation_pages_load_nothing_from_another_host(client, path):
    response = client.get(path)
    assert response.status_code == 200
    html = response.content.decode()
    sources = re.findall(r'<(?:script|link)[^>]+(?:src|href)="([^"]+)"', html)
    assert sources, html
    assert all(source.startswith("/") and not source.startswith("//") for source in sources), sources
    assert "<script>" not in html and "<style" not in html
    policy = response["Content-Security-Policy"]
    assert "script-src 'self';" in policy + ";"
    assert "default-src 'self'" in policy


def test_swagger_ui_runs_its_set_up_from_a_served_script(client):
    page = client.get("/api/v1/docs/").content.decode()
    (script,) = re.findall(r'<script src="(/api/v1/docs/[^"]*)"', page)
    response = client.get(script)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/javascript")
    assert "SwaggerUIBundle" in response.content.decode()
    assert "/api/v1/schema/" in response.content.decode()


def test_only_redoc_gets_the_styles_and_worker_it_needs(client):
    redoc = client.get("/api/v1/redoc/")["Content-Security-Policy"]
    assert "style-src 'self' 'unsafe-inline'" in redoc
    assert "worker-src 'self' blob:" in redoc
    assert "unsafe-inline" not in client.get("/api/v1/docs/")["Content-Security-Policy"]
    assert "unsafe-inline" not in client.get("/")["Content-Security-Policy"]


def test_the_api_root_and_every_page_footer_lead_to_the_documentation(client):
    links = client.get("/api/v1/").json()
    assert links["docs"] == "http://testserver/api/v1/docs/"
    assert links["redoc"] == "http://testserver/api/v1/redoc/"
    assert links["schema"] == "http://testserver/api/v1/schema/"
    assert 'href="/api/v1/docs/"' in client.get("/").content.decode()


def test_an_api_url_that_matches_no_route_is_a_problem_json_404(client):
    response = client.get("/api/v1/enterprises/not-a-reference/")
    assert response.status_code == 404
    assert response["Content-Type"] == PROBLEM_JSON
    assert response.json() == {"type": "not_found", "title": "Not found.", "status": 404, "detail": "Not found."}
    page = client.get("/no-such-page/")
    assert page.status_code == 404
    assert page["Content-Type"].startswith("text/html")


def test_invalid_input_is_detailed_field_by_field(client):
    response = client.get("/api/v1/calls/", {"state": "soon", "unit": "a b"})
    assert response.status_code == 400
    body = response.json()
    slug = 'Enter a valid "slug" consisting of letters, numbers, underscores or hyphens.'
    assert body["errors"] == {"state": ['"soon" is not a valid choice.'], "unit": [slug]}
    assert body["detail"] == f'state: "soon" is not a valid choice. unit: {slug}'
