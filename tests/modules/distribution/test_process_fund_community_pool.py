"""MsgFundCommunityPool: coins from the depositor into the pool (and the module account)."""
from __future__ import annotations

from fractions import Fraction

from suretychain.core.errors import ErrInsufficientFunds, ErrInvalidCoins

from .helpers import NO_INFLATION, community_pool, dist_chain, events, fund_pool, usrt


def test_fund_community_pool():
    chain = dist_chain(NO_INFLATION)
    pool, balance = community_pool(chain), chain.balance("bob", "usrt")
    result = fund_pool(chain, "bob", [usrt(12345)])
    assert result.code == 0
    assert community_pool(chain) == pool + 12345
    assert chain.balance("bob", "usrt") == balance - 12345 - 1000
    assert events(result, "CommunityPoolFunded") == [{"depositor": str(chain.address("bob")), "amount": "12345usrt"}]


def test_invalid_fund_with_bad_coins_or_no_funds():
    chain = dist_chain(NO_INFLATION)
    pool = community_pool(chain)
    for coins, error in (([], ErrInvalidCoins), ([usrt(0)], ErrInvalidCoins), ([usrt(10**15)], ErrInsufficientFunds)):
        result = fund_pool(chain, "bob", coins)
        assert (result.codespace, result.code) == (error.codespace, error.code)
    # Nothing funded: the pool only got the 2% tax of the first two fees (each allocated in the next block)
    assert community_pool(chain) == pool + 2 * Fraction(1000) * Fraction("0.02")
