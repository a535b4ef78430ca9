"""The cohort board: teams by sessions, with deliverables, attendance and the three tools."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from healthywork.collaborative.board import board_for, board_rows
from healthywork.collaborative.models import Cohort
from healthywork.core import tabular
from healthywork.core.permissions import get_visible_or_404


def board(request: HttpRequest, public_id) -> HttpResponse:
    """The board as a page, or as CSV/XLSX with `?format=`; only the teams the person may see."""
    cohort = get_visible_or_404(Cohort, request.user, public_id=public_id)
    data = board_for(cohort, request.user)
    export = request.GET.get("format")
    if export in ("csv", "xlsx"):
        headers, rows = board_rows(data)
        content, content_type = tabular.export_bytes(export, headers, rows)
        response = HttpResponse(content, content_type=content_type)
        response["Content-Disposition"] = f'attachment; filename="board.{export}"'
        return response
    context = {"cohort": cohort, "board": data, "can_manage": cohort.can_manage(request.user)}
    return render(request, "collaborative/board_page.html", context)
