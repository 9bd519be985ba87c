"""``GET /``: the web UI page (its scripts are served under ``/static``)."""
from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import FileResponse

from suretychain.web import INDEX_HTML

router = APIRouter(include_in_schema=False)


@router.get("/")
async def get_index() -> FileResponse:
    return FileResponse(INDEX_HTML, media_type="text/html")
