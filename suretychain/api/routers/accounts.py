"""``GET /accounts/{address}``: an account's public key and next sequence, through ``auth/account``."""
from __future__ import annotations

import base64
from typing import Any

from fastapi import APIRouter, Depends

from suretychain.api.deps import ChainView, chain_view
from suretychain.api.models import AccountOut
from suretychain.core.encoding import parse_address

router = APIRouter(prefix="/accounts", tags=["accounts"])


@router.get("/{address}", response_model=AccountOut)
async def get_account(address: str, view: ChainView = Depends(chain_view)) -> dict[str, Any]:
    """The account (an address that never sent a tx has sequence 0 and no public key)."""
    account = view.query("auth/account", address=parse_address(address))
    return {
        "address": account["address"],
        "public_key": base64.b64decode(account.get("public_key") or "").hex(),
        "sequence": account.get("sequence", 0),
    }
