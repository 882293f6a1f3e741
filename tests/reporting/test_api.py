import json
from decimal import Decimal as D

import pytest

from chitieu.api.models import ApiToken
from chitieu.reporting.models import DataValue, Submission


@pytest.fixture
def tokens(people):
    return {
        k: ApiToken.issue(people[k], "test")[1]
        for k in ("reporter", "approver", "xa_reporter", "other_reporter")
    }


def call(client, method, url, token=None, body=None):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
    fn = getattr(client, method)
    if body is not None:
        return fn(url, data=json.dumps(body), content_type="application/json", **headers)
    return fn(url, **headers)


def test_openapi_docs_are_served(client):
    r = client.get("/api/openapi.json")
    assert r.status_code == 200 and "/api/values/bulk" in r.json()["paths"]
    assert client.get("/api/docs").status_code == 200


def test_token_required(client, active_plan):
    assert call(client, "get", "/api/values?period=2024Q1").status_code == 401
    assert call(client, "get", "/api/values?period=2024Q1", token="ct_wrong").status_code == 401


def test_put_value_validation_permission_and_conflict(client, active_plan, tokens, tree):
    body = {
        "unit": "T1-SNV",
        "indicator": "ONLINE",
        "period": "Quý I năm 2024",
        "numerator": 57,
        "denominator": 56,
    }
    r = call(client, "put", "/api/values", tokens["reporter"], body)
    assert r.status_code == 400 and "lớn hơn mẫu số" in r.json()["errors"]["numerator"]
    body["numerator"] = 52
    r = call(client, "put", "/api/values", tokens["reporter"], body)
    assert r.status_code == 200 and r.json()["version"] == 1 and r.json()["rate_percent"] == "92.8571"
    r = call(client, "put", "/api/values", tokens["xa_reporter"], {**body, "numerator": 1})
    assert r.status_code == 403 and "không có quyền" in r.json()["detail"]
    r = call(
        client, "put", "/api/values", tokens["reporter"], {**body, "numerator": 50, "expected_version": 0}
    )
    assert r.status_code == 409 and r.json()["current"]["numerator"] == "52.0000"
    assert DataValue.objects.get().numerator == D(52)


def test_bulk_dry_run_then_all_or_nothing(client, active_plan, tokens):
    rows = [
        {"unit": "T1-SNV", "indicator": "ONLINE", "period": "2024Q1", "numerator": 5, "denominator": 10},
        {"unit": "T1-SNV", "indicator": "COURSES", "period": "2024Q1", "value": 2},
    ]
    r = call(client, "post", "/api/values/bulk?dry_run=true", tokens["reporter"], {"rows": rows})
    assert (
        r.status_code == 200
        and r.json()["written"] is False
        and [x["status"] for x in r.json()["rows"]] == ["changed"] * 2
    )
    assert not DataValue.objects.exists()
    bad = rows + [
        {"unit": "T1-XA", "indicator": "ONLINE", "period": "2024Q1", "numerator": 1, "denominator": 2}
    ]
    r = call(client, "post", "/api/values/bulk", tokens["reporter"], {"rows": bad})
    assert (
        r.status_code == 400 and r.json()["rows"][2]["status"] == "error" and not DataValue.objects.exists()
    )
    r = call(client, "post", "/api/values/bulk", tokens["reporter"], {"rows": rows})
    assert r.status_code == 200 and r.json()["written"] and DataValue.objects.count() == 2


def test_submission_workflow_over_the_api(client, active_plan, tokens, tree):
    s = Submission.objects.get(plan=active_plan, unit=tree["dept"], period="2024Q1")
    r = call(client, "post", f"/api/submissions/{s.pk}/submit", tokens["reporter"])
    assert r.status_code == 400 and "chưa nhập số liệu" in r.json()["detail"]
    for b in (
        {"indicator": "ONLINE", "numerator": 56, "denominator": 56},
        {"indicator": "COURSES", "value": 2},
    ):
        call(client, "put", "/api/values", tokens["reporter"], {"unit": "T1-SNV", "period": "2024Q1", **b})
    assert (
        call(client, "post", f"/api/submissions/{s.pk}/submit", tokens["reporter"]).json()["status"]
        == "submitted"
    )
    assert call(client, "post", f"/api/submissions/{s.pk}/approve", tokens["reporter"]).status_code == 403
    r = call(client, "post", f"/api/submissions/{s.pk}/return", tokens["approver"], {"reason": ""})
    assert r.status_code == 400
    r = call(client, "post", f"/api/submissions/{s.pk}/approve", tokens["approver"])
    assert r.status_code == 200 and r.json()["status"] == "approved"
    assert call(client, "get", f"/api/submissions/{s.pk}/approve", tokens["approver"]).status_code == 405
    other = call(client, "get", "/api/submissions?period=2024Q1", tokens["other_reporter"]).json()
    assert other == []


def test_period_endpoint_is_public_and_explains_bad_input(client):
    r = client.get("/api/periods/quý 1-2024")
    assert r.status_code == 200 and r.json()["cutoff"] == ["2023-12-15", "2024-03-14"]
    r = client.get("/api/periods/quý 9-2024")
    assert r.status_code == 400 and "kỳ báo cáo" in r.json()["detail"]
