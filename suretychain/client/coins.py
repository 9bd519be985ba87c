"""Coins from text (``10usrt`` or ``10usrt,5uusd``), for the CLI and scripts.

Only the text form is handled here; what makes coins valid (positive amounts, 64-bit bound, sorted unique denoms,
the denom pattern) is the chain's: the denom is checked by the ``Coin`` type and the list by the bank module's
``validate_coins``, so a bad amount gives the same coded ``sdk/10`` error here as on the chain.
"""
from __future__ import annotations

import re

from suretychain.core.encoding import convert
from suretychain.core.errors import ErrInvalidCoins, SuretyError
from suretychain.core.tx import Coin
from suretychain.modules.bank.send import validate_coins

COIN_TEXT = re.compile(r"([0-9]+)([a-zA-Z].*)", re.ASCII)  # AMOUNT then DENOM, no space
COIN_FORMAT = "AMOUNTDENOM[,AMOUNTDENOM...], like 10usrt or 10usrt,5uusd"


def parse_coin(text: str) -> Coin:
    """One ``AMOUNTDENOM``; ``ErrInvalidCoins`` if the text is not of that form or the denom is invalid."""
    match = COIN_TEXT.fullmatch(text.strip())
    if match is None:
        raise ErrInvalidCoins(f"{text!r} is not {COIN_FORMAT}")
    try:
        return convert({"denom": match.group(2), "amount": int(match.group(1))}, Coin)
    except SuretyError as exc:
        raise ErrInvalidCoins(f"{text!r}: {exc.detail or exc.log}") from None


def parse_coins(text: str) -> list[Coin]:
    """Comma-separated coins, sorted by denom and checked by the chain's ``validate_coins``."""
    parts = [part for part in text.split(",")]
    if not text.strip() or any(not part.strip() for part in parts):
        raise ErrInvalidCoins(f"{text!r} is not {COIN_FORMAT}")
    coins = sorted((parse_coin(part) for part in parts), key=lambda coin: coin.denom)
    validate_coins(coins)
    return coins
