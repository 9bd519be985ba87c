"""The beacon's proposal entry: the proposer's VRF proof over (previous seed || height)."""
from __future__ import annotations

from suretychain.core import vrf
from suretychain.core.context import Context
from suretychain.modules.beacon.keeper import BeaconKeeper
from suretychain.modules.beacon.seeds import (
    compute_alpha,
    compute_entry_beta,
    get_previous_seed,
    get_proposer_vrf_pubkey,
    remember_own_entry,
)


def propose_entry(beacon: BeaconKeeper, ctx: Context) -> bytes | None:
    """PrepareProposal: this node's VRF proof for the block, if the proposer is a validator whose VRF key this
    node holds (otherwise the block carries no entry and the seed advances with ``NO_ENTRY``)."""
    secret = beacon.vrf_keys.get(ctx.block.proposer)
    if secret is None or get_proposer_vrf_pubkey(beacon, ctx) is None:
        return None
    alpha = compute_alpha(get_previous_seed(beacon, ctx), ctx.block.height)
    entry = vrf.prove(secret, alpha)
    remember_own_entry(secret, entry, alpha)
    return entry


def is_valid_entry(beacon: BeaconKeeper, ctx: Context, entry: bytes | None) -> bool:
    """ProcessProposal: a proposer that is a staking validator must include a VRF proof that verifies under its
    registered VRF key for (previous seed || height); a proposer unknown to staking must include none."""
    public_key = get_proposer_vrf_pubkey(beacon, ctx)
    if public_key is None:
        return entry is None
    if entry is None:
        return False
    return compute_entry_beta(public_key, entry, compute_alpha(get_previous_seed(beacon, ctx), ctx.block.height)) \
        is not None
