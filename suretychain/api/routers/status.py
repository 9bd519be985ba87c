"""``GET /status``: the node's chain id, latest block and mempool."""
from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends

from suretychain.api.codec import present_status
from suretychain.api.deps import get_backend
from suretychain.api.models import StatusOut
from suretychain.node.backend import NodeBackend

router = APIRouter(tags=["status"])


@router.get("/status", response_model=StatusOut)
async def get_status(backend: NodeBackend = Depends(get_backend)) -> dict[str, Any]:
    """Chain id, latest height, app hash and block time, earliest kept block, mempool size."""
    return present_status(backend.status())
