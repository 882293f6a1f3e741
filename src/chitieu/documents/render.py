"""Render a report: DOCX through docxtpl, the XLSX appendix through openpyxl, PDF through
LibreOffice when it is installed. Then the extraction lint reads the finished DOCX back: a report
we generate never carries a percent that does not follow from its fraction."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from docxtpl import DocxTemplate
from jinja2 import TemplateError
from jinja2.exceptions import SecurityError
from jinja2.sandbox import ImmutableSandboxedEnvironment

from chitieu.core import sheets
from chitieu.documents.content import Content, ReportError
from chitieu.documents.template import default_template_bytes

# lint codes that concern the report's own figures (the others check citations of plans)
FIGURE_CODES = {
    "percent-mismatch",
    "numerator-exceeds-denominator",
    "parts-exceed-total",
    "parts-below-total",
}


# what one rendering of an office's template may produce: items iterated through range(), and the
# length of a string or list built by * (a template is data, not a program that may run for hours)
RANGE_BUDGET = 20_000
MAX_PRODUCT = 100_000


class _ReportSandbox(ImmutableSandboxedEnvironment):
    """Jinja for uploaded templates: no attribute starting with "_" (so no ``__globals__``, no
    ``__class__.__mro__``), no mutation of the report's data, ranges and products bounded. A payload
    such as ``{{ cycler.__init__.__globals__.os.getpid() }}`` raises instead of running."""

    intercepted_binops = frozenset({"*", "**"})

    def __init__(self) -> None:
        super().__init__(autoescape=True)
        self._range_left = RANGE_BUDGET
        self.globals["range"] = self._range

    def _range(self, *args: int) -> range:
        r = range(*args)
        self._range_left -= len(r)
        if self._range_left < 0:
            raise SecurityError(f"vòng lặp quá dài (tối đa {RANGE_BUDGET} lượt trong một mẫu)")
        return r

    def unsafe_undefined(self, obj, attribute):
        # the stock sandbox answers "undefined" (an empty string in the report); refuse loudly
        raise SecurityError(f"thuộc tính '{attribute}' không được dùng trong mẫu")

    def call_binop(self, context, operator, left, right):
        if operator == "**":
            if isinstance(right, int | float) and abs(right) > 64:
                raise SecurityError("lũy thừa quá lớn")
            return left**right
        for seq, n in ((left, right), (right, left)):
            if isinstance(seq, str | list | tuple) and isinstance(n, int) and len(seq) * n > MAX_PRODUCT:
                raise SecurityError("chuỗi quá dài")
        return left * right


def render_docx(content: Content, template: bytes | None = None, *, aggregate: bool = False) -> bytes:
    raw = template if template is not None else default_template_bytes(aggregate)
    if template is not None:
        from chitieu.extraction.readers import ReadError, check_zip

        try:
            check_zip(raw, "mẫu báo cáo")
        except ReadError as exc:
            raise ReportError(str(exc))
    try:
        tpl = DocxTemplate(io.BytesIO(raw))
        tpl.render(content.context(), jinja_env=_ReportSandbox(), autoescape=True)
    except SecurityError as exc:
        raise ReportError(
            f"Mẫu báo cáo có thẻ không được phép ({exc}); mẫu chỉ được hiển thị dữ liệu."
        ) from exc
    except TemplateError as exc:
        raise ReportError(f"Mẫu báo cáo có thẻ không hợp lệ: {exc}") from exc
    except Exception as exc:  # a corrupt or non-DOCX template
        raise ReportError(f"Không đọc được mẫu báo cáo (DOCX): {exc.__class__.__name__}") from exc
    buf = io.BytesIO()
    tpl.save(buf)
    return buf.getvalue()


def check_template(raw: bytes) -> None:
    """Render an uploaded template with sample content; raises ReportError naming the problem."""
    from chitieu.documents.content import Section

    sample = Content(
        parent_body="UBND TỈNH MẪU",
        agency="SỞ MẪU",
        number_line="Số: 01/BC-SM",
        date_line="Mẫu, ngày 01 tháng 01 năm 2026",
        kind_title="BÁO CÁO",
        title="Kết quả mẫu",
        sections=[Section("I. MỤC", ["Đoạn văn."])],
        signer_lines=["GIÁM ĐỐC"],
        signer_name="Nguyễn Văn A",
        recipients=["- Lưu: VT."],
        unit_rows=[
            {"stt": 1, "unit": "Xã A", "met": 1, "assigned": 2, "met_text": "1/2", "report": "Đúng hạn"}
        ],
    )
    render_docx(sample, raw)


def lint_docx(data: bytes, name: str = "bao-cao.docx") -> list[dict]:
    """The extraction lint on the rendered report: findings about its own figures."""
    from chitieu.extraction.pipeline import extract_bytes

    x = extract_bytes(data, name)
    return [
        {"code": f.code, "line": f.source_line, "message": f.message}
        for f in x.findings
        if f.code in FIGURE_CODES
    ]


def render_xlsx(content: Content, *, title: str) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    ws = wb.active
    ws.title = "Chỉ tiêu"
    sheets.append_row(ws, [title])
    ws["A1"].font = Font(bold=True, size=13)
    head = [
        "STT",
        "Kế hoạch",
        "Chỉ tiêu",
        "Mục tiêu",
        "Tử số",
        "Mẫu số",
        "Giá trị",
        "Tỷ lệ (%)",
        "Đánh giá",
        "Đơn vị có số liệu",
    ]
    sheets.append_row(ws, head)
    for c in ws[2]:
        c.font = Font(bold=True)
    for r in content.target_rows:
        rate = r["rate"]
        sheets.append_row(
            ws,
            [
                r["stt"],
                r["plan"],
                r["target"],
                r["goal"],
                _num(r["numerator"]),
                _num(r["denominator"]),
                _num(r["value"]),
                None if rate is None else float(rate),
                r["status"],
                r["reporting"],
            ],
        )
    for row in ws.iter_rows(min_row=3, min_col=8, max_col=8):
        for c in row:
            c.number_format = "0.00"
    for i, w in enumerate([6, 16, 60, 16, 12, 12, 10, 10, 18, 14], 1):
        ws.column_dimensions[get_column_letter(i)].width = w
    for row in ws.iter_rows(min_row=3, min_col=3, max_col=3):
        for c in row:
            c.alignment = Alignment(wrap_text=True, vertical="top")
    if content.unit_rows:
        wu = wb.create_sheet("Theo đơn vị")
        sheets.append_row(wu, ["STT", "Đơn vị", "Chỉ tiêu đạt", "Chỉ tiêu được giao", "Báo cáo kỳ"])
        for c in wu[1]:
            c.font = Font(bold=True)
        for r in content.unit_rows:
            sheets.append_row(wu, [r["stt"], r["unit"], r["met"], r["assigned"], r["report"]])
        wu.column_dimensions["B"].width = 50
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _num(d):
    if d is None:
        return None
    return int(d) if d == d.to_integral_value() else float(d)


class PdfUnavailable(ReportError):
    status = 503


def soffice() -> str | None:
    return os.environ.get("CHITIEU_SOFFICE") or shutil.which("soffice") or shutil.which("libreoffice")


def to_pdf(docx: bytes, *, timeout: int = 120) -> bytes:
    """DOCX -> PDF with LibreOffice (headless, its own profile so runs do not collide)."""
    exe = soffice()
    if not exe:
        raise PdfUnavailable(
            "Máy chủ chưa cài LibreOffice nên chưa tạo được bản PDF; hãy tải bản DOCX "
            "(quản trị viên: cài gói libreoffice-writer)."
        )
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "bao-cao.docx"
        src.write_bytes(docx)
        profile = Path(tmp) / "profile"
        try:
            proc = subprocess.run(
                [
                    exe,
                    f"-env:UserInstallation=file://{profile}",
                    "--headless",
                    "--convert-to",
                    "pdf",
                    "--outdir",
                    tmp,
                    str(src),
                ],
                capture_output=True,
                timeout=timeout,
            )
        except subprocess.TimeoutExpired:
            raise PdfUnavailable(f"LibreOffice không chuyển xong sang PDF sau {timeout} giây.")
        out = Path(tmp) / "bao-cao.pdf"
        if proc.returncode != 0 or not out.exists():
            raise PdfUnavailable("LibreOffice không chuyển được báo cáo sang PDF.")
        return out.read_bytes()
