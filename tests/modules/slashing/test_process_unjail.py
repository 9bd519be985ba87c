"""MsgUnjail: only after the jail time, never when tombstoned, only with the minimum self-delegation."""
from __future__ import annotations

from suretychain.core.errors import ErrUnauthorized
from suretychain.core.tx import Coin
from suretychain.modules.slashing import errors as E
from suretychain.modules.staking.types import MsgDelegate, MsgEditValidator, MsgUndelegate

from .helpers import (
    JAIL_SECONDS,
    POWER,
    make_offline_until_jailed,
    signing_info,
    slashing_chain,
    tokens,
    unjail,
    validator,
)


def assert_error(result, error) -> None:  # noqa: ANN001
    assert (result.codespace, result.code) == (error.codespace, error.code), result.log


def test_invalid_unjail_before_jail_time():
    chain = slashing_chain()
    make_offline_until_jailed(chain, "val1")
    before = (validator(chain, "val1"), signing_info(chain, "val1"))
    assert_error(unjail(chain, "val1"), E.ErrValidatorJailed)
    assert (validator(chain, "val1"), signing_info(chain, "val1")) == before


def test_unjail_after_jail_time_rejoins_the_set():
    chain = slashing_chain()
    jailed_at = make_offline_until_jailed(chain, "val1")
    cons = chain.consensus_address("val1")
    chain.next_block(seconds=JAIL_SECONDS)  # the jail time is measured from the jailing block
    assert chain.time_ns - chain.block_times[jailed_at] >= JAIL_SECONDS * 10**9
    result = unjail(chain, "val1")
    assert result.code == 0, result.log
    unjailed_at = chain.height
    assert not validator(chain, "val1")["jailed"]
    assert cons not in chain.validator_set(unjailed_at + 1)
    assert chain.validator_set(unjailed_at + 2)[cons] == POWER - POWER // 100
    # A new liveness window starts at the re-bond: no immediate second slash
    assert signing_info(chain, "val1")["start_height"] == unjailed_at
    chain.advance(15)
    assert not validator(chain, "val1")["jailed"] and tokens(chain, "val1") == 10**12 - 10**10


def test_invalid_unjail_not_jailed():
    chain = slashing_chain()
    assert_error(unjail(chain, "val1"), E.ErrValidatorNotJailed)


def test_invalid_unjail_tombstoned_even_after_a_long_time():
    chain = slashing_chain()
    chain.double_sign("val2")
    chain.next_block()
    chain.next_block(seconds=10 * 365 * 86_400)
    assert_error(unjail(chain, "val2"), E.ErrValidatorTombstoned)
    assert validator(chain, "val2")["jailed"]


def test_invalid_unjail_self_delegation_below_min():
    chain = slashing_chain()
    # val3 commits to a 5 * 10^11 minimum, then withdraws below it: staking jails it (no slash)
    edit = MsgEditValidator(operator=chain.address("val3"), min_self_delegation=5 * 10**11)
    assert chain.deliver("val3", edit).code == 0
    undelegate = MsgUndelegate(delegator=chain.address("val3"), validator=chain.valoper("val3"),
                               amount=Coin(denom="usrt", amount=6 * 10**11))
    assert chain.deliver("val3", undelegate).code == 0
    assert validator(chain, "val3")["jailed"]
    assert_error(unjail(chain, "val3"), E.ErrSelfDelegationTooLowToUnjail)


def test_invalid_unjail_missing_self_delegation():
    chain = slashing_chain()
    undelegate = MsgUndelegate(delegator=chain.address("val3"), validator=chain.valoper("val3"),
                               amount=Coin(denom="usrt", amount=10**12))
    assert chain.deliver("val3", undelegate).code == 0
    assert_error(unjail(chain, "val3"), E.ErrMissingSelfDelegation)


def test_invalid_unjail_unknown_validator():
    chain = slashing_chain()
    assert_error(unjail(chain, "alice"), E.ErrNoValidatorForAddress)


def test_invalid_unjail_signed_by_another_account():
    chain = slashing_chain()
    make_offline_until_jailed(chain, "val1")
    chain.next_block(seconds=JAIL_SECONDS)
    assert_error(unjail(chain, "val1", signer="alice"), ErrUnauthorized)
    assert validator(chain, "val1")["jailed"]


def test_unjail_at_once_after_restoring_the_self_delegation():
    chain = slashing_chain()
    edit = MsgEditValidator(operator=chain.address("val3"), min_self_delegation=5 * 10**11)
    assert chain.deliver("val3", edit).code == 0
    undelegate = MsgUndelegate(delegator=chain.address("val3"), validator=chain.valoper("val3"),
                               amount=Coin(denom="usrt", amount=6 * 10**11))
    assert chain.deliver("val3", undelegate).code == 0
    delegate = MsgDelegate(delegator=chain.address("val3"), validator=chain.valoper("val3"),
                           amount=Coin(denom="usrt", amount=2 * 10**11))
    assert chain.deliver("val3", delegate).code == 0
    # Jailed by staking, not for downtime: no jail time to serve
    result = unjail(chain, "val3")
    assert result.code == 0, result.log
    assert chain.validator_set(chain.height + 2)[chain.consensus_address("val3")] == 600_000
