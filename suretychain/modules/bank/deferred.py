"""Deferred credits: payments to a module account that its balance receives at the end of the block.

The fee of every tx goes to the fee collector, and distribution empties the fee collector at the start of every
block. If each fee were added to the fee collector's balance as it is paid, every tx would read that balance, so
every tx would depend on the tx before it and on the block start: no block could reuse a run CheckTx made before it
(``suretychain/core/replay.py`` reuses a run only if nothing it read was written since). A deferred payment is
taken from the payer at once but written under its own key (recipient and the payer's tag) in bank's transient
store, which no other tx reads and which is never committed; the end-block step adds them all to their recipients.
So the committed balances, the supply invariant and what distribution finds in the fee collector at the next block
start are as if each had been paid directly. (Cosmos SDK chains running Block-STM defer fee-collector credits for the same reason.)
"""
from __future__ import annotations

from suretychain.core.context import Context
from suretychain.core.tx import Coin
from suretychain.modules.bank.keeper import BankKeeper


def process_deferred_credits(bank: BankKeeper, ctx: Context) -> None:
    """Credit every module account with the sum of its deferred payments of the block (end block); the transient
    entries go with the block."""
    for recipient, coins in compute_credit_totals(bank.get_deferred_credits(ctx)):
        bank.add_coins(ctx, recipient, coins)


def compute_credit_totals(credits: list[tuple[bytes, list[tuple[str, int]]]]) -> list[tuple[bytes, list[Coin]]]:
    """The credits (``(recipient, [(denom, amount), ...])``) summed per recipient and denom, recipients and denoms
    in ascending order."""
    totals: dict[bytes, dict[str, int]] = {}
    for recipient, pairs in credits:
        total = totals.get(recipient)
        if total is None:
            total = totals[recipient] = {}
        for denom, amount in pairs:
            total[denom] = total.get(denom, 0) + amount
    return [(recipient, [Coin(denom=d, amount=a) for d, a in sorted(totals[recipient].items())])
            for recipient in sorted(totals)]
