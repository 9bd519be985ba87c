"""``GET /`` and ``GET /web/court``: the web UI pages (their scripts are served under ``/static``)."""
from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import FileResponse

from suretychain.web import COURT_HTML, INDEX_HTML

router = APIRouter(include_in_schema=False)


@router.get("/")
async def get_index() -> FileResponse:
    return FileResponse(INDEX_HTML, media_type="text/html")


@router.get("/web/court")
async def get_court_page() -> FileResponse:
    """The court pages: the disputes, one dispute (``?dispute=ID``) or one juror (``?juror=ADDRESS``)."""
    return FileResponse(COURT_HTML, media_type="text/html")
