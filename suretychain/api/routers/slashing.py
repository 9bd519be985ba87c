"""Slashing reads through ``slashing/<route>``: validators' signing infos (liveness, jail, tombstone) and params."""
from __future__ import annotations

from fastapi import APIRouter, Depends

from suretychain.api.deps import ChainView, chain_view
from suretychain.api.models import record_model
from suretychain.core.encoding import ValAddress, parse_address
from suretychain.modules.slashing.params import Params
from suretychain.modules.slashing.types import SigningInfosResponse, SigningInfoView

router = APIRouter(prefix="/slashing", tags=["slashing"])

SigningInfoOut = record_model(SigningInfoView, "Slashing")
SigningInfosOut = record_model(SigningInfosResponse, "Slashing")
ParamsOut = record_model(Params, "Slashing")


@router.get("/signing-infos", response_model=SigningInfosOut)
async def get_signing_infos(view: ChainView = Depends(chain_view)) -> SigningInfosOut:
    """Every validator's signing info, by consensus address."""
    return SigningInfosOut.of(view.query("slashing/signing-infos"))


@router.get("/signing-infos/{address}", response_model=SigningInfoOut)
async def get_signing_info(address: str, view: ChainView = Depends(chain_view)) -> SigningInfoOut:
    """One signing info, by consensus address (40 hex digits) or by operator address (``surevaloper1...``)."""
    if address.startswith(f"{ValAddress.HRP}1"):
        return SigningInfoOut.of(view.query("slashing/signing-info", validator=parse_address(address, ValAddress)))
    return SigningInfoOut.of(view.query("slashing/signing-info", consensus_address=address))


@router.get("/params", response_model=ParamsOut)
async def get_params(view: ChainView = Depends(chain_view)) -> ParamsOut:
    """The slashing params."""
    return ParamsOut.of(view.query("slashing/params"))
