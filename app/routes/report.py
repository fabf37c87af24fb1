"""The printable audit report page: a map of the provinces coloured by state, the states' bars, the overdue list.

The page is static; its script reads ``/audit/implementation`` with the page's own query
(``document``, ``level``, ``as_of``) from the same origin. No tile server, no external host.
"""

from app.routes.static_page import static_page

router = static_page(
    "/audit/report",
    "audit-report.html",
    ("audit-report.js", "audit-report.css"),
    "/audit/report?document=KEY[&level=province&as_of=YYYY-MM-DD&lang=en]: the page; it fetches the audit",
)
