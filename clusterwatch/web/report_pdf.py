"""The periodic monitoring report typeset as a PDF from its page template (WeasyPrint)."""

from __future__ import annotations

from clusterwatch.assessment.report import ReportPublic, report_title
from clusterwatch.web.templating import environment


def render_pdf(report: ReportPublic, lang: str = "zh") -> bytes:
    # WeasyPrint loads Pango and its fonts on import (about a second): only when a PDF is asked for.
    try:
        from weasyprint import HTML
    except OSError as exc:  # the Pango library is missing
        raise RuntimeError(f"PDF reports need Pango (Debian: apt-get install libpango-1.0-0 fonts-noto-cjk): {exc}") from exc

    html = environment(lang).get_template("report.html").render(report=report, title=report_title(report, lang))
    return HTML(string=html).write_pdf()
