"""One write path: the same bad figure is refused the same way by the report form, the Excel upload,
the API and the CLI, and nothing is written (issue 17). Before, only the form ran the rules across
figures (parts adding up to their total); the API and Excel accepted what the form refused."""

from __future__ import annotations

import io
import json

import pytest
from openpyxl import load_workbook

from chitieu.cli import main
from chitieu.plans import services as plan_services
from chitieu.reporting import excel
from chitieu.reporting.models import DataValue, Submission

TOO_MANY = "Tỷ lệ hồ sơ trực tuyến: tử số (60) lớn hơn mẫu số (56)."
PARTS = "Hồ sơ tiếp nhận: các thành phần cộng lại 13 lớn hơn tổng 10."


@pytest.fixture
def parts_plan(active_plan, tree, people, indicators):
    """A total and its two parts, all reported by the department in the same plan's report."""
    from chitieu.indicators.services import indicator_create

    total = indicator_create(actor=None, code="RECEIVED", name="Hồ sơ tiếp nhận", kind="count", audit=False)
    parts = [
        indicator_create(actor=None, code=code, name=name, kind="count", parent=total, audit=False)
        for code, name in (("RECV_ONLINE", "Tiếp nhận trực tuyến"), ("RECV_DIRECT", "Tiếp nhận trực tiếp"))
    ]
    plan = plan_services.plan_create(
        actor=people["root"],
        issuer=tree["dept"],
        title="Kế hoạch hồ sơ",
        number_symbol="25/KH-SNV",
        date_text="2024-02-02",
        regime=active_plan.regime,
    )
    for ind in (total, *parts):
        plan_services.target_create(
            actor=people["root"],
            plan=plan,
            text=ind.name,
            operator=">=",
            threshold=0,
            unit="count",
            indicator=ind,
            lead_unit=tree["dept"],
        )
    plan_services.plan_activate(actor=people["root"], plan=plan)
    return plan


def _nothing_written():
    return not DataValue.objects.exists()


def _xlsx(people, tree, edits: dict[str, dict]) -> bytes:
    wb = load_workbook(io.BytesIO(excel.build_template(people["reporter"], tree["dept"], "2024Q1")))
    ws = wb[excel.SHEET]
    header = [c.value for c in ws[1]]
    for row in ws.iter_rows(min_row=2):
        for col, v in edits.get(row[3].value, {}).items():
            row[header.index(col)].value = v
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _form(client, people, plan, tree, fields_by_code: dict[str, dict]):
    s = Submission.objects.get(plan=plan, unit=tree["dept"], period="2024Q1")
    data = {"action": "save"}
    for t in plan.targets.select_related("indicator"):
        for prefix, v in fields_by_code.get(t.indicator.code, {}).items():
            data[f"{prefix}_{t.pk}"] = v
    client.force_login(people["reporter"])
    return client.post(f"/bao-cao/{s.pk}/", data)


def _token(people):
    from chitieu.api.models import ApiToken

    return ApiToken.issue(people["reporter"], "kênh")[1]


def _api(client, token, method, url, body):
    fn = getattr(client, method)
    return fn(
        url, data=json.dumps(body), content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {token}"
    )


def _cli(tmp_path, data: bytes, capsys) -> tuple[int, str]:
    f = tmp_path / "so-lieu.xlsx"
    f.write_bytes(data)
    code = main(["values", "import", str(f), "--user", "reporter"])
    return code, capsys.readouterr().err


def test_numerator_above_denominator_is_refused_alike(client, active_plan, people, tree, tmp_path, capsys):
    r = _form(client, people, active_plan, tree, {"ONLINE": {"num": "60", "den": "56"}})
    assert r.status_code == 400 and TOO_MANY in r.content.decode() and _nothing_written()

    rep = excel.import_values(
        actor=people["reporter"],
        data=_xlsx(people, tree, {"ONLINE": {"Tử số": 60, "Mẫu số": 56}}),
        file_name="q1.xlsx",
    )
    assert rep.errors == [f"Sheet 'Số liệu', ô G2: {TOO_MANY}"] and _nothing_written()

    token = _token(people)
    body = {"unit": "T1-SNV", "indicator": "ONLINE", "period": "2024Q1", "numerator": 60, "denominator": 56}
    r = _api(client, token, "put", "/api/values", body)
    assert r.status_code == 400 and r.json()["errors"] == {"numerator": TOO_MANY} and _nothing_written()
    r = _api(client, token, "post", "/api/values/bulk", {"rows": [body]})
    assert r.status_code == 400 and r.json()["rows"][0]["errors"] == [TOO_MANY] and _nothing_written()

    code, err = _cli(tmp_path, _xlsx(people, tree, {"ONLINE": {"Tử số": 60, "Mẫu số": 56}}), capsys)
    assert code == 2 and f"Sheet 'Số liệu', ô G2: {TOO_MANY}" in err and _nothing_written()


def test_parts_above_their_total_are_refused_alike(client, parts_plan, people, tree, tmp_path, capsys):
    figures = {"RECEIVED": 10, "RECV_ONLINE": 6, "RECV_DIRECT": 7}
    r = _form(client, people, parts_plan, tree, {code: {"val": str(v)} for code, v in figures.items()})
    assert r.status_code == 400 and PARTS in r.content.decode() and _nothing_written()

    sheet = _xlsx(people, tree, {code: {"Giá trị": v} for code, v in figures.items()})
    rep = excel.import_values(actor=people["reporter"], data=sheet, file_name="q1.xlsx")
    assert rep.errors == [f"Sheet 'Số liệu': {PARTS}"] and _nothing_written()

    token = _token(people)
    rows = [{"unit": "T1-SNV", "indicator": c, "period": "2024Q1", "value": v} for c, v in figures.items()]
    r = _api(client, token, "post", "/api/values/bulk", {"rows": rows})
    assert r.status_code == 400 and r.json()["problems"] == [PARTS] and _nothing_written()
    # one figure at a time: the second part is the one that breaks the total, and is refused
    for row in rows[:2]:
        assert _api(client, token, "put", "/api/values", row).status_code == 200
    r = _api(client, token, "put", "/api/values", rows[2])
    assert r.status_code == 400 and r.json()["detail"] == PARTS
    assert not DataValue.objects.filter(indicator__code="RECV_DIRECT").exists()
    DataValue.objects.all().delete()

    code, err = _cli(tmp_path, sheet, capsys)
    assert code == 2 and f"Sheet 'Số liệu': {PARTS}" in err and _nothing_written()
