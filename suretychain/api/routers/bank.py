"""Bank reads through ``bank/balances``, ``bank/balance`` and ``bank/supply``."""
from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Query

from suretychain.api.deps import ChainView, chain_view
from suretychain.api.models import BalancesOut, CoinOut, SupplyOut
from suretychain.core.encoding import parse_address

router = APIRouter(prefix="/bank", tags=["bank"])


@router.get("/balances/{address}", response_model=BalancesOut)
async def get_balances(address: str, view: ChainView = Depends(chain_view)) -> dict[str, Any]:
    """Every non-zero balance of an address."""
    return view.query("bank/balances", address=parse_address(address))


@router.get("/balances/{address}/{denom}", response_model=CoinOut)
async def get_balance(address: str, denom: str, view: ChainView = Depends(chain_view)) -> dict[str, Any]:
    """One balance (0 if none)."""
    return view.query("bank/balance", address=parse_address(address), denom=denom)


@router.get("/supply", response_model=SupplyOut)
async def get_supply(denom: str = Query("", description="one denom; empty = all"),
                     view: ChainView = Depends(chain_view)) -> dict[str, Any]:
    """The total supply of one denom, or of every denom."""
    return view.query("bank/supply", denom=denom)
