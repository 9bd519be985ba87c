"""``GET /blocks/latest`` and ``GET /blocks/{height}`` from the block store."""
from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends

from suretychain.api.codec import present_block
from suretychain.api.deps import get_backend
from suretychain.api.models import BlockOut
from suretychain.core.errors import ErrInvalidHeight
from suretychain.node.backend import NodeBackend

router = APIRouter(prefix="/blocks", tags=["blocks"])

MAX_HEIGHT = 2**63 - 1


@router.get("/latest", response_model=BlockOut)
async def get_latest_block(backend: NodeBackend = Depends(get_backend)) -> dict[str, Any]:
    """The latest committed block."""
    block = backend.block(None)
    if block is None:
        raise ErrInvalidHeight("no block has been committed yet")
    return present_block(block)


@router.get("/{height}", response_model=BlockOut)
async def get_block(height: int, backend: NodeBackend = Depends(get_backend)) -> dict[str, Any]:
    """The block at ``height`` (404 if the node does not have it)."""
    block = backend.block(height) if 0 < height <= MAX_HEIGHT else None
    if block is None:
        status = backend.status()
        raise ErrInvalidHeight(f"block {height} is not available (heights {status.earliest_height}.."
                               f"{status.latest_height})")
    return present_block(block)
