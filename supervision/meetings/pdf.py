"""The printable signed summary as a PDF, rendered by WeasyPrint from a standalone template
(``meetings/summary_pdf.html``): it names no stylesheet, font or image, so nothing is fetched
while rendering. WeasyPrint needs the Pango library on the server; without it the site runs
as before and the printable page says the PDF is not available (print to PDF from the browser)."""

from __future__ import annotations

import logging
import warnings

# Its progress messages (one per rendering step) are not news for the application's log.
logging.getLogger("weasyprint").setLevel(logging.WARNING)
with warnings.catch_warnings():
    # Without HarfBuzz-Subset WeasyPrint warns at import that a future version will need it;
    # fonts are then embedded whole, which only makes the file larger.
    warnings.simplefilter("ignore", DeprecationWarning)
    try:
        from weasyprint import HTML
    except OSError:  # the Pango library is missing: no PDF, everything else works
        HTML = None


def pdf_available() -> bool:
    return HTML is not None


def pdf_from_html(html: str) -> bytes | None:
    """The PDF, or None where WeasyPrint cannot run on this server."""
    if HTML is None:
        return None
    return HTML(string=html).write_pdf()
