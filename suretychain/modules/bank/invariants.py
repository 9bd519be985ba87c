"""Bank invariants, registered as ``bank/<name>``."""
from __future__ import annotations

from suretychain.core.context import Context
from suretychain.modules.bank.keeper import BankKeeper


def check_total_supply(bank: BankKeeper, ctx: Context) -> str | None:
    """The supply of every denom equals the sum of all balances in it, and no balance is zero or negative."""
    held: dict[str, int] = {}
    for _, denom, amount in bank.iter_balances(ctx):
        if amount <= 0:
            return f"non-positive balance of {denom} stored"
        held[denom] = held.get(denom, 0) + amount
    supply = {coin.denom: coin.amount for coin in bank.iter_supply(ctx)}
    if held != supply:
        denoms = sorted(set(held) | set(supply))
        diffs = [f"{d}: supply {supply.get(d, 0)} held {held.get(d, 0)}" for d in denoms if held.get(d) != supply.get(d)]
        return "; ".join(diffs)
    return None
