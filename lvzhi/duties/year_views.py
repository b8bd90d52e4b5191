"""The year's work-report figures page (年度工作数读, ``/duties/yearly/``): staff and leaders of a council pick a
year and download the Word document or the workbook of every module's 数读 (:mod:`lvzhi.duties.yearreport`)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from lvzhi.duties.views import _council
from lvzhi.duties.yearreport import year_sections, yearly_docx, yearly_xlsx

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _year(request: HttpRequest) -> tuple[int | None, str]:
    """The ``year`` parameter (default: last year) or a Chinese error naming the field."""
    raw = request.GET.get("year", "").strip()
    if not raw:
        return timezone.localdate().year - 1, ""
    if not raw.isdigit() or not 1949 <= int(raw) <= 2200:
        return None, _("年度无效：%(value)s（应为四位年份，如 2025）") % {"value": raw}
    return int(raw), ""


@login_required
def yearly(request: HttpRequest) -> HttpResponse:
    """The page: the year's form, every module's headline figures and the two downloads."""
    council = _council(request)
    year, error = _year(request)
    sections = year_sections(council, year) if year is not None else []
    return render(request, "duties/yearly.html", {"council": council, "year": year, "error": error,
                                                   "sections": sections}, status=400 if error else 200)


def _download(request: HttpRequest, kind: str) -> HttpResponse:
    council = _council(request)
    year, error = _year(request)
    if year is None:
        return render(request, "duties/yearly.html", {"council": council, "error": error, "sections": []},
                      status=400)
    sections = year_sections(council, year)
    if kind == "docx":
        response = HttpResponse(yearly_docx(council, year, sections), content_type=DOCX)
    else:
        response = HttpResponse(yearly_xlsx(sections), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="yearly-report-{year}.{kind}"'
    return response


@login_required
def yearly_docx_view(request: HttpRequest) -> HttpResponse:
    """The Word document of the year (``?year=``)."""
    return _download(request, "docx")


@login_required
def yearly_xlsx_view(request: HttpRequest) -> HttpResponse:
    """The workbook of the year (``?year=``), one sheet per module."""
    return _download(request, "xlsx")
