"""The committees' pages (read only; everyone signed in may read them): the quarterly report
of every quarter with data, the strategy papers and the city view, each as an HTML page (for
BITV 2.0) and a PDF from the same data function."""

from fastapi import APIRouter, Request
from fastapi.responses import Response

from controlling.services.common import today
from controlling.web.deps import call, page
from controlling.web.pages import render

router = APIRouter(include_in_schema=False)


def pdf_response(content: bytes, name: str) -> Response:
    return Response(content, media_type="application/pdf",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


@router.get("/berichte")
def reports(request: Request, user=page("web.reports")):
    from controlling.services.report_index import report_index

    return render(request, "reports.html", {"index": call(request, user, report_index)})


@router.get("/berichte/quartal/{quarter}")
def quarterly_page(request: Request, quarter: str, user=page("web.reports")):
    """The published report when there is one (the stored PDF, the stored figures), else the
    draft as known now: the same service function as `report quarterly`."""
    from controlling.services.publication import quarterly_document
    from controlling.services.quarterly import parse_quarter

    parsed = parse_quarter(quarter.removesuffix(".pdf"))
    document = call(request, user, quarterly_document, parsed)
    if quarter.endswith(".pdf"):
        content = document.pdf
        if content is None:
            from controlling.reports.quarterly import render_quarterly_pdf
            from controlling.services.common import now

            content, _pages = render_quarterly_pdf(document.report, made_on=today(),
                                                   created_at=now())
        return pdf_response(content, f"controlling-{parsed}.pdf")
    return render(request, "quarterly.html", {"report": document.data,
                                              "label": parsed.label, "quarter": str(parsed)})


@router.get("/berichte/strategiepapier")
def strategy_paper_page(request: Request, district: str = "", user=page("web.reports")):
    """The strategy paper as an accessible page: the same data function as its PDF and
    JSON (tables with captions and header cells)."""
    from controlling.services.strategy_paper import strategy_paper

    return render(request, "strategy_paper.html",
                  {"paper": call(request, user, strategy_paper, district)})


@router.get("/berichte/stadt")
def city_page(request: Request, user=page("web.reports")):
    """The city view as an accessible page: the same data function as its PDF and JSON."""
    from controlling.services.city_report import city_report

    return render(request, "city.html", {"city": call(request, user, city_report)})


@router.get("/berichte/strategiepapier.pdf")
def strategy_paper_pdf(request: Request, district: str = "", user=page("web.reports")):
    from controlling.reports.strategy_paper import render_strategy_paper_pdf
    from controlling.services.strategy_paper import strategy_paper

    data = call(request, user, strategy_paper, district)
    content, _pages = render_strategy_paper_pdf(data, made_on=today())
    return pdf_response(content, "strategiepapier.pdf")


@router.get("/berichte/stadt.pdf")
def city_pdf(request: Request, user=page("web.reports")):
    from controlling.reports.city_report import render_city_report_pdf
    from controlling.services.city_report import city_report

    content, _pages = render_city_report_pdf(call(request, user, city_report),
                                             made_on=today())
    return pdf_response(content, "stadtuebersicht.pdf")
