"""The link review page: the queue of proposed links, each shown in its text, decided from the keyboard.

The page is static and loads only its own script and stylesheet; the script calls this API from the same
origin with the key the reviewer types (kept in sessionStorage, sent as a Bearer header, never in a URL).
"""

from app.routes.static_page import static_page

router = static_page(
    "/review",
    "review.html",
    ("lexgraph-review.js", "lexgraph-review.css"),
    "/review[?lang=en&limit=N]: the page; it asks for a key, then reads the queue",
)
