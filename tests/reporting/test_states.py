"""The report's workflow is declared once: the buttons a page shows are exactly the actions the
services accept; evidence and the hand-written parts follow the same rule and leave a record."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from chitieu.audit.models import ChangeRecord
from chitieu.core.errors import Conflict
from chitieu.reporting import selectors, workflow
from chitieu.reporting.evidence import evidence_attach
from chitieu.reporting.models import SUBMISSION_FLOW, Evidence, Submission
from chitieu.reporting.services import value_save


@pytest.fixture
def sent(active_plan, tree, people, indicators):
    s = Submission.objects.get(plan=active_plan, unit=tree["dept"], period="2024Q1")
    value_save(
        actor=people["reporter"],
        indicator=indicators["online"],
        unit=tree["dept"],
        period="2024Q1",
        numerator=56,
        denominator=56,
    )
    value_save(
        actor=people["reporter"], indicator=indicators["count"], unit=tree["dept"], period="2024Q1", value=2
    )
    return s


def test_allowed_actions_follow_state_and_role(sent, people):
    s = sent
    assert selectors.allowed_actions(people["reporter"], s) == {"save", "attach", "submit"}
    assert selectors.allowed_actions(people["approver"], s) == set()
    workflow.submission_submit(actor=people["reporter"], submission=s)
    s.refresh_from_db()
    assert selectors.allowed_actions(people["reporter"], s) == set()
    assert selectors.allowed_actions(people["approver"], s) == {"approve", "return", "reopen"}
    workflow.submission_approve(actor=people["approver"], submission=s)
    s.refresh_from_db()
    assert selectors.allowed_actions(people["approver"], s) == {"reopen"}
    # every action a page can show is one the machine declares, and only from the states it names
    for t in SUBMISSION_FLOW.transitions:
        assert t.sources and t.target in {"draft", "submitted", "approved", "returned"}


def test_no_evidence_on_a_sent_report_and_a_failed_upload_leaves_no_file(sent, people, client, settings):
    workflow.submission_submit(actor=people["reporter"], submission=sent)
    sent.refresh_from_db()
    with pytest.raises(Conflict, match="không đính kèm thêm minh chứng"):
        evidence_attach(
            actor=people["reporter"], submission=sent, indicator=None, file_name="a.pdf", data=b"%PDF-1.4 x"
        )
    client.force_login(people["reporter"])
    r = client.post(
        f"/bao-cao/{sent.pk}/minh-chung/",
        {"file": SimpleUploadedFile("a.pdf", b"%PDF-1.4 x")},
        HTTP_REFERER=f"http://testserver/bao-cao/{sent.pk}/",
    )
    assert r.status_code == 302 and not Evidence.objects.exists()
    media = settings.MEDIA_ROOT
    assert not list(media.rglob("evidence/*/*/*")) if media.exists() else True


def test_a_renamed_file_is_refused_with_its_name(sent, people):
    from chitieu.core.errors import Invalid

    with pytest.raises(Invalid, match=r"^anh\.png: nội dung tệp không đúng định dạng \.png\.$"):
        evidence_attach(
            actor=people["reporter"], submission=sent, indicator=None, file_name="anh.png", data=b"%PDF-1.4 x"
        )


def test_hand_written_parts_are_recorded(sent, people):
    changed = workflow.submission_narrative_save(
        actor=people["reporter"], submission=sent, difficulties="Đường truyền chậm."
    )
    assert changed
    rec = ChangeRecord.objects.filter(object_type="reporting.submission", object_id=str(sent.pk)).latest("id")
    assert rec.before["difficulties"] == "" and rec.after["difficulties"] == "Đường truyền chậm."
    assert not workflow.submission_narrative_save(
        actor=people["reporter"], submission=sent, difficulties="Đường truyền chậm."
    )
    with pytest.raises(Exception, match="không có quyền"):
        workflow.submission_narrative_save(actor=people["other_reporter"], submission=sent, proposals="x")
