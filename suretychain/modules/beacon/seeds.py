"""The seed chain: how each block's seed follows from the previous one and the proposer's VRF output."""
from __future__ import annotations

import hashlib

from suretychain.core import vrf
from suretychain.core.context import Context
from suretychain.core.errors import require
from suretychain.core.signatures import BoundedMemo
from suretychain.modules.beacon.keeper import BeaconKeeper
from suretychain.modules.beacon.keys import u64
from suretychain.modules.beacon.types import GENESIS_DOMAIN, MODULE, ErrSeedNotFound, NO_ENTRY, SEED_DOMAIN, SeedAdvanced


def compute_genesis_seed(chain_id: str) -> bytes:
    """``sha256(GENESIS_DOMAIN || chain id)``: the seed before the first block."""
    return hashlib.sha256(GENESIS_DOMAIN + chain_id.encode()).digest()


def compute_alpha(previous_seed: bytes, height: int) -> bytes:
    """The VRF input of the block at ``height``: ``previous seed || height (8, BE)``."""
    return previous_seed + u64(height)


def compute_next_seed(previous_seed: bytes, beta: bytes | None) -> bytes:
    """``sha256(SEED_DOMAIN || previous seed || beta)``, with ``NO_ENTRY`` in place of beta when there is none."""
    return hashlib.sha256(SEED_DOMAIN + previous_seed + (NO_ENTRY if beta is None else beta)).digest()


def get_previous_seed(beacon: BeaconKeeper, ctx: Context) -> bytes:
    """The latest seed: that of the block before ``ctx.block`` (or the genesis seed)."""
    latest = beacon.get_latest_height(ctx)
    seed = beacon.get_seed(ctx, latest) if latest is not None else None
    # Genesis writes a seed and every block another (invariant beacon/latest-seed)
    require(seed is not None, ErrSeedNotFound, "no latest seed")
    return seed  # type: ignore[return-value]


def get_proposer_vrf_pubkey(beacon: BeaconKeeper, ctx: Context) -> bytes | None:
    """The VRF public key of the block's proposer, or None when the proposer is not a staking validator."""
    validator = beacon.staking.get_validator_by_consensus(ctx, ctx.block.proposer) if ctx.block.proposer else None
    return None if validator is None else bytes(validator.vrf_pubkey)


# ProcessProposal and FinalizeBlock verify the same entry (and the proposer made it): the output of a proof is a pure
# function of (key, proof, input), so it is remembered rather than verified again (a node-local speed-up).
_ENTRY_BETAS = BoundedMemo(64)
INVALID_ENTRY = b""  # memo value of a proof that did not verify


def compute_entry_beta(public_key: bytes, entry: bytes, alpha: bytes) -> bytes | None:
    """The VRF output an entry proves under ``public_key`` for ``alpha``, or None if the proof is invalid."""
    token = (public_key, entry, alpha)
    beta = _ENTRY_BETAS.get(token)
    if beta is None:
        try:
            beta = vrf.verify(public_key, entry, alpha)
        except vrf.InvalidProof:
            beta = INVALID_ENTRY
        _ENTRY_BETAS.put(token, beta)
    return beta or None


def remember_own_entry(secret_key: bytes, entry: bytes, alpha: bytes) -> None:
    """The proposer's own proof (made by ``vrf.prove`` with ``secret_key``, so valid under that key's public key):
    its output, without verifying it."""
    public_key = vrf.public_key(secret_key)
    _ENTRY_BETAS.put((public_key, entry, alpha), vrf.proof_to_hash(entry))


def process_block_seed(beacon: BeaconKeeper, ctx: Context) -> None:
    """Begin block: fix this block's seed from the previous one and the proposer's entry.

    ``process_proposal`` already refused a block whose entry is missing or invalid while its proposer is a
    validator, so a decided block has a valid entry or a proposer unknown to staking; the fallback to ``NO_ENTRY``
    for anything else keeps execution deterministic even for a block that skipped that check."""
    previous = get_previous_seed(beacon, ctx)
    public_key = get_proposer_vrf_pubkey(beacon, ctx)
    entry = ctx.block.entry(MODULE)
    beta = None
    if public_key is not None and entry is not None:
        beta = compute_entry_beta(public_key, entry, compute_alpha(previous, ctx.block.height))
    seed = compute_next_seed(previous, beta)
    beacon.set_seed(ctx, ctx.block.height, seed)
    ctx.emit(SeedAdvanced(height=ctx.block.height, seed=seed, proposer_entry=beta is not None))
