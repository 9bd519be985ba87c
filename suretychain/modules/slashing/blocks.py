"""Slashing begin-block: the steps in order (liveness, then evidence, as Cosmos SDK's slashing then evidence)."""
from __future__ import annotations

from suretychain.core.context import Context
from suretychain.modules.slashing.evidence import process_misbehavior
from suretychain.modules.slashing.keeper import SlashingKeeper
from suretychain.modules.slashing.liveness import process_vote


def begin_block(slashing: SlashingKeeper, ctx: Context) -> None:
    """Count every vote of the decided last commit, then punish every piece of misbehavior in the block."""
    params = slashing.get_params(ctx)
    for vote in ctx.block.last_commit:
        process_vote(slashing, ctx, params, vote)
    for evidence in ctx.block.misbehavior:
        process_misbehavior(slashing, ctx, params, evidence)
