"""schemathesis against the app's own OpenAPI: no server error (5xx) anywhere in the API, whatever
the input, signed in as a reporter. The schema is loaded in-process (WSGI); every operation gets
generated cases (hypothesis), each sent and checked."""

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings

pytestmark = pytest.mark.django_db

EXAMPLES = int(__import__("os").environ.get("CHITIEU_FUZZ_EXAMPLES", "25"))  # per operation


@pytest.fixture
def wsgi_app():
    from django.core import signals
    from django.core.wsgi import get_wsgi_application
    from django.db import close_old_connections

    # as Django's test client does: the test's transaction must outlive each request
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield get_wsgi_application()
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def token(people, tree, indicators):
    from chitieu.api.models import ApiToken
    from chitieu.plans import services as plans

    p = plans.plan_create(
        actor=people["root"], issuer=tree["dept"], title="API", number_symbol="1/KH-API", date_text="2026"
    )
    plans.target_create(
        actor=people["root"],
        plan=p,
        text="Trực tuyến",
        operator=">=",
        threshold=50,
        indicator=indicators["online"],
        lead_unit=tree["dept"],
    )
    plans.plan_activate(actor=people["root"], plan=p)
    _, raw = ApiToken.issue(people["reporter"], "fuzz")
    return raw


def test_no_server_error_anywhere(wsgi_app, token):
    schema = schemathesis.openapi.from_wsgi("/api/openapi.json", wsgi_app)
    operations = [r.ok() for r in schema.get_all_operations()]
    assert len(operations) >= 12
    seen: dict[str, set[int]] = {}
    failures: list[str] = []

    def fuzz(op) -> None:
        label = f"{op.method.upper()} {op.path}"

        @given(case=op.as_strategy())
        @settings(
            max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), database=None
        )
        def run(case):
            resp = case.call(headers={"Authorization": f"Bearer {token}"})
            seen.setdefault(label, set()).add(resp.status_code)
            if resp.status_code >= 500:
                failures.append(
                    f"{label} -> {resp.status_code}: {case.path_parameters} {case.query} {str(case.body)[:200]}"
                )

        run()

    for op in operations:
        fuzz(op)
    assert not failures, "\n".join(failures[:10])
    # the cases reached the code: successes and refusals both happened
    codes = set().union(*seen.values())
    assert 200 in codes and codes & {400, 403, 404, 409, 422}
    print("schemathesis:", {k: sorted(v) for k, v in sorted(seen.items())})


def test_nul_characters_are_refused_cleanly(client, people):
    client.force_login(people["reporter"])
    assert client.get("/api/plans?status=a%00b").status_code == 400
    assert client.get("/xep-hang/?loai=x%00").status_code == 400
    r = client.post("/dang-nhap/", {"username": "a\x00b", "password": "x"})
    assert r.status_code == 400 and "NUL" in r.content.decode()
