"""The pages of a province's own index and of the published results: upload a decision, review it
beside its source with the rows that disagree marked, fix a row, activate; import published scores
and read them beside the self-assessed and appraised ones."""

import re
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from chitieu.audit.models import ChangeRecord
from chitieu.scoring import services
from chitieu.scoring.models import Framework, FrameworkDraft

pytestmark = pytest.mark.django_db
DOCS = Path(__file__).resolve().parent / "decisions"


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def _upload(client, tree, stem, ext="docx"):
    path = DOCS / f"{stem}.{ext}"
    return client.post(
        reverse("scoring:decision_upload"),
        {"file": SimpleUploadedFile(path.name, path.read_bytes()), "owner": tree["prov"].pk},
    )


def test_upload_review_fix_and_activate_a_decision_whose_points_do_not_add_up(client, people, tree):
    client.force_login(people["admin"])
    page = client.get(reverse("scoring:frameworks")).content.decode()
    assert 'id="upload-decision"' in page and 'data-template="PAR-TINH"' in page
    r = _upload(client, tree, "qd-990-cong-diem-sai")
    d = FrameworkDraft.objects.get()
    assert r.status_code == 302 and r["Location"] == reverse("scoring:draft", args=[d.pk])
    html = client.get(r["Location"]).content.decode()
    # the row that disagrees is marked, the others are not; the source is beside the rows
    assert re.findall(r'<tr id="r-([^"]+)"[^>]*data-problem="1"', html) == ["1"]
    assert "dòng 8 (1): điểm tối đa 10 khác tổng tiêu chí con 8." in _text(html)
    assert re.search(r"data-problem-text>điểm tối đa 10 khác tổng tiêu chí con 8<", html)
    assert re.search(r'<button type="submit" class="primary" id="activate" disabled', html)
    line = d.rows[1]["source_line"]
    assert re.search(rf'<li id="L{line}" value="{line}" class="has-item">1\.1 \| Ban hành kế hoạch năm', html)
    # activation is refused with the problem named; nothing is created
    r = client.post(
        reverse("scoring:draft_activate", args=[d.pk]), HTTP_REFERER=reverse("scoring:draft", args=[d.pk])
    )
    assert r.status_code == 302 and not Framework.objects.exists()
    msgs = _text(client.get(r["Location"]).content.decode())
    assert "Chưa kích hoạt được: có 1 lỗi." in msgs
    # the reviewer opens row 1.1, gives it 6 points with a reason
    form = client.get(reverse("scoring:draft", args=[d.pk]) + "?sua=1.1").content.decode()
    assert 'id="row-form"' in form and 'name="original" value="1.1"' in form
    bad = client.post(
        reverse("scoring:draft_row", args=[d.pk]),
        {
            "original": "1.1",
            "code": "1.1",
            "parent": "1",
            "name": "Ban hành kế hoạch năm",
            "max_points": "sáu",
            "method": "yesno",
        },
    )
    assert (
        bad.status_code == 400
        and "Tiêu chí 1.1: điểm tối đa &#x27;sáu&#x27; không phải là số." in bad.content.decode()
    )
    r = client.post(
        reverse("scoring:draft_row", args=[d.pk]),
        {
            "original": "1.1",
            "code": "1.1",
            "parent": "1",
            "name": "Ban hành kế hoạch năm",
            "max_points": "6",
            "method": "yesno",
            "reason": "đối chiếu bản ký",
        },
    )
    assert r.status_code == 302
    assert ChangeRecord.objects.filter(reason="đối chiếu bản ký").exists()
    html = client.get(reverse("scoring:draft", args=[d.pk])).content.decode()
    assert 'id="check-ok"' in html and "data-problem" not in html
    r = client.post(reverse("scoring:draft_activate", args=[d.pk]))
    fw = Framework.objects.get()
    assert r.status_code == 302 and r["Location"] == reverse("scoring:framework", args=[fw.pk])
    assert (fw.code, fw.max_points, fw.owner) == ("990/QĐ-UBND", 100, tree["prov"])
    # a reporter may read the review of a unit above but not change it
    client.force_login(people["reporter"])
    assert client.post(reverse("scoring:draft_row_delete", args=[d.pk]), {"code": "1.2"}).status_code == 403


def test_a_pdf_decision_reads_to_the_same_draft_and_the_upload_page_names_bad_files(client, people, tree):
    client.force_login(people["root"])
    r = _upload(client, tree, "qd-1082-par-xa-ben-may", "pdf")
    d = FrameworkDraft.objects.get()
    assert [r["code"] for r in d.rows][:4] == ["I", "I.1", "I.1.a", "I.1.b"]
    again = _upload(client, tree, "qd-1082-par-xa-ben-may", "pdf")
    assert again["Location"] == reverse("scoring:draft", args=[d.pk])  # the same file: the first draft
    r = client.post(
        reverse("scoring:decision_upload"),
        {"file": SimpleUploadedFile("bang.txt", "Không có gì.".encode()), "owner": tree["prov"].pk},
    )
    assert r.status_code == 400 and "bang.txt: không tìm thấy bảng tiêu chí" in r.content.decode()
    assert FrameworkDraft.objects.count() == 1


def test_the_par_template_page_creates_a_draft_to_fill(client, people, tree):
    client.force_login(people["admin"])
    r = client.post(reverse("scoring:template_draft", args=["PAR-TINH"]), {"owner": tree["prov"].pk})
    d = FrameworkDraft.objects.get()
    assert r["Location"] == reverse("scoring:draft", args=[d.pk])
    html = client.get(r["Location"]).content.decode()
    text = _text(html)
    assert "892/QĐ-BNV" in text and "1187/QĐ-BNV" in text
    assert len(re.findall(r'data-problem="1"', html)) == 8  # every field still lacks its points
    assert "Điểm điều tra xã hội học 0 khác 32 điểm theo quy định." in text


def test_published_results_page_imports_and_shows_the_differences(client, people, tree, small_framework):
    root = people["root"]
    (a,) = services.framework_open(actor=root, framework=small_framework, units=[tree["xa_a"]])
    services.self_assess_save(
        actor=root, assessment=a, entries={"A.3": {"met": True, "links": ["/x/"]}, "B": {"points": "8"}}
    )
    services.appraise_finalize(actor=root, assessment=services.self_assess_submit(actor=root, assessment=a))
    url = reverse("scoring:framework_published", args=[small_framework.pk])
    client.force_login(root)
    bad = client.post(
        url, {"file": SimpleUploadedFile("cb.csv", "Mã đơn vị;B;Tổng điểm\nT1-XA;9;11\n".encode())}
    )
    assert bad.status_code == 400 and "dòng 2, cột B: 9 ngoài khoảng 0 - 8 (điểm)." in bad.content.decode()
    r = client.post(
        url, {"file": SimpleUploadedFile("cb.csv", "Mã đơn vị;B;Tổng điểm\nT1-XA;7;9\n".encode())}
    )
    assert r.status_code == 302
    html = client.get(url).content.decode()
    # B: self 8, appraised 8, published 7 -> -1; total: 10 appraised (A: 0 + 0 + 2), published 9 -> -1
    assert re.search(r'data-published="B">7<', html) and re.search(r'data-gap="B">-1<', html)
    assert re.search(r'data-gap="">-1<', html)
    x = client.get(url + "?format=xlsx")
    assert x.status_code == 200 and x["Content-Type"].startswith("application/vnd.openxmlformats")
    client.force_login(people["xa_reporter"])
    assert client.get(url).status_code == 403


def test_the_assessment_page_takes_a_rate_and_a_count_and_shows_only_allowed_buttons(client, people, tree):
    path = DOCS / "qd-215-par-so-song-lam.docx"
    from chitieu.scoring import drafts

    d = drafts.draft_from_document(
        actor=people["root"], owner=tree["prov"], file_name=path.name, data=path.read_bytes()
    )
    fw = drafts.draft_activate(actor=people["root"], draft=d)
    (a,) = services.framework_open(
        actor=people["root"],
        framework=fw,
        units=[tree["dept"]],
        appraisers={tree["dept"].pk: [people["approver"]]},
    )
    ids = {c.code: c.pk for c in fw.criteria.all()}
    url = reverse("scoring:assessment", args=[fw.pk, a.pk])
    client.force_login(people["reporter"])
    html = client.get(url).content.decode()
    assert f'name="c_{ids["3.3"]}"' in html and 'value="submit"' in html and 'value="finalize"' not in html
    r = client.post(url, {"action": "save", f"c_{ids['3.3']}": "60", f"c_{ids['2.2']}": "3"})
    assert r.status_code == 302
    s = {x.criterion.code: x.self_points for x in a.scores.select_related("criterion")}
    assert (str(s["3.3"]), str(s["2.2"])) == ("2.2500", "1.2500")
    client.force_login(people["approver"])
    html = client.get(url).content.decode()
    assert 'value="save"' not in html and 'value="appraise"' not in html  # not sent yet: nothing to appraise


def test_odd_ids_are_a_clear_404_not_a_crash(client, people, tree, small_framework):
    client.force_login(people["root"])
    live = reverse("scoring:framework_live", args=[small_framework.pk])
    for raw in ("²", "abc", "9" * 30):
        assert client.get(live + f"?don-vi={raw}&ky=2026").status_code == 404, raw
    r = client.post(reverse("scoring:framework", args=[small_framework.pk]), {"action": "open", "root": "²"})
    assert r.status_code == 404
