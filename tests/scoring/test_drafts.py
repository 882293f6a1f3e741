"""A province's own index from its decision: upload -> draft -> checks -> review edits (with
history) -> activate as a version -> self-assessment; and the PAR 876 template filled by an office."""

from decimal import Decimal as D
from pathlib import Path

import pytest

from chitieu.audit.models import ChangeRecord
from chitieu.orgs.permissions import NotAllowed
from chitieu.scoring import drafts, selectors, services
from chitieu.scoring.errors import ScoringConflict, ScoringError
from chitieu.scoring.models import Framework, FrameworkDraft

pytestmark = pytest.mark.django_db
DOCS = Path(__file__).resolve().parent / "decisions"


def upload(people, tree, stem, ext="docx", actor="root"):
    path = DOCS / f"{stem}.{ext}"
    return drafts.draft_from_document(
        actor=people[actor], owner=tree["prov"], file_name=path.name, data=path.read_bytes()
    )


def test_a_decision_becomes_a_draft_then_a_version_the_units_assess_against(people, tree):
    d = upload(people, tree, "qd-215-par-so-song-lam", "pdf")
    assert (d.code, d.version, d.period, d.stated_total) == ("215/QĐ-UBND", "2026", "2026", D(100))
    assert d.name == "Bộ chỉ số cải cách hành chính của các sở, ban, ngành tỉnh Sông Lam năm 2026"
    assert len(d.rows) == 40 and d.source_file.name
    assert d.meta["basis"] == "Quyết định 215/QĐ-UBND ngày 20/01/2026 của Ủy ban nhân dân tỉnh Sông Lam"
    check = drafts.draft_check(d)
    assert check.ok and check.disagreements == [] and check.groups_total == 100
    # the review shows each row beside its source line
    review = selectors.draft_review(people["root"], d)
    row = next(r for r in review.rows if r.row["code"] == "1.1.2")
    assert row.depth == 2 and row.is_leaf
    assert any(
        s["n"] == row.row["source_line"] and s["marked"] and "Mức độ hoàn thành" in s["text"]
        for s in review.source
    )
    assert next(r for r in review.rows if r.row["code"] == "1.1").children_total == 3
    fw = drafts.draft_activate(actor=people["root"], draft=d)
    d.refresh_from_db()
    assert (d.status, d.framework_id) == ("activated", fw.pk)
    assert fw.criteria.count() == 40 and fw.max_points == 100 and fw.owner == tree["prov"]
    c = fw.criteria.get(code="3.2")
    assert (c.method, c.bands, c.source_line) == (
        "banded",
        [["98", "6"], ["95", "4"], ["90", "2"]],
        d.rows[20]["source_line"],
    )
    assert fw.criteria.get(code="2.2").step == D("0.25")
    assert fw.basis == d.meta["basis"]
    with pytest.raises(ScoringConflict, match="đã kích hoạt"):
        drafts.draft_row_save(actor=people["root"], draft=d, code="1.2", row={"max_points": "3"})
    # a department assesses itself against it: a rate, a count of shortfalls, a band
    (a,) = services.framework_open(actor=people["root"], framework=fw, units=[tree["dept"]])
    problems = services.self_assess_save(
        actor=people["reporter"],
        assessment=a,
        entries={
            "3.3": {"value": "60"},  # below 80 %: 60 x 3 / 80 = 2.25
            "2.2": {"value": "3"},  # three texts reviewed late: 2 - 3 x 0.25 = 1.25
            "3.2": {"value": "96,5"},  # 95 % <= 96.5 % < 98 %: 4
            "1.2": {"value": "5"},  # five late reports at 0.5 each: 2 - 2.5 -> 0, never below
        },
    )
    assert problems == []
    s = {x.criterion.code: x.self_points for x in a.scores.select_related("criterion")}
    assert (s["3.3"], s["2.2"], s["3.2"], s["1.2"]) == (D("2.25"), D("1.25"), D(4), D(0))
    assert services.self_assess_save(
        actor=people["reporter"], assessment=a, entries={"2.2": {"value": "1,5"}}
    ) == ["Tiêu chí 2.2: số lần phải là số nguyên."]


def test_points_that_do_not_add_up_are_shown_by_row_and_block_activation(people, tree):
    d = upload(people, tree, "qd-990-cong-diem-sai")
    check = drafts.draft_check(d)
    assert [(x.code, x.stated, x.children) for x in check.disagreements] == [("1", 10, 8)]
    assert check.row_problems["1"] == ["điểm tối đa 10 khác tổng tiêu chí con 8"]
    with pytest.raises(ScoringError) as exc:
        drafts.draft_activate(actor=people["root"], draft=d)
    assert exc.value.rows == ["1"]
    assert any("điểm tối đa 10 khác tổng tiêu chí con 8" in p and "dòng" in p for p in exc.value.messages)
    assert not Framework.objects.exists()
    # the reviewer fixes the row; the change is kept with the row before and after
    d = drafts.draft_row_save(
        actor=people["root"], draft=d, code="1.1", row={"max_points": "6"}, reason="theo bản ký ngày 02/6"
    )
    rec = ChangeRecord.objects.filter(
        object_type="scoring.frameworkdraft", reason="theo bản ký ngày 02/6"
    ).get()
    assert (rec.before["row"]["max_points"], rec.after["row"]["max_points"]) == ("4", "6")
    assert drafts.draft_check(d).ok
    # the total: groups that no longer add up to the stated 100
    d = drafts.draft_row_save(actor=people["root"], draft=d, code="2", row={"max_points": "22"})
    d = drafts.draft_row_save(actor=people["root"], draft=d, code="2.1", row={"max_points": "12"})
    check = drafts.draft_check(d)
    assert [(x.code, x.stated, x.children) for x in check.disagreements] == [("", 100, 102)]
    assert "Điểm tối đa của bộ chỉ số 100 khác tổng các nhóm 102." in check.problems
    d = drafts.draft_update(actor=people["root"], draft=d, stated_total="102")
    fw = drafts.draft_activate(actor=people["root"], draft=d)
    assert fw.max_points == 102 and fw.criteria.get(code="1.1").max_points == 6


def test_rows_are_added_deleted_and_checked(people, tree):
    d = upload(people, tree, "qd-990-cong-diem-sai")
    root = people["root"]
    d = drafts.draft_row_save(
        actor=root,
        draft=d,
        row={"code": "1.3", "parent": "1", "name": "Tuyên truyền", "max_points": "2", "method": "yesno"},
    )
    codes = [r["code"] for r in d.rows]
    assert codes.index("1.3") == codes.index("1.2") + 1  # under its parent, after its siblings
    assert drafts.draft_check(d).ok
    with pytest.raises(ScoringError) as exc:
        drafts.draft_row_save(
            actor=root, draft=d, row={"code": "1.3", "parent": "9", "name": "", "max_points": "x"}
        )
    assert exc.value.messages == [
        "Tiêu chí 1.3: cần ghi tên tiêu chí.",
        "Tiêu chí 1.3: mã đã có.",
        "Tiêu chí 1.3: không có tiêu chí cha '9'.",
        "Tiêu chí 1.3: điểm tối đa 'x' không phải là số.",
    ]
    with pytest.raises(ScoringError, match="còn tiêu chí con"):
        drafts.draft_row_delete(actor=root, draft=d, code="1")
    d = drafts.draft_row_delete(actor=root, draft=d, code="1.3")
    assert "1.3" not in [r["code"] for r in d.rows]
    # a method that needs more than its name
    d = drafts.draft_row_save(actor=root, draft=d, code="2.2", row={"method": "deduction"})
    assert drafts.draft_check(d).row_problems["2.2"] == ["cần số điểm trừ mỗi lần"]
    # someone else edited meanwhile
    with pytest.raises(ScoringConflict, match="vừa được người khác sửa"):
        drafts.draft_row_save(
            actor=root, draft=d, code="2.2", row={"step": "1"}, expected_version=d.version_no - 1
        )


def test_only_the_owners_managers_upload_edit_and_activate(people, tree):
    path = DOCS / "qd-990-cong-diem-sai.docx"
    with pytest.raises(NotAllowed):
        drafts.draft_from_document(
            actor=people["reporter"], owner=tree["prov"], file_name=path.name, data=path.read_bytes()
        )
    assert not FrameworkDraft.objects.exists()
    d = upload(people, tree, "qd-990-cong-diem-sai")
    for call in (
        lambda: drafts.draft_row_save(actor=people["viewer"], draft=d, code="1.1", row={"max_points": "6"}),
        lambda: drafts.draft_activate(actor=people["other_reporter"], draft=d),
        lambda: drafts.draft_discard(actor=people["xa_reporter"], draft=d),
    ):
        with pytest.raises(NotAllowed):
            call()
    d.refresh_from_db()
    assert d.rows[1]["max_points"] == "4" and d.status == "review"
    assert list(selectors.visible_drafts(people["other_reporter"])) == []
    assert list(selectors.visible_drafts(people["viewer"])) == [d]
    # the unit's admin may
    drafts.draft_row_save(actor=people["admin"], draft=d, code="1.1", row={"max_points": "6"})


def test_bad_files_are_named_and_the_same_file_twice_points_to_the_first(people, tree):
    d = upload(people, tree, "qd-990-cong-diem-sai")
    with pytest.raises(drafts.DuplicateDraft) as exc:
        upload(people, tree, "qd-990-cong-diem-sai")
    assert exc.value.draft == d and "đã được tải lên" in exc.value.message
    for name, data, msg in [
        ("bang.xlsx", b"PK\x03\x04", "bang.xlsx: chỉ nhận tệp .docx, .doc, .pdf, .txt, .md."),
        ("rong.docx", b"", "rong.docx: tệp rỗng."),
        ("hong.docx", b"PK\x03\x04 not a zip", "hong.docx: tệp nén hỏng"),
        ("khong-co.txt", "Không có bảng nào ở đây.".encode(), "khong-co.txt: không tìm thấy bảng tiêu chí"),
    ]:
        with pytest.raises(ScoringError) as exc:
            drafts.draft_from_document(actor=people["root"], owner=tree["prov"], file_name=name, data=data)
        assert exc.value.message.startswith(msg), name
    assert FrameworkDraft.objects.count() == 1


def test_the_par_876_template_is_filled_then_activated_with_its_survey_split_and_classes(people, tree):
    root = people["root"]
    d = drafts.draft_from_template(actor=root, owner=tree["prov"], code="PAR-TINH")
    assert [r["code"] for r in d.rows] == [str(i) for i in range(1, 9)]
    check = drafts.draft_check(d)
    assert sum("thiếu điểm tối đa" in p for p in check.problems) == 8
    assert all(check.row_problems[str(i)] == ["chưa có điểm tối đa"] for i in range(1, 9))
    with pytest.raises(ScoringError):
        drafts.draft_activate(actor=root, draft=d)
    # the office fills the year's guidance: here each field gets one appraised criterion, and
    # field 8 also carries the 32 survey points
    points = {"1": "8", "2": "8", "3": "10", "4": "8", "5": "8", "6": "6", "7": "10", "8": "10"}
    for code, pts in points.items():
        d = drafts.draft_row_save(
            actor=root,
            draft=d,
            row={
                "code": f"{code}.1",
                "parent": code,
                "name": f"Tiêu chí {code}.1",
                "max_points": pts,
                "method": "manual",
            },
        )
    d = drafts.draft_row_save(
        actor=root,
        draft=d,
        row={
            "code": "8.2",
            "parent": "8",
            "name": "Mức độ hài lòng (điều tra)",
            "max_points": "32",
            "method": "survey",
        },
    )
    check = drafts.draft_check(d)
    assert check.ok, check.problems
    fw = drafts.draft_activate(actor=root, draft=d)
    assert fw.split == {"survey": "32", "appraisal": "68"}
    assert fw.classes == [["A", "90"], ["B", "80"], ["C", "70"]]
    assert [s["number"] for s in fw.references["successors"]] == ["892/QĐ-BNV", "1187/QĐ-BNV"]
    assert fw.criteria.get(code="8").max_points == 42 and fw.max_points == 100
