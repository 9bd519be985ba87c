"""Distribution genesis: export then import gives the same app hash; validation names what is wrong."""
from __future__ import annotations

import msgspec
import pytest

from suretychain.app import make_app
from suretychain.core.dec import Dec
from suretychain.core.errors import ErrInvalidGenesis, SuretyError
from suretychain.core.genesis import decode_genesis, decode_module_state, encode_genesis, encode_module_state
from suretychain.core.store import CommitStore
from suretychain.modules.distribution.errors import ErrInvalidParams
from suretychain.modules.distribution.genesis import validate_genesis
from suretychain.modules.distribution.params import Params
from suretychain.modules.distribution.types import DecCoin, GenesisState

from .helpers import (
    delegate,
    dist_chain,
    fund_pool,
    redelegate,
    set_withdraw_address,
    undelegate,
    usrt,
    withdraw_commission,
)


def busy_chain():  # noqa: ANN201
    """A chain with rewards, commissions, a withdraw address, a slash event, entries and a funded pool."""
    chain = dist_chain()
    delegate(chain, "alice", "val0", 10**12)
    delegate(chain, "bob", "val1", 3 * 10**11)
    set_withdraw_address(chain, "bob", "carol")
    chain.advance(3, seconds=5)
    chain.double_sign("val1")
    chain.next_block()
    undelegate(chain, "alice", "val0", 10**11)
    redelegate(chain, "alice", "val0", "val2", 10**11)
    withdraw_commission(chain, "val2")
    fund_pool(chain, "carol", [usrt(777)])
    chain.advance(2, seconds=3)
    return chain


def exported_distribution(chain) -> GenesisState:  # noqa: ANN001
    doc = chain.export_genesis()
    return decode_module_state("distribution", bytes(doc.app_state["distribution"]), GenesisState)


def test_export_import_round_trip_keeps_the_app_hash():
    chain = busy_chain()
    state = exported_distribution(chain)
    assert state.slash_events and state.withdraw_addresses and state.starting_infos and state.fee_pool.community_pool
    doc = decode_genesis(encode_genesis(chain.export_genesis()))
    fresh = make_app(CommitStore(None, keep_recent=0))
    assert fresh.init_chain(doc).app_hash == chain.app_hash()
    again = msgspec.json.decode(doc.app_state["distribution"])
    assert again["last_inflation_time_ns"] == chain.time_ns


def test_default_genesis_is_valid_and_empty():
    validate_genesis(GenesisState())
    assert GenesisState().params == Params() and GenesisState().fee_pool.community_pool == []


def broken(state: GenesisState, **changes) -> GenesisState:  # noqa: ANN003
    return msgspec.structs.replace(state, **changes)


def test_invalid_genesis_cases():
    state = exported_distribution(busy_chain())
    first = state.historical_rewards[0]
    cases = [
        (broken(state, params=Params(community_tax=Dec.from_str("1.5"))), "community_tax"),
        (broken(state, params=Params(inflation=Dec.from_str("-0.1"))), "inflation"),
        (broken(state, outstanding_rewards=state.outstanding_rewards + state.outstanding_rewards[:1]), "duplicate"),
        (broken(state, historical_rewards=[msgspec.structs.replace(first, rewards=msgspec.structs.replace(
            first.rewards, reference_count=first.rewards.reference_count + 1))] + state.historical_rewards[1:]),
         "reference count"),
        (broken(state, historical_rewards=state.historical_rewards[1:]), "missing"),
        (broken(state, slash_events=[msgspec.structs.replace(state.slash_events[0], event=msgspec.structs.replace(
            state.slash_events[0].event, fraction=Dec.from_str("1.01")))]), "fraction"),
        (broken(state, fee_pool=msgspec.structs.replace(state.fee_pool, community_pool=[
            DecCoin(denom="usrt", amount=Dec.ZERO)])), "canonical"),
        (broken(state, current_rewards=state.current_rewards[1:]), "different validators"),
    ]
    for candidate, fragment in cases:
        with pytest.raises(SuretyError) as info:
            validate_genesis(candidate)
        assert ErrInvalidGenesis.is_(info.value) or ErrInvalidParams.is_(info.value)
        assert fragment in info.value.log, (fragment, info.value.log)


def test_invalid_genesis_is_refused_by_the_app():
    chain = dist_chain()
    doc = chain.export_genesis()
    state = decode_module_state("distribution", bytes(doc.app_state["distribution"]), GenesisState)
    bad = encode_module_state(broken(state, params=Params(community_tax=Dec.from_str("2"))))
    doc = msgspec.structs.replace(doc, app_state={**doc.app_state, "distribution": bad})
    with pytest.raises(SuretyError) as info:
        make_app(CommitStore(None)).init_chain(decode_genesis(encode_genesis(doc)))
    assert ErrInvalidGenesis.is_(info.value) and "app_state.distribution" in info.value.log
