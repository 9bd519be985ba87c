"""Slashing genesis: validation names the bad record; export then import gives the same app hash."""
from __future__ import annotations

import msgspec
import pytest

from suretychain.app import make_app
from suretychain.core.dec import Dec
from suretychain.core.errors import ErrInvalidGenesis, SuretyError
from suretychain.core.genesis import decode_genesis, encode_genesis
from suretychain.core.store import CommitStore
from suretychain.modules.slashing.errors import ErrInvalidParams
from suretychain.modules.slashing.genesis import validate_genesis
from suretychain.modules.slashing.params import Params
from suretychain.modules.slashing.types import (
    JAILED_FOREVER_NS,
    GenesisState,
    MissedBlocks,
    SigningInfo,
    SlashingPeriod,
)

from .helpers import MINIMAL, make_offline_until_jailed, slashing_chain

A, B = b"\x01" * 20, b"\x02" * 20


def test_export_import_round_trip_after_punishments():
    chain = slashing_chain()
    make_offline_until_jailed(chain, "val1")  # downtime: jailed, period closed
    chain.set_offline("val3", 2)  # a few missed blocks left in val3's bitmap
    chain.double_sign("val2")  # tombstoned
    chain.advance(3)
    exported = chain.export_genesis()
    state = msgspec.json.decode(exported.app_state["slashing"])
    assert any(m["indices"] for m in state["missed_blocks"]) and len(state["slashing_periods"]) == 4
    fresh = make_app(CommitStore(None))
    assert fresh.init_chain(decode_genesis(encode_genesis(exported))).app_hash == chain.app_hash()


def test_default_genesis_is_valid():
    validate_genesis(GenesisState())


@pytest.mark.parametrize("state, fragment", [
    (GenesisState(signing_infos=[SigningInfo(address=A), SigningInfo(address=A)]), "duplicate address"),
    (GenesisState(signing_infos=[SigningInfo(address=A, tombstoned=True)]), "not jailed forever"),
    (GenesisState(signing_infos=[SigningInfo(address=A, missed_blocks_counter=2)],
                  missed_blocks=[MissedBlocks(address=A, indices=[3])]), "but 1 bits set"),
    (GenesisState(missed_blocks=[MissedBlocks(address=A, indices=[3])]), "no signing info"),
    (GenesisState(signing_infos=[SigningInfo(address=A, missed_blocks_counter=2)],
                  missed_blocks=[MissedBlocks(address=A, indices=[3, 3])]), "strictly ascending"),
    (GenesisState(params=MINIMAL, signing_infos=[SigningInfo(address=A, missed_blocks_counter=1)],
                  missed_blocks=[MissedBlocks(address=A, indices=[10])]), "outside the signed blocks window"),
    (GenesisState(signing_infos=[SigningInfo(address=A)],
                  slashing_periods=[SlashingPeriod(address=B, start_height=1, start_time_ns=0)]), "no signing info"),
    (GenesisState(signing_infos=[SigningInfo(address=A)],
                  slashing_periods=[SlashingPeriod(address=A, start_height=5, start_time_ns=0, end_height=4)]),
     "ends before it starts"),
    (GenesisState(signing_infos=[SigningInfo(address=A)],
                  slashing_periods=[SlashingPeriod(address=A, start_height=5, start_time_ns=0,
                                                   slashed_so_far=Dec.from_str("1.5"))]), "fraction outside"),
])
def test_invalid_genesis(state, fragment):
    with pytest.raises(SuretyError) as info:
        validate_genesis(state)
    assert ErrInvalidGenesis.is_(info.value) and fragment in info.value.log


def test_invalid_genesis_params_are_reported_under_the_module():
    doc = {"chain_id": "g-1", "genesis_time": "2026-01-01T00:00:00Z",
           "app_state": {"slashing": {"params": {"min_signed_per_window": "1.5"}}}}
    with pytest.raises(SuretyError) as info:
        make_app(CommitStore(None)).init_chain(decode_genesis(msgspec.json.encode(doc)))
    assert ErrInvalidGenesis.is_(info.value)
    assert "app_state.slashing" in info.value.log and "min_signed_per_window" in info.value.log


def test_tombstoned_signing_info_jailed_forever_is_valid():
    validate_genesis(GenesisState(signing_infos=[SigningInfo(address=A, tombstoned=True,
                                                             jailed_until_ns=JAILED_FOREVER_NS)]))


@pytest.mark.parametrize("params", [
    Params(min_signed_per_window=Dec.from_str("-0.1")),
    Params(slash_fraction_double_sign=Dec.from_str("1.01")),
    Params(slash_fraction_downtime=Dec.from_str("-1")),
    Params(signed_blocks_window=0),
    Params(downtime_jail_duration_ns=0),
    Params(max_evidence_age_ns=0),
    Params(max_evidence_age_blocks=0),
])
def test_invalid_params(params):
    with pytest.raises(SuretyError) as info:
        validate_genesis(GenesisState(params=params))
    assert ErrInvalidParams.is_(info.value)
