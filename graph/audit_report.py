"""Audit reports people open: CSV for Excel (UTF-8 with a BOM, Vietnamese headers) and XLSX workbooks."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable, Sequence
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from graph.audit import AuditReport
from graph.audit_indicators import AuditSummary, Rating
from graph.audit_rows import AuditRow, RowStatus
from graph.audit_summary import SummaryReport, UnitScore
from graph.models import Level

BOM = "\ufeff"  # Excel reads a CSV as UTF-8 only when it begins with one
CSV_MEDIA_TYPE = "text/csv; charset=utf-8"
XLSX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DATE_FORMAT = "dd/mm/yyyy"

STATE_LABELS = {
    RowStatus.implemented_on_time: "Đã thực hiện đúng hạn",
    RowStatus.implemented_late: "Đã thực hiện chậm hạn",
    RowStatus.implemented: "Đã thực hiện (không có hạn)",
    RowStatus.not_due: "Chưa đến hạn",
    RowStatus.overdue: "Quá hạn chưa thực hiện",
    RowStatus.missing: "Chưa thực hiện (không có hạn)",
}
# Fill colours of the state cells: greens for done, amber for late or soon, red for overdue, grey for no deadline.
STATE_COLOURS = {
    RowStatus.implemented_on_time: "C6EFCE",
    RowStatus.implemented_late: "FFEB9C",
    RowStatus.implemented: "E2EFDA",
    RowStatus.not_due: "DDEBF7",
    RowStatus.overdue: "FFC7CE",
    RowStatus.missing: "EDEDED",
}
RATING_LABELS = {Rating.green: "Xanh", Rating.amber: "Vàng", Rating.red: "Đỏ"}
RATING_COLOURS = {Rating.green: "C6EFCE", Rating.amber: "FFEB9C", Rating.red: "FFC7CE"}
LEVEL_LABELS = {
    Level.central: "Trung ương",
    Level.ministry: "Bộ, ngành",
    Level.province: "Tỉnh",
    Level.district: "Huyện",
    Level.commune: "Xã",
    Level.unit: "Đơn vị",
}

Column = tuple[str, Callable[[Any], object]]

ROW_COLUMNS: list[Column] = [
    ("Mã đơn vị", lambda r: r.organization.key),
    ("Tên đơn vị", lambda r: r.organization.name),
    ("Cấp", lambda r: LEVEL_LABELS[r.organization.level]),
    ("Tình trạng", lambda r: STATE_LABELS[r.status]),
    ("Mã tình trạng", lambda r: r.status.value),
    ("Hạn", lambda r: r.deadline),
    ("Ngày ban hành văn bản thực hiện", lambda r: r.implemented_on),
    ("Số ngày chậm", lambda r: r.delay_days),
    ("Số ngày còn lại", lambda r: r.days_left),
    ("Sắp đến hạn", lambda r: "Có" if r.due_soon else ""),
    ("Qua đơn vị tiền thân", lambda r: "Có" if r.via_predecessor else ""),
    ("Số ngày sau văn bản gốc", lambda r: r.days_after_source),
    ("Văn bản thực hiện", lambda r: "; ".join(d.symbol for d in r.documents)),
    ("Mã văn bản", lambda r: " ".join(d.key for d in r.documents)),
]
INDICATOR_COLUMNS: list[Column] = [
    ("Số phải thực hiện", lambda s: s.expected),
    ("Đúng hạn", lambda s: s.implemented_on_time),
    ("Chậm hạn", lambda s: s.implemented_late),
    ("Đã thực hiện (không có hạn)", lambda s: s.implemented),
    ("Chưa đến hạn", lambda s: s.not_due),
    ("Sắp đến hạn", lambda s: s.due_soon),
    ("Quá hạn", lambda s: s.overdue),
    ("Chưa thực hiện (không có hạn)", lambda s: s.missing),
    ("Tỷ lệ thiếu hụt (%)", lambda s: s.deficit_percent),
    ("Tỷ lệ đúng hạn (%)", lambda s: s.on_time_percent),
    ("Quá hạn trên 1 năm", lambda s: s.overdue_over_year),
    ("Tổng số ngày chậm", lambda s: s.delay_days),
    ("Tổng số tháng chậm", lambda s: s.delay_months_total),
    ("Số tháng chậm trung bình", lambda s: s.delay_months_mean),
    ("Xếp loại", lambda s: RATING_LABELS[s.rating] if s.rating else ""),
]
UNIT_COLUMNS: list[Column] = [
    ("Mã đơn vị", lambda u: u.organization.key),
    ("Tên đơn vị", lambda u: u.organization.name),
    *((header, lambda u, value=value: value(u.summary)) for header, value in INDICATOR_COLUMNS),
]


def report_filename(report: AuditReport, extension: str) -> str:
    """``audit-43-kl-tw-2019-province-2019-12-31.csv`` (keys are ASCII, so the name needs no encoding)."""
    scope = f"-{report.parent}" if report.parent else ""
    return f"audit-{report.document.key}-{report.level.value}{scope}-{report.as_of.isoformat()}.{extension}"


def summary_filename(report: SummaryReport, extension: str) -> str:
    return f"audit-summary-{report.level.value}-{report.as_of.isoformat()}.{extension}"


def _cell(value: object) -> object:
    if isinstance(value, dt.date):
        return value.isoformat()
    return "" if value is None else value


def _csv(columns: Sequence[Column], items: Sequence[Any]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([header for header, _ in columns])
    writer.writerows([_cell(value(item)) for _, value in columns] for item in items)
    return BOM + out.getvalue()


def report_csv(report: AuditReport) -> str:
    """The rows of a report as CSV: a BOM, a Vietnamese header line, one line per unit."""
    return _csv(ROW_COLUMNS, report.rows)


def summary_csv(report: SummaryReport) -> str:
    """The per-unit lines of a summary as CSV: a BOM, a Vietnamese header line, one line per unit."""
    return _csv(UNIT_COLUMNS, report.items)


def _table(
    sheet: Worksheet, columns: Sequence[Column], items: Sequence[Any], colour: tuple[str, Callable[[Any], str | None]]
) -> None:
    """A header row (bold, frozen), one row per item, dates as dates, the cell of the column ``colour`` names
    filled with the colour it gives."""
    coloured = [header for header, _ in columns].index(colour[0]) + 1
    sheet.append([header for header, _ in columns])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    for index, item in enumerate(items, start=2):
        sheet.append([value(item) for _, value in columns])
        fill = colour[1](item)
        for cell in sheet[index]:
            if isinstance(cell.value, dt.date):
                cell.number_format = DATE_FORMAT
            if fill and cell.column == coloured:
                cell.fill = PatternFill("solid", fgColor=fill)
    for number, (header, _) in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(number)].width = max(12, min(40, len(header) + 4))


def _indicators(sheet: Worksheet, heading: Sequence[tuple[str, object]], summary: AuditSummary) -> None:
    """Key/value lines: what the report is about, then each indicator, then the warnings."""
    for label, value in [*heading, *((header, value(summary)) for header, value in INDICATOR_COLUMNS)]:
        sheet.append([label, value])
        if isinstance(value, dt.date):
            sheet.cell(sheet.max_row, 2).number_format = DATE_FORMAT
    if summary.rating:
        sheet.cell(sheet.max_row, 2).fill = PatternFill("solid", fgColor=RATING_COLOURS[summary.rating])
    for warning in summary.warnings:
        sheet.append(["Cảnh báo", warning.message, " ".join(warning.keys)])
    sheet.column_dimensions["A"].width = 34
    sheet.column_dimensions["B"].width = 40


def _saved(workbook: Workbook) -> bytes:
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def report_xlsx(report: AuditReport) -> bytes:
    """A workbook: "Tổng hợp" (the document, date and indicators) and "Chi tiết" (one row per unit)."""
    workbook = Workbook()
    summary = workbook.active
    assert summary is not None  # a new workbook has one sheet
    summary.title = "Tổng hợp"
    heading = [
        ("Văn bản", report.document.symbol or report.document.key),
        ("Trích yếu", report.document.title or ""),
        ("Ngày văn bản", report.document.date),
        ("Cấp", LEVEL_LABELS[report.level]),
        ("Ngày đánh giá", report.as_of),
    ]
    _indicators(summary, heading, report.summary)
    _table(workbook.create_sheet("Chi tiết"), ROW_COLUMNS, report.rows, ("Tình trạng", _state_colour))
    return _saved(workbook)


def summary_xlsx(report: SummaryReport) -> bytes:
    """A workbook: "Tổng hợp" (indicators over every row, then one line per document) and "Đơn vị" (per unit)."""
    workbook = Workbook()
    summary = workbook.active
    assert summary is not None
    summary.title = "Tổng hợp"
    _indicators(summary, [("Cấp", LEVEL_LABELS[report.level]), ("Ngày đánh giá", report.as_of)], report.summary)
    summary.append([])
    summary.append(["Văn bản", "Ngày", *(header for header, _ in INDICATOR_COLUMNS)])
    for document in report.documents:
        summary.append(
            [document.symbol or document.key, document.date, *(v(document.summary) for _, v in INDICATOR_COLUMNS)]
        )
        summary.cell(summary.max_row, 2).number_format = DATE_FORMAT
    _table(workbook.create_sheet("Đơn vị"), UNIT_COLUMNS, report.items, ("Xếp loại", _rating_colour))
    return _saved(workbook)


def _state_colour(row: AuditRow) -> str | None:
    return STATE_COLOURS[row.status]


def _rating_colour(score: UnitScore) -> str | None:
    return RATING_COLOURS[score.summary.rating] if score.summary.rating else None
