"""PDF documents (A4) from our own HTML templates with WeasyPrint.

Templates extend ``exports/pdf_base.html``, which sets the page size, a running header
(``header`` block), the generation date and "page n of m" in the footer.
"""

from __future__ import annotations

from typing import Any

from flask import current_app, render_template


def render_pdf(template: str, **context: Any) -> bytes:
    """Render a template to PDF. Only local resources are loaded (static files)."""
    from weasyprint import HTML

    html = render_template(template, **context)
    static = current_app.static_folder or ""
    return bytes(HTML(string=html, base_url=static, url_fetcher=_local_only(static)).write_pdf())


def _local_only(static_folder: str) -> Any:
    from weasyprint.urls import URLFetcher

    # Only files and data: URIs; never the network (no request to any outside host).
    return URLFetcher(allowed_protocols={"file", "data"})
