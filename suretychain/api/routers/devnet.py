"""``POST /devnet/faults/...``: fault injection, served only by the embedded devnet (unknown on any other network)."""
from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends
from pydantic import BaseModel, Field

from suretychain.api.deps import get_backend
from suretychain.core.errors import ErrUnknownRequest
from suretychain.node.backend import NodeBackend

router = APIRouter(prefix="/devnet/faults", tags=["devnet"])


class OfflineFault(BaseModel):
    validator: str = Field(description="moniker, operator address or consensus address (hex)")
    blocks: int = Field(ge=1, le=1_000_000, description="heights the validator casts no vote for")


class DoubleSignFault(BaseModel):
    validator: str = Field(description="moniker, operator address or consensus address (hex)")


def _devnet_only(backend: NodeBackend, method: str) -> Any:
    fault = getattr(backend, method, None)
    if fault is None:
        raise ErrUnknownRequest("fault injection exists only on the embedded devnet")
    return fault


@router.post("/offline")
async def inject_offline(body: OfflineFault, backend: NodeBackend = Depends(get_backend)) -> dict[str, Any]:
    """The validator stops voting for ``blocks`` heights (liveness tracking sees missed blocks)."""
    return _devnet_only(backend, "fault_offline")(body.validator, body.blocks)


@router.post("/double-sign")
async def inject_double_sign(body: DoubleSignFault, backend: NodeBackend = Depends(get_backend)) -> dict[str, Any]:
    """The validator signs two conflicting votes; the duplicate-vote evidence goes into the next block."""
    return _devnet_only(backend, "fault_double_sign")(body.validator)
