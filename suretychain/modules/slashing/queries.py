"""Read-only slashing queries (``slashing/<route>``)."""
from __future__ import annotations

from suretychain.core.context import Context
from suretychain.core.errors import fail, require
from suretychain.modules.slashing.errors import (
    ErrInvalidConsensusAddress,
    ErrNoSigningInfoFound,
    ErrNoValidatorForAddress,
)
from suretychain.modules.slashing.keeper import SlashingKeeper, compute_consensus_address
from suretychain.modules.slashing.params import Params
from suretychain.modules.slashing.types import (
    QueryParams,
    QuerySigningInfo,
    QuerySigningInfos,
    SigningInfo,
    SigningInfosResponse,
    SigningInfoView,
)


def compute_consensus_address_from_hex(text: str) -> bytes:
    """A 20-byte consensus address from 40 hex digits, or ``ErrInvalidConsensusAddress``."""
    try:
        raw = bytes.fromhex(text)
    except ValueError:
        fail(ErrInvalidConsensusAddress, f"{text[:100]!r} is not hex")
    require(len(raw) == 20, ErrInvalidConsensusAddress, f"expected 20 bytes, got {len(raw)}")
    return raw


def get_requested_address(slashing: SlashingKeeper, ctx: Context, req: QuerySigningInfo) -> bytes:
    """The consensus address a signing-info query names, by hex address or by operator (exactly one)."""
    require((req.consensus_address != "") != (req.validator is not None), ErrInvalidConsensusAddress,
            "give either consensus_address (hex) or validator (operator), not both")
    if req.validator is None:
        return compute_consensus_address_from_hex(req.consensus_address)
    validator = slashing.staking.get_validator(ctx, req.validator.raw)
    require(validator is not None, ErrNoValidatorForAddress, str(req.validator))
    return compute_consensus_address(validator)  # type: ignore[arg-type]


def get_signing_info_view(slashing: SlashingKeeper, ctx: Context, info: SigningInfo) -> SigningInfoView:
    """A signing info with its address in hex and the operator of the validator it belongs to (if any)."""
    validator = slashing.staking.get_validator_by_consensus(ctx, info.address)
    return SigningInfoView(consensus_address=info.address.hex(), operator=validator.operator if validator else None,
                           start_height=info.start_height, index_offset=info.index_offset,
                           jailed_until_ns=info.jailed_until_ns, tombstoned=info.tombstoned,
                           missed_blocks_counter=info.missed_blocks_counter)


def query_signing_info(slashing: SlashingKeeper, ctx: Context, req: QuerySigningInfo) -> SigningInfoView:
    """One validator's signing info."""
    address = get_requested_address(slashing, ctx, req)
    info = slashing.get_signing_info(ctx, address)
    require(info is not None, ErrNoSigningInfoFound, address.hex())
    return get_signing_info_view(slashing, ctx, info)  # type: ignore[arg-type]


def query_signing_infos(slashing: SlashingKeeper, ctx: Context, req: QuerySigningInfos) -> SigningInfosResponse:
    """Every signing info, by consensus address."""
    return SigningInfosResponse(signing_infos=[get_signing_info_view(slashing, ctx, info)
                                               for info in slashing.iter_signing_infos(ctx)])


def query_params(slashing: SlashingKeeper, ctx: Context, req: QueryParams) -> Params:
    """The slashing params."""
    return slashing.get_params(ctx)
