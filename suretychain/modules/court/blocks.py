"""Court end-block: its steps in order."""
from __future__ import annotations

from suretychain.core.context import Context
from suretychain.modules.court.disputes import process_disputes
from suretychain.modules.court.jurors import process_due_withdrawals
from suretychain.modules.court.keeper import CourtKeeper


def end_block(keeper: CourtKeeper, ctx: Context) -> None:
    process_due_withdrawals(keeper, ctx)
    process_disputes(keeper, ctx)
