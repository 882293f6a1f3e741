"""Readers: a file (text, DOCX, PDF, legacy DOC) becomes a list of raw lines with their source position.

A raw line is a paragraph (``cells is None``) or a table row (``cells`` = the row's cells, merged
cells given once, vertically merged continuation cells empty). ``source`` is the 1-based line number
for text input, the 1-based paragraph/table-row index for DOCX, and the 1-based text line for PDF.

The type of a file is read from its first bytes, not its name, so mislabelled files are handled.
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import tempfile
import time
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from chitieu.core import vntext
from chitieu.extraction.encoding import decode
from chitieu.extraction.errors import ReadError

MAX_BYTES = 50 * 1024 * 1024
MAX_ZIP_UNCOMPRESSED = 200 * 1024 * 1024
MAX_ZIP_ENTRIES = 5000
MAX_PDF_PAGES = 1000
MAX_PDF_SECONDS = 60  # a PDF that takes longer to read is refused (pathological content streams)


@dataclass
class RawLine:
    text: str
    source: int
    cells: list[str] | None = None
    heading: int | None = None  # markdown '#' depth or DOCX heading level
    bold: bool = False


@dataclass
class RawDocument:
    lines: list[RawLine]
    fmt: str
    encoding: str = ""
    name: str = ""
    meta: dict = field(default_factory=dict)

    def text(self) -> str:
        return "\n".join(
            "\t".join(line.cells) if line.cells is not None else line.text for line in self.lines
        )


# --- text -------------------------------------------------------------------------------------------
_HTML_TAG = re.compile(r"</?[a-zA-Z][a-zA-Z0-9]*(?:\s[^<>]*)?/?>")
_MD_EMPH = re.compile(r"(\*\*|__|\*(?=\S)|(?<=\S)\*)")
_MD_HEADING = re.compile(r"^(#{1,6})\s+")


def clean_inline(text: str) -> str:
    text = _HTML_TAG.sub("", text)
    text = text.replace("&nbsp;", " ").replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">")
    text = _MD_EMPH.sub("", text)
    text = text.replace("\u00a0", " ").replace("\u200b", "")
    return re.sub(r"[ \t\f\v]+", " ", text).strip()


def read_text(data: bytes, name: str = "tệp") -> RawDocument:
    text, enc = decode(data, name)
    lines: list[RawLine] = []
    for i, raw in enumerate(text.splitlines(), 1):
        if "\t" in raw and raw.strip():
            cells = [clean_inline(c) for c in raw.split("\t")]
            if all(re.fullmatch(r"[-:=| ]*", c) for c in cells):
                continue  # a text-table rule line ("---\t---")
            lines.append(RawLine(text=" ".join(c for c in cells if c), source=i, cells=cells))
            continue
        m = _MD_HEADING.match(raw)
        heading = len(m.group(1)) if m else None
        body = raw[m.end() :] if m else raw
        bold = bool(re.match(r"^\s*(\*\*|<b>)", body, re.I))
        # keep leading spaces of footnotes (page-bottom notes in text taken from PDFs)
        lead = re.match(r"^(\s{2,})\d{1,2}\s", body)
        cleaned = clean_inline(body)
        if lead and cleaned:
            cleaned = "  " + cleaned
        lines.append(RawLine(text=cleaned, source=i, heading=heading, bold=bold))
    return RawDocument(lines=lines, fmt="text", encoding=enc, name=name)


# --- DOCX -------------------------------------------------------------------------------------------
def check_zip(data: bytes, name: str) -> zipfile.ZipFile:
    """Open a zip container (DOCX, XLSX) after checking it is not a bomb: entry count, declared
    uncompressed size (Python's zipfile never inflates past the declared size), no password."""
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise ReadError(f"{name}: tệp nén hỏng hoặc bị cắt cụt (corrupt or truncated zip container)")
    infos = zf.infolist()
    if len(infos) > MAX_ZIP_ENTRIES:
        raise ReadError(
            f"{name}: quá nhiều thành phần trong tệp ({len(infos)}), nghi là tệp độc hại (zip bomb)"
        )
    total = sum(i.file_size for i in infos)
    if total > MAX_ZIP_UNCOMPRESSED:
        raise ReadError(
            f"{name}: dung lượng giải nén quá lớn ({total // 1024 // 1024} MB), nghi là tệp độc hại (zip bomb)"
        )
    for i in infos:
        if i.flag_bits & 0x1:
            raise ReadError(f"{name}: tệp có mật khẩu, hãy gỡ mật khẩu rồi tải lên lại (password-protected)")
    return zf


_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


class _Numbering:
    """Automatic list numbering of a DOCX (w:numPr), rendered as the text people see: "1.", "a)", "-"."""

    def __init__(self, doc) -> None:
        self.formats: dict[tuple[str, int], tuple[str, str]] = {}
        self.counters: dict[tuple[str, int], int] = {}
        try:
            part = doc.part.numbering_part
        except (NotImplementedError, KeyError, AttributeError):
            return
        root = part.element
        abstract = {}
        for an in root.findall(f"{_W}abstractNum"):
            levels = {}
            for lvl in an.findall(f"{_W}lvl"):
                ilvl = int(lvl.get(f"{_W}ilvl", "0"))
                fmt = lvl.find(f"{_W}numFmt")
                txt = lvl.find(f"{_W}lvlText")
                levels[ilvl] = (
                    fmt.get(f"{_W}val") if fmt is not None else "decimal",
                    txt.get(f"{_W}val") if txt is not None else "%1.",
                )
            abstract[an.get(f"{_W}abstractNumId")] = levels
        for num in root.findall(f"{_W}num"):
            ref = num.find(f"{_W}abstractNumId")
            if ref is None:
                continue
            for ilvl, spec in abstract.get(ref.get(f"{_W}val"), {}).items():
                self.formats[(num.get(f"{_W}numId"), ilvl)] = spec

    @staticmethod
    def _fmt(kind: str, n: int) -> str:
        if kind == "lowerLetter":
            return "abcdefghijklmnopqrstuvwxyz"[(n - 1) % 26]
        if kind == "upperLetter":
            return "ABCDEFGHIJKLMNOPQRSTUVWXYZ"[(n - 1) % 26]
        if kind in ("upperRoman", "lowerRoman"):
            vals = [(10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")]
            out, rest = "", n
            for v, s in vals:
                while rest >= v:
                    out += s
                    rest -= v
            return out if kind == "upperRoman" else out.lower()
        return str(n)

    def label(self, paragraph) -> str:
        ppr = paragraph._p.pPr
        if ppr is None or ppr.numPr is None:
            return ""
        num_id = ppr.numPr.numId.val if ppr.numPr.numId is not None else None
        ilvl = ppr.numPr.ilvl.val if ppr.numPr.ilvl is not None else 0
        if num_id is None or str(num_id) == "0":
            return ""
        key = (str(num_id), int(ilvl))
        kind, text = self.formats.get(key, ("bullet", "-"))
        if kind == "bullet" or kind == "none":
            return "-"
        self.counters[key] = self.counters.get(key, 0) + 1
        for nid, lvl in list(self.counters):
            if nid == key[0] and lvl > key[1]:
                del self.counters[(nid, lvl)]
        out = text
        for lvl in range(key[1] + 1):
            n = self.counters.get((key[0], lvl), 1)
            k = self.formats.get((key[0], lvl), ("decimal", ""))[0]
            out = out.replace(f"%{lvl + 1}", self._fmt(k, n))
        return out


def read_docx(data: bytes, name: str = "tệp") -> RawDocument:
    zf = check_zip(data, name)
    names = set(zf.namelist())
    if "word/document.xml" not in names:
        if "xl/workbook.xml" in names:
            raise ReadError(
                f"{name}: đây là bảng tính Excel, không phải văn bản Word (spreadsheet, not a document)"
            )
        raise ReadError(f"{name}: không phải tệp Word .docx (not a DOCX document)")
    try:
        import docx
        from docx.table import Table
        from docx.text.paragraph import Paragraph

        doc = docx.Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises many kinds on damaged parts
        raise ReadError(f"{name}: tệp Word hỏng, không đọc được ({type(exc).__name__})")
    numbering = _Numbering(doc)
    lines: list[RawLine] = []
    index = 0
    for child in doc.element.body.iterchildren():
        if child.tag == f"{_W}p":
            p = Paragraph(child, doc)
            index += 1
            text = vntext.nfc(p.text)
            label = numbering.label(p)
            if label and text.strip():
                text = f"{label} {text}"
            style = (p.style.name if p.style is not None else "") or ""
            m = re.match(r"Heading (\d)", style)
            runs = [r for r in p.runs if r.text.strip()]
            bold = bool(runs) and all(r.bold for r in runs)
            lines.append(
                RawLine(
                    text=clean_inline(text), source=index, heading=int(m.group(1)) if m else None, bold=bold
                )
            )
        elif child.tag == f"{_W}tbl":
            table = Table(child, doc)
            for row in table.rows:
                index += 1
                cells, seen = [], set()
                for cell in row.cells:
                    tc = cell._tc
                    if id(tc) in seen:
                        continue  # a horizontally merged cell is given once
                    seen.add(id(tc))
                    vmerge = tc.tcPr.vMerge if tc.tcPr is not None else None
                    if vmerge is not None and vmerge.val in (None, "continue"):
                        cells.append("")
                    else:
                        cells.append(clean_inline(vntext.nfc(" ".join(p.text for p in cell.paragraphs))))
                lines.append(RawLine(text=" ".join(c for c in cells if c), source=index, cells=cells))
    return RawDocument(lines=lines, fmt="docx", name=name)


# --- PDF --------------------------------------------------------------------------------------------
def read_pdf(data: bytes, name: str = "tệp", timeout_pages: int = MAX_PDF_PAGES) -> RawDocument:
    try:
        import pdfplumber
        from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
        from pdfminer.pdfparser import PDFSyntaxError
    except ImportError:  # pragma: no cover
        raise ReadError("thiếu thư viện pdfplumber")
    lines: list[RawLine] = []
    n = 0
    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            if len(pdf.pages) > timeout_pages:
                raise ReadError(f"{name}: tệp PDF quá dài ({len(pdf.pages)} trang, tối đa {timeout_pages})")
            started = time.monotonic()
            for page in pdf.pages:
                if time.monotonic() - started > MAX_PDF_SECONDS:
                    raise ReadError(
                        f"{name}: đọc tệp PDF quá lâu (quá {MAX_PDF_SECONDS} giây), nghi là tệp hỏng hoặc độc hại"
                    )
                text = page.extract_text(x_tolerance=1.5, y_tolerance=3) or ""
                page_lines = text.splitlines()
                # drop a page number alone on the first or last line
                if page_lines and re.fullmatch(r"\s*-?\s*\d{1,4}\s*-?\s*", page_lines[-1]):
                    page_lines = page_lines[:-1]
                if page_lines and re.fullmatch(r"\s*-?\s*\d{1,4}\s*-?\s*", page_lines[0]):
                    page_lines = page_lines[1:]
                for raw in page_lines:
                    n += 1
                    lines.append(RawLine(text=clean_inline(vntext.nfc(raw)), source=n))
    except ReadError:
        raise
    except (PDFPasswordIncorrect, PDFEncryptionError):
        raise ReadError(f"{name}: tệp PDF có mật khẩu, hãy gỡ mật khẩu rồi tải lên lại (password-protected)")
    except PDFSyntaxError:
        raise ReadError(f"{name}: tệp PDF hỏng hoặc bị cắt cụt (corrupt or truncated PDF)")
    except Exception as exc:
        inner = exc.args[0] if exc.args and isinstance(exc.args[0], BaseException) else exc
        if (
            isinstance(inner, PDFPasswordIncorrect | PDFEncryptionError)
            or "password" in repr(inner).lower()
            or "encrypt" in type(inner).__name__.lower()
        ):
            raise ReadError(
                f"{name}: tệp PDF có mật khẩu, hãy gỡ mật khẩu rồi tải lên lại (password-protected)"
            )
        if isinstance(inner, PDFSyntaxError):
            raise ReadError(f"{name}: tệp PDF hỏng hoặc bị cắt cụt (corrupt or truncated PDF)")
        if "password" in str(exc).lower() or "encrypt" in type(exc).__name__.lower():
            raise ReadError(
                f"{name}: tệp PDF có mật khẩu, hãy gỡ mật khẩu rồi tải lên lại (password-protected)"
            )
        raise ReadError(f"{name}: không đọc được tệp PDF ({type(exc).__name__})")
    if not any(line.text.strip() for line in lines):
        raise ReadError(
            f"{name}: PDF không có lớp chữ (bản quét?), hãy dùng bản có chữ hoặc nhận dạng OCR trước "
            "(scanned PDF without a text layer)"
        )
    return RawDocument(lines=lines, fmt="pdf", name=name)


# --- legacy DOC -------------------------------------------------------------------------------------
def read_doc(data: bytes, name: str = "tệp") -> RawDocument:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if not soffice:
        raise ReadError(
            f"{name}: tệp .doc (Word 97-2003) cần LibreOffice để chuyển đổi, máy chủ chưa cài; "
            "hãy lưu lại thành .docx (needs LibreOffice to convert .doc)"
        )
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "input.doc"
        src.write_bytes(data)
        try:
            subprocess.run(
                [
                    soffice,
                    "--headless",
                    "--norestore",
                    f"-env:UserInstallation=file://{tmp}/profile",
                    "--convert-to",
                    "docx",
                    "--outdir",
                    tmp,
                    str(src),
                ],
                check=True,
                capture_output=True,
                timeout=120,
            )
        except (subprocess.CalledProcessError, subprocess.TimeoutExpired):
            raise ReadError(f"{name}: LibreOffice không chuyển đổi được tệp .doc này (conversion failed)")
        out = Path(tmp) / "input.docx"
        if not out.exists():
            raise ReadError(f"{name}: LibreOffice không chuyển đổi được tệp .doc này (conversion failed)")
        doc = read_docx(out.read_bytes(), name)
    doc.fmt = "doc"
    return doc


def sniff(data: bytes) -> str:
    if data.startswith(b"%PDF"):
        return "pdf"
    if data.startswith(b"PK\x03\x04") or data.startswith(b"PK\x05\x06"):
        return "zip"
    if data.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "ole"
    if data[:5].lower().startswith(b"{\\rtf"):
        return "rtf"
    return "text"


def read_bytes(data: bytes, name: str = "tệp") -> RawDocument:
    if len(data) > MAX_BYTES:
        raise ReadError(
            f"{name}: tệp quá lớn ({len(data) // 1024 // 1024} MB, tối đa {MAX_BYTES // 1024 // 1024} MB)"
        )
    kind = sniff(data)
    if kind == "pdf":
        return read_pdf(data, name)
    if kind == "zip":
        return read_docx(data, name)
    if kind == "ole":
        if (
            b"W\x00o\x00r\x00d\x00D\x00o\x00c\x00u\x00m\x00e\x00n\x00t" not in data[:200000]
            and b"Microsoft Word" not in data[:200000]
        ):
            raise ReadError(f"{name}: tệp Office cũ nhưng không phải văn bản Word (not a Word .doc)")
        return read_doc(data, name)
    if kind == "rtf":
        raise ReadError(f"{name}: định dạng RTF chưa hỗ trợ, hãy lưu thành .docx (RTF not supported)")
    return read_text(data, name)


def read_path(path: str | Path) -> RawDocument:
    p = Path(path)
    try:
        if p.is_dir():
            raise ReadError(f"{p}: là thư mục, không phải tệp (is a directory)")
        size = p.stat().st_size
        if size > MAX_BYTES:
            raise ReadError(
                f"{p.name}: tệp quá lớn ({size // 1024 // 1024} MB, tối đa {MAX_BYTES // 1024 // 1024} MB)"
            )
        data = p.read_bytes()
    except FileNotFoundError:
        raise ReadError(f"{p}: không tìm thấy tệp (no such file)")
    except PermissionError:
        raise ReadError(f"{p}: không có quyền đọc tệp (permission denied)")
    except IsADirectoryError:
        raise ReadError(f"{p}: là thư mục, không phải tệp (is a directory)")
    return read_bytes(data, p.name)


_check_zip = check_zip  # the name earlier callers used
