"""The printable signed summary as a PDF, rendered by WeasyPrint from a standalone template
(``meetings/summary_pdf.html``): it names no stylesheet, font or image, so nothing is fetched
while rendering. WeasyPrint needs the Pango library on the server."""

from __future__ import annotations

import logging
import warnings

# Its progress messages (one per rendering step) are not news for the application's log.
logging.getLogger("weasyprint").setLevel(logging.WARNING)
with warnings.catch_warnings():
    # Without HarfBuzz-Subset WeasyPrint warns at import that a future version will need it;
    # fonts are then embedded whole, which only makes the file larger.
    warnings.simplefilter("ignore", DeprecationWarning)
    from weasyprint import HTML


def pdf_from_html(html: str) -> bytes:
    return HTML(string=html).write_pdf()
