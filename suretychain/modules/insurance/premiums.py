"""Premiums: what a delegator pays for a period, the protocol commission, and pro-rata credit of unused time."""
from __future__ import annotations

from suretychain.core.context import Context
from suretychain.core.dec import Dec, Rounding, compute_rounded_quotient
from suretychain.core.encoding import Address
from suretychain.core.tx import Coin, coins_str
from suretychain.modules.insurance.keeper import InsuranceKeeper
from suretychain.modules.insurance.types import TREASURY, Insurance, Term


def compute_premium(term: Term, insured_stake: int) -> list[Coin]:
    """``premium rate × insured stake`` per denom, rounded up (a charge)."""
    coins = [Coin(denom=p.denom, amount=p.rate.mul_int(insured_stake, Rounding.UP)) for p in term.premium]
    return [c for c in coins if c.amount > 0]


def compute_commission(coins: list[Coin], rate: Dec) -> list[Coin]:
    """The treasury's share of a premium, rounded up (the protocol's side)."""
    shares = [Coin(denom=c.denom, amount=rate.mul_int(c.amount, Rounding.UP)) for c in coins]
    return [c for c in shares if c.amount > 0]


def subtract_coins(a: list[Coin], b: list[Coin]) -> list[Coin]:
    """``a − b`` per denom, dropping zeros (``b`` never exceeds ``a`` here)."""
    taken = {c.denom: c.amount for c in b}
    out = [Coin(denom=c.denom, amount=c.amount - taken.get(c.denom, 0)) for c in a]
    return [c for c in out if c.amount > 0]


def add_coins(a: list[Coin], b: list[Coin]) -> list[Coin]:
    """``a + b`` per denom, sorted by denom."""
    total: dict[str, int] = {}
    for coin in a + b:
        total[coin.denom] = total.get(coin.denom, 0) + coin.amount
    return [Coin(denom=d, amount=total[d]) for d in sorted(total) if total[d] > 0]


def has_funds(keeper: InsuranceKeeper, ctx: Context, payer: Address, coins: list[Coin]) -> bool:
    """Check if ``payer`` holds ``coins``."""
    return all(keeper.bank.get_balance(ctx, payer.raw, c.denom) >= c.amount for c in coins)


def pay_premium(keeper: InsuranceKeeper, ctx: Context, payer: Address, operator: bytes,
                premium: list[Coin]) -> tuple[list[Coin], list[Coin]]:
    """Pay ``premium`` from ``payer``: the commission to the treasury, the rest to the operator. Returns
    ``(net paid to the operator, commission)``."""
    commission = compute_commission(premium, keeper.get_params(ctx).protocol_commission)
    net = subtract_coins(premium, commission)
    if commission:
        keeper.bank.send_coins_from_account_to_module(ctx, payer.raw, TREASURY, commission)
    if net:
        keeper.bank.send_coins(ctx, payer.raw, operator, net)
    return net, commission


def compute_unused_premium(insurance: Insurance, now_ns: int) -> list[Coin]:
    """``floor(paid × (end − now) / (end − period start))`` per denom: the premium of the time not yet used."""
    total = insurance.end_ns - insurance.period_start_ns
    unused = max(0, insurance.end_ns - max(now_ns, insurance.period_start_ns))
    if total <= 0 or unused == 0:
        return []
    coins = [Coin(denom=c.denom, amount=compute_rounded_quotient(c.amount * unused, total, Rounding.DOWN))
             for c in insurance.paid]
    return [c for c in coins if c.amount > 0]


def refund_premium(keeper: InsuranceKeeper, ctx: Context, operator: bytes, recipient: Address,
                   coins: list[Coin]) -> list[Coin]:
    """The operator pays back ``coins`` from its account, as far as its balance goes; returns what was paid."""
    paid = [Coin(denom=c.denom, amount=min(c.amount, keeper.bank.get_balance(ctx, operator, c.denom)))
            for c in coins]
    paid = [c for c in paid if c.amount > 0]
    if paid:
        keeper.bank.send_coins(ctx, operator, recipient.raw, paid)
    return paid


def render(coins: list[Coin]) -> str:
    return coins_str(coins)
