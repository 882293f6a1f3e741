"""The ``chitieu`` command: what batch users need, as thin wrappers over services.

Bad arguments and unreadable input exit with code 2 and a one-line message, never a traceback.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable, Sequence

from chitieu.core.errors import DomainError

EXIT_USAGE = 2


class CliError(Exception):
    """A one-line message for the user; exit code 2."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # one line, exit 2
        self.exit(EXIT_USAGE, f"{self.prog}: lỗi: {message}\n")


def _django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chitieu.config.settings")
    import django

    django.setup()


# --- commands that need no database -----------------------------------------------------------------
def cmd_period(args: argparse.Namespace) -> int:
    from chitieu.core.periods import CALENDAR, DECREE_09, PeriodError, parse

    try:
        p = parse(args.phrase)
    except PeriodError as exc:
        raise CliError(str(exc))
    cal, cut = p.calendar_window, p.window(CALENDAR if args.window == "calendar" else DECREE_09)
    if args.json:
        print(
            json.dumps(
                {
                    "id": p.id,
                    "label": p.label_vi,
                    "calendar": [cal.start.isoformat(), cal.end.isoformat()],
                    "cutoff": [cut.start.isoformat(), cut.end.isoformat()],
                },
                ensure_ascii=False,
            )
        )
    else:
        print(f"{p.id}\t{p.label_vi}")
        print(f"lịch (calendar):\t{cal.start:%d/%m/%Y} – {cal.end:%d/%m/%Y}")
        print(f"chốt số liệu (cut-off, NĐ 09/2019):\t{cut.start:%d/%m/%Y} – {cut.end:%d/%m/%Y}")
    return 0


def cmd_extract(args: argparse.Namespace) -> int:
    from chitieu.extraction import contract
    from chitieu.extraction.errors import ReadError
    from chitieu.extraction.pipeline import extract_path, to_contract

    try:
        x = extract_path(args.path)
    except ReadError as exc:
        raise CliError(exc.message)
    data = to_contract(x)
    if args.format == "json":
        contract.validate(data)
        print(json.dumps(data, ensure_ascii=False, indent=2))
    else:
        print(contract.as_table(data))
    return 0


def cmd_lint(args: argparse.Namespace) -> int:
    from chitieu.extraction.errors import ReadError
    from chitieu.extraction.pipeline import extract_path

    try:
        x = extract_path(args.path)
    except ReadError as exc:
        raise CliError(exc.message)
    for f in x.findings:
        print(f"{args.path}:{f.source_line or '-'}: [{f.code}] {f.message}")
    n = len(x.findings)
    print(f"{n} phát hiện (findings)" if n else "Không phát hiện sai sót (no findings)", file=sys.stderr)
    return 1 if n else 0


# --- commands that need the database ----------------------------------------------------------------
def cmd_demo(args: argparse.Namespace) -> int:
    _django()
    from django.core.management import call_command

    from chitieu.demo import DEMO_PASSWORD, load_demo

    call_command("migrate", verbosity=0, interactive=False)
    call_command("createcachetable", verbosity=0)
    load_demo(all_provinces=not args.small)
    if not args.quiet:
        print(
            f"Tài khoản mẫu: admin / {DEMO_PASSWORD}  (báo cáo: snv.baocao, duyệt: snv.duyet, xem: tinh.xem)"
        )
    return 0


def cmd_load_units(args: argparse.Namespace) -> int:
    _django()
    import vietnam_provinces as vp
    from rich.progress import Progress

    from chitieu.orgs.loaders import load_legacy_districts, load_vietnam_units

    only = {int(x) for x in args.province} if args.province else None
    with Progress(transient=True) as progress:
        task = progress.add_task("Nạp đơn vị hành chính", total=None)

        def step(done: int, total: int) -> None:
            progress.update(task, completed=done, total=total)

        counts = load_vietnam_units(provinces=only, legacy=not args.no_legacy, progress=step)
        old = None
        if args.old_districts:
            if args.no_legacy:
                raise CliError("--old-districts cần các tỉnh trước sắp xếp (bỏ --no-legacy)")
            old = load_legacy_districts(provinces=only or {int(p.code) for p in vp.Province.iter_all()})
    print(
        f"{counts['provinces']} tỉnh, thành phố; {counts['communes']} xã, phường, đặc khu; "
        f"{counts['legacy_provinces']} tỉnh trước 01/7/2025."
    )
    if old:
        print(f"Trước 01/7/2025: {old['districts']} huyện và {old['communes']} xã, phường, thị trấn.")
    return 0


def cmd_load_catalog(args: argparse.Namespace) -> int:
    _django()
    from pathlib import Path

    from chitieu.indicators.loaders import CATALOG, CatalogError, load_catalog

    try:
        n = load_catalog(Path(args.file) if args.file else CATALOG)
    except CatalogError as exc:
        raise CliError(str(exc))
    print(f"{n} chỉ tiêu trong danh mục.")
    return 0


def _user(username: str | None, *, required: bool):
    from django.contrib.auth import get_user_model

    if not username:
        if required:
            raise CliError("cần --user TÊN_ĐĂNG_NHẬP (số liệu được ghi nhận theo người nhập)")
        return None
    user = get_user_model().objects.filter(username=username, is_active=True).first()
    if user is None:
        raise CliError(f"không có người dùng '{username}'")
    return user


def _unit(code: str | None):
    from chitieu.orgs.models import Unit

    if not code:
        return None
    unit = Unit.objects.filter(code=code).first()
    if unit is None:
        raise CliError(f"không có đơn vị mã '{code}'")
    return unit


def _period_id(text: str) -> str:
    from chitieu.core.periods import PeriodError, parse

    try:
        return parse(text).id
    except PeriodError as exc:
        raise CliError(str(exc))


def cmd_values(args: argparse.Namespace) -> int:
    _django()
    from pathlib import Path

    from chitieu.orgs import permissions
    from chitieu.reporting import excel, export

    if args.action == "template":
        user = _user(args.user, required=False)
        unit = _unit(args.unit)
        if user is not None and not permissions.has(user, permissions.VIEW, unit):
            raise CliError(f"{user.username} không được xem số liệu của {unit.name}")
        data = excel.build_template(
            user if user is not None else _SuperActor(), unit, _period_id(args.period), subtree=args.all_units
        )
        Path(args.out).write_bytes(data)
        print(f"Đã ghi {args.out}")
        return 0
    if args.action == "import":
        user = _user(args.user, required=True)
        p = Path(args.file)
        if not p.is_file():
            raise CliError(f"{p}: không tìm thấy tệp")
        rep = excel.import_values(actor=user, data=p.read_bytes(), file_name=p.name, dry_run=args.dry_run)
        for e in rep.errors:
            print(e, file=sys.stderr)
        if rep.dry_run:
            state = "thử (không ghi)"
        else:  # all or nothing: one error and nothing was written
            state = "không ghi gì (sửa lỗi rồi tải lại)" if rep.errors else "đã ghi"
        print(
            f"{rep.rows} dòng; {rep.changed} thay đổi; {rep.unchanged} không đổi; {len(rep.errors)} lỗi; {state}"
        )
        return EXIT_USAGE if rep.errors else 0
    if args.action == "export":
        user = _user(args.user, required=False)
        rows = export.value_rows(user, _period_id(args.period), _unit(args.unit))
        if args.format == "csv":
            text = export.to_csv(rows)
            if args.out:
                Path(args.out).write_text(text, encoding="utf-8-sig")
            else:
                sys.stdout.write(text)
        else:
            if not args.out:
                raise CliError("--format xlsx cần --out TỆP.xlsx")
            Path(args.out).write_bytes(export.table_to_xlsx(export.COLUMNS, rows, "Số liệu"))
        return 0
    raise CliError(f"không rõ thao tác {args.action}")


class _SuperActor:
    """The operator at the server console, reading (never writing) without a user account."""

    is_authenticated = True
    is_active = True
    is_superuser = True
    pk = None


def cmd_token(args: argparse.Namespace) -> int:
    _django()
    from chitieu.api.services import token_issue

    user = _user(args.user, required=True)
    _, raw = token_issue(actor=None, user=user, name=args.name)
    print(raw)
    print(f"(khóa API của {user.username}; chỉ hiển thị một lần - hãy lưu lại)", file=sys.stderr)
    return 0


def cmd_reminders(args: argparse.Namespace) -> int:
    _django()
    from chitieu.analytics.jobs import schedule_next
    from chitieu.reporting.reminders import send_reminders

    if args.schedule:
        schedule_next()
        print("Đã lên lịch gửi nhắc hạn hằng ngày (07:00) cho tiến trình nền.")
        return 0
    counts = send_reminders()
    print(
        f"Nhắc hạn: {counts['upcoming']} sắp đến hạn, {counts['overdue']} quá hạn; "
        f"{counts['notifications']} thông báo, {counts['emails']} thư điện tử."
    )
    return 0


def cmd_worker(args: argparse.Namespace) -> int:
    _django()
    from django.core.management import call_command

    from chitieu.analytics.jobs import schedule_next

    schedule_next()
    call_command("db_worker", interval=args.interval)
    return 0


def cmd_analytics(args: argparse.Namespace) -> int:
    _django()
    from rich.progress import Progress

    from chitieu.analytics import refresh

    if args.action == "refresh":
        with Progress(transient=True) as progress:
            bars: dict = {}

            def step(what: str, done: int, total: int) -> None:
                label = {"facts": "Bảng phân tích (dòng)", "targets": "Đánh giá chỉ tiêu"}[what]
                if what not in bars:
                    bars[what] = progress.add_task(label, total=total or None)
                progress.update(bars[what], completed=done, total=total or None)

            if args.states_only:
                n = refresh.refresh_states(progress=step)
                print(f"Đã đánh giá lại {n} chỉ tiêu.")
            else:
                counts = refresh.refresh_all(progress=step)
                print(
                    f"Bảng phân tích: {counts['facts']} dòng; {counts['targets']} chỉ tiêu, "
                    f"{counts['states']} kết quả đánh giá."
                )
        return 0
    # cascade: the checks between plans, as lint does for one document (exit 1 on findings)
    from chitieu.analytics import cascade

    roots = cascade.plan_tree(_user(args.user, required=False) or _superuser())
    findings = cascade.all_findings(roots)
    if args.format == "json":
        print(
            json.dumps(
                [
                    {"plan": n.label, "code": f.code, "severity": f.severity, "message": f.message}
                    for n, f in findings
                ],
                ensure_ascii=False,
                indent=2,
            )
        )
    else:
        for n, f in findings:
            print(f"{n.label}: [{f.code}] {f.message}")
        print(f"{len(findings)} vấn đề." if findings else "Không phát hiện vấn đề nào.")
    return 1 if findings else 0


def cmd_report(args: argparse.Namespace) -> int:
    _django()
    import datetime as dt
    from pathlib import Path

    from chitieu.documents.content import ReportError
    from chitieu.documents.models import ReportKind
    from chitieu.documents.services import file_bytes, report_generate
    from chitieu.orgs.permissions import NotAllowed

    code = args.province or args.unit
    if not code:
        raise CliError("cần --unit MÃ_ĐƠN_VỊ (báo cáo của đơn vị) hoặc --province MÃ (báo cáo tổng hợp)")
    unit = _unit(code)
    out = Path(args.out)
    if out.suffix.lower() != ".docx":
        raise CliError(f"{out}: tệp kết quả phải có đuôi .docx")
    if not out.parent.exists():
        raise CliError(f"{out.parent}: thư mục không tồn tại")
    issued = None
    if args.date:
        try:
            issued = dt.date.fromisoformat(args.date)
        except ValueError:
            raise CliError(f"ngày '{args.date}' không hợp lệ (YYYY-MM-DD)")
    user = _user(args.user, required=False) or _superuser()
    try:
        result = report_generate(
            actor=user,
            unit=unit,
            period=args.period,
            kind=ReportKind.AGGREGATE if args.province else ReportKind.UNIT,
            number=args.number,
            issued_on=issued,
            pdf=bool(args.pdf),
        )
    except (ReportError, NotAllowed) as exc:
        raise CliError(str(exc.args[0] if exc.args else exc))
    rep = result.report
    out.write_bytes(file_bytes(rep.docx))
    written = [str(out)]
    if args.xlsx:
        Path(args.xlsx).write_bytes(file_bytes(rep.xlsx))
        written.append(args.xlsx)
    if args.pdf:
        if rep.pdf:
            Path(args.pdf).write_bytes(file_bytes(rep.pdf))
            written.append(args.pdf)
        for w in result.warnings:
            print(f"chitieu: cảnh báo: {w}", file=sys.stderr)
    print(f"{rep.title} — {rep.seconds:.2f} giây; đã ghi: {', '.join(written)}")
    return 0


def cmd_dossiers(args: argparse.Namespace) -> int:
    _django()
    from pathlib import Path

    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from chitieu.dossiers import importing
    from chitieu.dossiers.models import MappingProfile
    from chitieu.dossiers.services import ComputeError, dossiers_compute
    from chitieu.orgs.permissions import NotAllowed

    user = _user(args.user, required=False) or _superuser()
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    if args.action == "import":
        path = Path(args.file)
        if not path.is_file():
            raise CliError(f"{path}: không có tệp")
        profile = None
        if args.mapping != "auto":
            profile = MappingProfile.objects.filter(name=args.mapping).first()
            if profile is None:
                raise CliError(f"không có mẫu ghép cột '{args.mapping}'")
        try:
            with Progress(*columns, transient=True) as bar:
                task = bar.add_task("Nhập hồ sơ", total=None)

                def step(phase: str, done: int, total: int) -> None:
                    bar.update(task, description=phase, completed=done, total=total or None)

                imp = importing.import_create(
                    actor=user,
                    path=path,
                    file_name=path.name,
                    keep_copy=False,
                    profile=profile,
                    on_error=args.on_error,
                )
                missing = importing.check_mapping(imp.mapping, imp.headers)
                if missing:
                    raise CliError(f"{path.name}: " + " ".join(missing) + " Dùng --mapping TÊN_MẪU.")
                if args.save_mapping:
                    imp = importing.import_set_mapping(
                        actor=user, imp=imp, mapping=imp.mapping, save_as=args.save_mapping
                    )
                if args.value:
                    imp = importing.import_set_values(actor=user, imp=imp, values=_value_choices(args.value))
                imp = importing.import_run(actor=user, imp=imp, move_units=args.move_units, progress=step)
        except (importing.DossierImportError, NotAllowed) as exc:
            raise CliError(str(exc.args[0] if exc.args else exc))
        conflicts = f" ({imp.rows_conflict:,} xung đột đơn vị)" if imp.rows_conflict else ""
        print(
            f"{path.name}: {imp.rows_total:,} dòng, {imp.rows_good:,} đúng, {imp.rows_bad:,} lỗi{conflicts}; "
            f"{imp.get_status_display().lower()} ({imp.seconds:.1f} giây). {imp.message}"
        )
        report = imp.report or {}
        skipped = [r for r in report.get("layout_rows", []) if r[1] != "header"]
        if skipped:
            shown = "; ".join(f"dòng {r[0]}: {r[2]}" for r in skipped[:8])
            more = f" và {len(skipped) - 8} dòng khác" if len(skipped) > 8 else ""
            print(f"  bỏ qua {imp.rows_layout:,} dòng không phải hồ sơ ({shown}{more})")
        for u in report.get("unknown", []):
            print(
                f"  chưa hiểu: cột '{u['column']}', giá trị \"{u['value']}\" ở {u['rows']:,} dòng "
                f"(từ dòng {u['first_row']:,}); chỉ rõ bằng --value {u['field']}:'{u['value']}'=NGHĨA "
                f"({', '.join(u['choices']) or 'giá trị'})",
                file=sys.stderr,
            )
        for row, reason in imp.errors[: args.show_errors]:
            print(f"  dòng {row}: {reason}", file=sys.stderr)
        return 0 if imp.status == "done" else 1
    try:
        run = dossiers_compute(actor=user, periods=args.periods, window=args.window)
    except (ComputeError, NotAllowed) as exc:
        raise CliError(str(exc.args[0] if exc.args else exc))
    print(
        f"Kỳ {', '.join(run.periods)}: {run.values_written} số liệu ghi mới hoặc thay đổi, "
        f"{run.values_unchanged} không đổi, {len(run.values_locked)} bỏ qua vì báo cáo đã khóa "
        f"({run.seconds:.1f} giây, lần tính #{run.pk})."
    )
    return 0


def _value_choices(items: list[str]) -> dict[str, dict[str, str]]:
    """--value FIELD:SPELLING=MEANING (e.g. channel:'Dịch vụ BCCI'=postal) -> {field: {spelling: meaning}}."""
    out: dict[str, dict[str, str]] = {}
    for item in items:
        field, sep, rest = item.partition(":")
        spelling, eq, meaning = rest.rpartition("=")
        if not (sep and eq and field.strip() and spelling.strip()):
            raise CliError(
                f"--value '{item}': cần dạng TRƯỜNG:CÁCH_VIẾT=NGHĨA, ví dụ channel:Dịch vụ BCCI=postal"
            )
        out.setdefault(field.strip(), {})[spelling.strip().strip("'\"")] = meaning.strip()
    return out


def cmd_gen_dossiers(args: argparse.Namespace) -> int:
    from pathlib import Path

    if args.rows < 1 or args.units < 1:
        raise CliError("--rows và --units phải lớn hơn 0")
    out = Path(args.out)
    if not out.parent.exists():
        raise CliError(f"{out.parent}: thư mục không tồn tại")
    codes = [f"DV{i:05d}" for i in range(1, args.units + 1)]
    if not args.synthetic_units:
        _django()
        from chitieu.orgs.models import Unit

        found = list(
            Unit.objects.filter(valid_to__isnull=True, kind__in=["commune", "department"])
            .order_by("path")
            .values_list("code", flat=True)[: args.units]
        )
        if found:
            codes = found
    from rich.progress import Progress

    from chitieu.dossiers.generator import generate

    with Progress(transient=True) as bar:
        task = bar.add_task("Sinh hồ sơ", total=args.rows)
        n = generate(
            out,
            units=codes,
            rows=args.rows,
            year=args.year,
            seed=args.seed,
            style=args.style,
            progress=lambda done, total: bar.update(task, completed=done),
        )
    print(f"{out}: {n:,} hồ sơ của {len(codes)} đơn vị, năm {args.year}.")
    return 0


def cmd_units(args: argparse.Namespace) -> int:
    """The office's unit tree from a CSV/XLSX file (all or nothing), or the tree as CSV."""
    _django()
    from pathlib import Path

    from chitieu.core.errors import Invalid
    from chitieu.orgs import tree

    user = _user(args.user, required=False) or _superuser()
    if args.action == "import":
        path = Path(args.file)
        if not path.is_file():
            raise CliError(f"{path}: không có tệp")
        try:
            result = tree.unit_tree_import(
                actor=user, data=path.read_bytes(), file_name=path.name, dry_run=args.dry_run
            )
        except Invalid as exc:
            for p in exc.all_problems()[:200]:
                print(f"{path.name}: {p.message}", file=sys.stderr)
            raise CliError(f"{path.name}: {len(exc.all_problems())} lỗi, không ghi gì")
        verb = "kiểm tra (chưa ghi)" if args.dry_run else "đã nhập"
        print(
            f"{path.name}: {verb} {result.created} đơn vị mới, {result.updated} cập nhật, "
            f"{result.successions} quan hệ kế thừa"
        )
        return 0
    root = _unit(args.unit)
    if not args.out:
        tree.tree_export(actor=user, root=root, out=sys.stdout)
        return 0
    with open(args.out, "w", encoding="utf-8-sig", newline="") as out:
        n = tree.tree_export(actor=user, root=root, out=out)
    print(f"{args.out}: {n} đơn vị")
    return 0


def cmd_backup(args: argparse.Namespace) -> int:
    _django()
    from pathlib import Path

    from chitieu.ops.backup import BackupError, backup

    out = Path(args.file)
    if not out.parent.exists():
        raise CliError(f"{out.parent}: thư mục không tồn tại")
    try:
        m = backup(out, media=not args.no_media)
    except BackupError as exc:
        raise CliError(str(exc))
    print(f"{out}: {len(m['tables'])} bảng, {sum(m['tables'].values())} dòng ({m['engine']}).")
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    _django()
    from pathlib import Path

    from chitieu.ops.backup import BackupError, restore

    src = Path(args.file)
    if not src.is_file():
        raise CliError(f"{src}: không có tệp")
    try:
        m = restore(src, force=args.force)
    except BackupError as exc:
        raise CliError(str(exc))
    print(
        f"Đã khôi phục {len(m['tables'])} bảng, {sum(m['tables'].values())} dòng; số dòng khớp bản sao lưu."
    )
    return 0


def _superuser():
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.filter(is_superuser=True, is_active=True).order_by("pk").first()
    if user is None:
        raise CliError("chưa có tài khoản quản trị; dùng --user để chọn người xem")
    return user


def cmd_serve(args: argparse.Namespace) -> int:
    _django()
    from django.core.management import call_command

    call_command("runserver", f"{args.host}:{args.port}", use_reloader=False)
    return 0


def cmd_manage(args: argparse.Namespace) -> int:
    _django()
    from django.core.management import execute_from_command_line

    execute_from_command_line(["chitieu manage", *args.rest])
    return 0


COMMANDS: dict[str, tuple[str, Callable[[argparse.Namespace], int]]] = {}


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="chitieu", description="chitieu — theo dõi chỉ tiêu, kế hoạch và báo cáo")
    sub = parser.add_subparsers(dest="command", metavar="LỆNH", parser_class=_Parser)

    p = sub.add_parser(
        "period", help="hiểu một kỳ báo cáo: mã kỳ, thời gian theo lịch và thời gian chốt số liệu"
    )
    p.add_argument("phrase", help='ví dụ "Quý I năm 2024", "6 tháng đầu năm 2024", "2024Q1"')
    p.add_argument("--window", choices=["cutoff", "calendar"], default="cutoff")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_period)

    p = sub.add_parser(
        "extract", help="đọc kế hoạch/báo cáo (txt, md, docx, pdf, doc): chỉ tiêu, nhiệm vụ, căn cứ, kết quả"
    )
    p.add_argument("path")
    p.add_argument("--format", choices=["json", "table"], default="table")
    p.set_defaults(func=cmd_extract)

    p = sub.add_parser(
        "lint", help="soát sai sót trong báo cáo/kế hoạch (tỷ lệ sai, số liệu không khớp, ngày dẫn chiếu)"
    )
    p.add_argument("path")
    p.set_defaults(func=cmd_lint)

    p = sub.add_parser("values", help="số liệu: biểu mẫu Excel, nhập từ Excel, xuất CSV/XLSX")
    vs = p.add_subparsers(dest="action", metavar="THAO_TÁC", parser_class=_Parser, required=True)
    t = vs.add_parser("template", help="tải biểu mẫu Excel của một đơn vị và một kỳ")
    t.add_argument("--unit", required=True)
    t.add_argument("--period", required=True)
    t.add_argument("--out", required=True)
    t.add_argument("--all-units", action="store_true", help="mọi đơn vị cấp dưới của --unit")
    t.add_argument("--user")
    i = vs.add_parser("import", help="nhập số liệu từ biểu mẫu Excel đã điền (tất cả hoặc không)")
    i.add_argument("file")
    i.add_argument("--dry-run", action="store_true")
    i.add_argument("--user", default=os.environ.get("CHITIEU_USER"))
    e = vs.add_parser("export", help="xuất số liệu kèm trạng thái và nguồn gốc")
    e.add_argument("--period", required=True)
    e.add_argument("--unit")
    e.add_argument("--format", choices=["csv", "xlsx"], default="csv")
    e.add_argument("--out")
    e.add_argument("--user")
    p.set_defaults(func=cmd_values)

    p = sub.add_parser("token", help="tạo khóa API cho một người dùng")
    p.add_argument("--user", required=True)
    p.add_argument("--name", default="cli")
    p.set_defaults(func=cmd_token)

    p = sub.add_parser(
        "reminders", help="gửi nhắc hạn, quá hạn ngay bây giờ (hoặc --schedule: lên lịch hằng ngày)"
    )
    p.add_argument("--schedule", action="store_true")
    p.set_defaults(func=cmd_reminders)

    p = sub.add_parser("worker", help="tiến trình nền: chạy các tác vụ (nhắc hạn hằng ngày)")
    p.add_argument("--interval", type=float, default=5.0)
    p.set_defaults(func=cmd_worker)

    p = sub.add_parser("demo", help="tạo cơ sở dữ liệu và nạp dữ liệu mẫu")
    p.add_argument("--small", action="store_true", help="chỉ nạp một tỉnh")
    p.add_argument("--quiet", action="store_true")
    p.set_defaults(func=cmd_demo)

    p = sub.add_parser("load-units", help="nạp 34 tỉnh, thành phố và 3.321 xã, phường, đặc khu")
    p.add_argument("--province", action="append", help="mã tỉnh (có thể lặp lại)")
    p.add_argument("--no-legacy", action="store_true", help="không nạp 63 tỉnh trước sắp xếp")
    p.add_argument(
        "--old-districts",
        action="store_true",
        help="nạp thêm huyện và xã, phường trước 01/07/2025 (nối với phường, xã kế thừa)",
    )
    p.set_defaults(func=cmd_load_units)

    p = sub.add_parser("load-catalog", help="nạp danh mục chỉ tiêu (YAML)")
    p.add_argument("file", nargs="?")
    p.set_defaults(func=cmd_load_catalog)

    p = sub.add_parser("serve", help="chạy máy chủ web (phát triển, demo)")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
    p.set_defaults(func=cmd_serve)

    p = sub.add_parser("analytics", help="bảng phân tích: làm mới; kiểm tra phân cấp kế hoạch")
    p.add_argument("action", choices=["refresh", "cascade"])
    p.add_argument("--states-only", action="store_true", help="chỉ đánh giá lại chỉ tiêu (như chạy hằng đêm)")
    p.add_argument("--user", help="người xem (cascade; mặc định: quản trị hệ thống)")
    p.add_argument("--format", choices=["table", "json"], default="table")
    p.set_defaults(func=cmd_analytics)

    p = sub.add_parser("report", help="lập văn bản báo cáo (DOCX theo Nghị định 30, phụ lục XLSX, PDF)")
    p.add_argument("--unit", help="mã đơn vị (báo cáo của đơn vị)")
    p.add_argument("--province", help="mã tỉnh hoặc đơn vị (báo cáo tổng hợp mọi đơn vị)")
    p.add_argument("--period", required=True, help="kỳ: 2024Q1, 'Quý I năm 2024', ...")
    p.add_argument("--out", required=True, help="tệp .docx")
    p.add_argument("--xlsx", help="ghi thêm phụ lục số liệu .xlsx")
    p.add_argument("--pdf", help="ghi thêm bản .pdf (cần LibreOffice)")
    p.add_argument("--number", type=int, help="số văn bản")
    p.add_argument("--date", help="ngày ban hành YYYY-MM-DD (mặc định hôm nay)")
    p.add_argument("--user", help="người lập (mặc định: quản trị hệ thống)")
    p.set_defaults(func=cmd_report)

    p = sub.add_parser("dossiers", help="hồ sơ một cửa: nhập tệp xuất, tính chỉ tiêu dịch vụ công")
    ds = p.add_subparsers(dest="action", metavar="VIỆC", parser_class=_Parser, required=True)
    i = ds.add_parser("import", help="nhập tệp CSV/XLSX/JSON xuất từ hệ thống một cửa")
    i.add_argument("file")
    i.add_argument("--mapping", default="auto", help="auto (tự ghép cột) hoặc tên mẫu ghép cột đã lưu")
    i.add_argument(
        "--on-error", choices=["skip", "abort"], default="skip", help="dòng lỗi: bỏ qua hoặc không nhập gì"
    )
    i.add_argument("--show-errors", type=int, default=20, help="số dòng lỗi in ra")
    i.add_argument(
        "--value",
        action="append",
        default=[],
        metavar="TRƯỜNG:CÁCH_VIẾT=NGHĨA",
        help="nghĩa của một cách viết chưa hiểu, ví dụ channel:'Dịch vụ BCCI'=postal (lặp lại được)",
    )
    i.add_argument("--save-mapping", metavar="TÊN", help="lưu cách ghép cột và cách hiểu giá trị thành mẫu")
    i.add_argument(
        "--move-units",
        action="store_true",
        help="hồ sơ đã có trong kho thuộc đơn vị khác: chuyển sang đơn vị ghi trong tệp (cần quyền ở cả hai đơn vị)",
    )
    i.add_argument("--user")
    c = ds.add_parser("compute", help="tính chỉ tiêu từ hồ sơ cho các kỳ, ghi thành số liệu")
    c.add_argument("periods", nargs="+", help="kỳ: 2024Q1 2024Q2 ...")
    c.add_argument(
        "--window", choices=["cutoff", "calendar"], default="cutoff", help="thời gian chốt số liệu"
    )
    c.add_argument("--user")
    p.set_defaults(func=cmd_dossiers)

    p = sub.add_parser("gen-dossiers", help="sinh tệp hồ sơ giả lập (kiểm thử, demo, đo hiệu năng)")
    p.add_argument("--units", type=int, default=50)
    p.add_argument("--rows", type=int, default=10000)
    p.add_argument("--year", type=int, default=2026)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--style", choices=["a", "b"], default="a", help="kiểu tiêu đề cột (hai tỉnh khác nhau)")
    p.add_argument("--out", default="ho-so.csv")
    p.add_argument("--synthetic-units", action="store_true", help="mã đơn vị giả (không cần cơ sở dữ liệu)")
    p.set_defaults(func=cmd_gen_dossiers)

    p = sub.add_parser("units", help="cây đơn vị của cơ quan: nhập từ tệp CSV/XLSX, xuất ra CSV")
    us = p.add_subparsers(dest="action", metavar="VIỆC", parser_class=_Parser, required=True)
    i = us.add_parser("import", help="nhập cây đơn vị (mã, tên, loại, cấp trên, tên gọi khác, kế thừa...)")
    i.add_argument("file")
    i.add_argument("--dry-run", action="store_true", help="chỉ kiểm tra, không ghi")
    i.add_argument("--user")
    e = us.add_parser("export", help="xuất cây đơn vị ra CSV (cùng các cột nhập được)")
    e.add_argument("--unit", help="mã đơn vị gốc (mặc định: mọi đơn vị được xem)")
    e.add_argument("--out")
    e.add_argument("--user")
    p.set_defaults(func=cmd_units)

    p = sub.add_parser("backup", help="sao lưu cơ sở dữ liệu và tệp (minh chứng, báo cáo, kho hồ sơ)")
    p.add_argument("file", help="tệp .tar.gz")
    p.add_argument("--no-media", action="store_true", help="không kèm tệp")
    p.set_defaults(func=cmd_backup)

    p = sub.add_parser("restore", help="khôi phục từ tệp sao lưu vào cơ sở dữ liệu trống")
    p.add_argument("file")
    p.add_argument("--force", action="store_true", help="ghi đè cơ sở dữ liệu và tệp đang có")
    p.set_defaults(func=cmd_restore)

    p = sub.add_parser("manage", help="lệnh quản trị Django (migrate, createsuperuser, ...)")
    p.add_argument("rest", nargs=argparse.REMAINDER)
    p.set_defaults(func=cmd_manage)

    for name, (help_text, func) in COMMANDS.items():
        p = sub.add_parser(name, help=help_text)
        p.set_defaults(func=func)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return EXIT_USAGE
    try:
        return int(args.func(args) or 0)
    except (CliError, DomainError) as exc:
        print(f"chitieu: lỗi: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("chitieu: đã dừng.", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
