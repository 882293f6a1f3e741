"""Hostile or odd input at the scoring doors: the decision reader never raises anything but a
ReadError naming the file; uploads of bombs and oversize tables are refused and write nothing."""

import io
import zipfile

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from chitieu.extraction.criteria import guess_method, read_decision
from chitieu.extraction.errors import ReadError


def zip_bomb(inner: str = "word/document.xml", megabytes: int = 260) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        with zf.open(inner, "w") as fh:
            block = b"\0" * (1 << 20)
            for _ in range(megabytes):
                fh.write(block)
    return buf.getvalue()


CELL = st.text(alphabet=st.sampled_from(list("0123456789.,:;%()-+ abcđĐIVXđiểmtrừ\n")), max_size=40)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.lists(CELL, min_size=1, max_size=6), min_size=0, max_size=12))
def test_any_table_reads_or_is_refused_by_name(rows):
    text = "STT\tTiêu chí\tĐiểm tối đa\tCách chấm\n" + "\n".join("\t".join(r) for r in rows)
    try:
        tree = read_decision(text.encode(), "bat-ky.txt")
    except ReadError as exc:
        assert exc.message.startswith("bat-ky.txt")
    else:
        codes = [r.code for r in tree.rows]
        assert len(codes) == len(set(codes))  # codes stay unique
        assert all(r.parent == "" or r.parent in codes for r in tree.rows)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300))
def test_any_wording_gives_a_method(text):
    assert guess_method(text, None).method in ("manual", "banded", "computed", "deduction", "yesno", "survey")


@pytest.mark.django_db
def test_decision_and_table_uploads_refuse_bombs_and_write_nothing(people, tree, small_framework):
    from chitieu.scoring import drafts, published
    from chitieu.scoring.errors import ScoringError
    from chitieu.scoring.models import FrameworkDraft, PublishedScore

    with pytest.raises(ScoringError, match="quyet-dinh.docx.*zip bomb"):
        drafts.draft_from_document(
            actor=people["root"], owner=tree["prov"], file_name="quyet-dinh.docx", data=zip_bomb()
        )
    with pytest.raises(ScoringError, match="tệp quá lớn"):
        drafts.draft_from_document(
            actor=people["root"],
            owner=tree["prov"],
            file_name="to.pdf",
            data=b"%PDF" + b"0" * (21 * 1024 * 1024),
        )
    with pytest.raises(ScoringError, match="cong-bo.xlsx.*zip bomb"):
        published.published_import(
            actor=people["root"],
            framework=small_framework,
            file_name="cong-bo.xlsx",
            data=zip_bomb("xl/sharedStrings.xml"),
        )
    with pytest.raises(ScoringError, match="cong-bo.csv: tệp quá lớn"):
        published.published_import(
            actor=people["root"],
            framework=small_framework,
            file_name="cong-bo.csv",
            data=b"a" * (6 * 1024 * 1024),
        )
    assert not FrameworkDraft.objects.exists() and not PublishedScore.objects.exists()
