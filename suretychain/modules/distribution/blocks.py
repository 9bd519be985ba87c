"""Distribution begin-block: the steps in order (as Cosmos SDK's x/mint then x/distribution BeginBlocker)."""
from __future__ import annotations

from suretychain.core.context import Context
from suretychain.modules.distribution.allocation import (
    get_paid_votes,
    is_payable_commit,
    process_allocation,
    process_fee_collection,
    process_inflation,
)
from suretychain.modules.distribution.deccoins import compute_dec_coins
from suretychain.modules.distribution.keeper import DistributionKeeper


def begin_block(k: DistributionKeeper, ctx: Context) -> None:
    """Mint this block's inflation, collect the previous block's fees, allocate both by last-commit power.

    A block whose last commit names no validator staking knows (the first block; a chain whose only validators come
    from the consensus genesis) has no one to pay: it does nothing, the fees wait in the fee collector and the
    inflation keeps accruing, and the next block with a payable commit pays both in full (nothing lost or doubled).
    """
    votes = get_paid_votes(k, ctx)
    if not is_payable_commit(ctx.block.last_commit, votes):
        return
    params = k.get_params(ctx)
    minted = process_inflation(k, ctx, params)
    fees = process_fee_collection(k, ctx)
    process_allocation(k, ctx, params, compute_dec_coins(fees + minted), votes)
