"""The devnet web UI: static files served by the API at ``/`` and ``/static``."""
from __future__ import annotations

from pathlib import Path

STATIC_DIR = Path(__file__).parent / "static"
INDEX_HTML = STATIC_DIR / "index.html"
COURT_HTML = STATIC_DIR / "court.html"  # disputes, a dispute (?dispute=ID), a juror (?juror=ADDRESS)
