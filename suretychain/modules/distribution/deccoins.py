"""DecCoins: an amount per denom as a ``Dec``, the unit rewards are kept in before they are paid.

A DecCoins value is a list of :class:`DecCoin` with strictly ascending denoms and no zero amounts, so each value has
one form (and one encoding). Every function here is pure and rounds as its name and docstring say; payouts
truncate (:func:`compute_truncated`), the fractional remainder stays with the protocol.
"""
from __future__ import annotations

from suretychain.core.dec import SCALE, Dec, Rounding, compute_rounded_quotient
from suretychain.core.tx import Coin
from suretychain.modules.distribution.types import DecCoin

DecCoins = list[DecCoin]


def _atoms(coins: DecCoins) -> dict[str, int]:
    """Denom -> amount in Dec atoms."""
    return {coin.denom: coin.amount.atoms for coin in coins}


def _normalize(atoms: dict[str, int]) -> DecCoins:
    """The canonical list: ascending denoms, zero amounts dropped."""
    return [DecCoin(denom=denom, amount=Dec.from_atoms(atoms[denom])) for denom in sorted(atoms) if atoms[denom] != 0]


def compute_dec_coins(coins: list[Coin]) -> DecCoins:
    """Whole coins as DecCoins (exact)."""
    atoms: dict[str, int] = {}
    for coin in coins:
        atoms[coin.denom] = atoms.get(coin.denom, 0) + coin.amount * SCALE
    return _normalize(atoms)


def compute_sum(left: DecCoins, right: DecCoins) -> DecCoins:
    """``left + right`` per denom (exact)."""
    atoms = _atoms(left)
    for denom, amount in _atoms(right).items():
        atoms[denom] = atoms.get(denom, 0) + amount
    return _normalize(atoms)


def compute_difference(left: DecCoins, right: DecCoins) -> DecCoins:
    """``left - right`` per denom (exact; may be negative: callers check with :func:`is_nonnegative`)."""
    atoms = _atoms(left)
    for denom, amount in _atoms(right).items():
        atoms[denom] = atoms.get(denom, 0) - amount
    return _normalize(atoms)


def compute_scaled(coins: DecCoins, factor: Dec) -> DecCoins:
    """``coins × factor`` per denom, rounded down."""
    return _normalize({denom: compute_rounded_quotient(amount * factor.atoms, SCALE, Rounding.DOWN)
                       for denom, amount in _atoms(coins).items()})


def compute_share(coins: DecCoins, numerator: int, denominator: int) -> DecCoins:
    """``coins × numerator / denominator`` per denom with one rounding, down."""
    return _normalize({denom: compute_rounded_quotient(amount * numerator, denominator, Rounding.DOWN)
                       for denom, amount in _atoms(coins).items()})


def compute_truncated(coins: DecCoins) -> tuple[list[Coin], DecCoins]:
    """The whole units of ``coins`` (what can be paid) and the fractional remainder (the dust)."""
    whole = [Coin(denom=c.denom, amount=c.amount.to_int(Rounding.DOWN)) for c in coins]
    paid = [coin for coin in whole if coin.amount > 0]
    return paid, compute_difference(coins, compute_dec_coins(paid))


def compute_intersection(left: DecCoins, right: DecCoins) -> DecCoins:
    """The smaller amount per denom (a denom missing on either side counts as zero)."""
    theirs = _atoms(right)
    return _normalize({denom: min(amount, theirs.get(denom, 0)) for denom, amount in _atoms(left).items()})


def is_nonnegative(coins: DecCoins) -> bool:
    """Check that no amount is below zero."""
    return all(not coin.amount.is_negative() for coin in coins)


def is_all_lte(left: DecCoins, right: DecCoins) -> bool:
    """Check that every denom of ``left`` is at most its amount in ``right``."""
    return is_nonnegative(compute_difference(right, left))


def is_canonical(coins: DecCoins) -> bool:
    """Check the one form: ascending unique denoms, every amount positive."""
    ascending = all(a.denom < b.denom for a, b in zip(coins, coins[1:]))
    return ascending and all(coin.amount.is_positive() for coin in coins)


def render_dec_coins(coins: DecCoins) -> str:
    """DecCoins as text, Cosmos style: ``1.5usrt,2uusd``."""
    return ",".join(f"{coin.amount}{coin.denom}" for coin in coins)
