"""Begin-block evidence: double signing is slashed 5%, jailed forever and tombstoned; stale or repeated evidence
is ignored; unbonding and redelegation entries created at or after the infraction height are slashed too."""
from __future__ import annotations

import dataclasses

from suretychain.core.context import Misbehavior
from suretychain.core.dec import Dec, Rounding
from suretychain.core.tx import Coin
from suretychain.modules.slashing.params import Params
from suretychain.modules.slashing.types import JAILED_FOREVER_NS
from suretychain.modules.staking.types import MsgBeginRedelegate, MsgDelegate, MsgUndelegate

from .helpers import MINIMAL, POWER, signing_info, slashing_chain, slashing_events, tokens, validator


def usrt(amount: int) -> Coin:
    return Coin(denom="usrt", amount=amount)


def test_double_sign_is_slashed_tombstoned_and_jailed_forever():
    chain = slashing_chain()
    chain.advance(3)
    evidence = chain.double_sign("val2")
    result = chain.next_block()
    assert tokens(chain, "val2") == 10**12 - 5 * 10**10
    info = signing_info(chain, "val2")
    assert info["tombstoned"] and info["jailed_until_ns"] == JAILED_FOREVER_NS
    v = validator(chain, "val2")
    assert v["tombstoned"] and v["jailed"]
    assert slashing_events(result, "ValidatorPunished") == [{
        "consensus_address": evidence.validator_address.hex(), "reason": "double_sign", "power": str(POWER),
        "infraction_height": str(evidence.height - 1), "fraction": "0.05", "burned": str(5 * 10**10),
        "jailed_until_ns": str(JAILED_FOREVER_NS)}]
    assert chain.consensus_address("val2") not in chain.validator_set(chain.height + 2)


def test_light_client_attack_is_punished_like_a_duplicate_vote():
    chain = slashing_chain()
    evidence = dataclasses.replace(chain.double_sign("val1"), kind="light_client_attack")
    chain.next_block(misbehavior=(evidence,))
    assert signing_info(chain, "val1")["tombstoned"] and tokens(chain, "val1") == 10**12 - 5 * 10**10


def test_evidence_against_a_tombstoned_validator_is_ignored():
    chain = slashing_chain()
    chain.double_sign("val2")
    chain.next_block()
    after_first = tokens(chain, "val2")
    chain.double_sign("val2", height=chain.height - 1)
    result = chain.next_block()
    assert tokens(chain, "val2") == after_first
    assert [e["reason"] for e in slashing_events(result, "EvidenceIgnored")] == ["tombstoned"]


def test_evidence_too_old_in_time_and_blocks_is_ignored():
    chain = slashing_chain(Params(signed_blocks_window=10, max_evidence_age_ns=5 * 10**9, max_evidence_age_blocks=5))
    chain.advance(2)
    evidence = chain.double_sign("val1")  # queued for the next block: take it out and replay it later
    chain.pending_evidence.clear()
    chain.advance(6)  # 6 blocks and 6 seconds old: both ages exceeded
    result = chain.next_block(misbehavior=(evidence,))
    assert [e["reason"] for e in slashing_events(result, "EvidenceIgnored")] == ["too_old"]
    assert tokens(chain, "val1") == 10**12 and not signing_info(chain, "val1")["tombstoned"]


def test_evidence_old_in_blocks_only_is_punished():
    chain = slashing_chain(Params(signed_blocks_window=10, max_evidence_age_ns=5 * 10**9, max_evidence_age_blocks=5))
    chain.advance(2)
    evidence = chain.double_sign("val1")
    chain.pending_evidence.clear()
    chain.advance(10, seconds=0)  # 11 blocks but no time later: CometBFT needs both ages exceeded
    chain.next_block(seconds=0, misbehavior=(evidence,))
    assert signing_info(chain, "val1")["tombstoned"] and tokens(chain, "val1") == 10**12 - 5 * 10**10


def test_evidence_of_unknown_kind_or_validator_is_ignored():
    chain = slashing_chain()
    real = chain.double_sign("val1")
    chain.pending_evidence.clear()
    odd = dataclasses.replace(real, kind="something_else")
    stranger = dataclasses.replace(real, validator_address=bytes(20))
    result = chain.next_block(misbehavior=(odd, stranger))
    assert [e["reason"] for e in slashing_events(result, "EvidenceIgnored")] == ["unknown_kind", "unknown_validator"]
    assert tokens(chain, "val1") == 10**12


STAKING_GAS = 1_000_000  # staking msgs reach distribution's records through hooks


def test_entries_created_at_or_after_the_infraction_height_are_slashed():
    chain = slashing_chain()
    alice, val1, val2 = chain.address("alice"), chain.valoper("val1"), chain.valoper("val2")
    assert chain.deliver("alice", MsgDelegate(delegator=alice, validator=val1, amount=usrt(10**11)), gas=STAKING_GAS).code == 0
    assert chain.deliver("alice", MsgUndelegate(delegator=alice, validator=val1, amount=usrt(10**10)), gas=STAKING_GAS).code == 0
    old_unbonding_at = chain.height
    assert chain.deliver("alice", MsgBeginRedelegate(delegator=alice, src_validator=val1, dst_validator=val2,
                                                     amount=usrt(10**10)), gas=STAKING_GAS).code == 0
    chain.next_block()
    assert chain.deliver("alice", MsgUndelegate(delegator=alice, validator=val1, amount=usrt(2 * 10**10)), gas=STAKING_GAS).code == 0
    infraction_height = chain.height  # this unbonding is created exactly at the infraction height
    assert chain.deliver("alice", MsgBeginRedelegate(delegator=alice, src_validator=val1, dst_validator=val2,
                                                     amount=usrt(3 * 10**10)), gas=STAKING_GAS).code == 0
    evidence = chain.double_sign("val1", height=infraction_height + 1)  # infraction height = evidence height - 1
    val1_before = tokens(chain, "val1")
    val2_before = tokens(chain, "val2")
    chain.next_block()

    fraction = Dec.from_str("0.05")
    new_unbonding_owed = fraction.mul_int(2 * 10**10, Rounding.DOWN)  # 10^9
    new_redelegation_owed = fraction.mul_int(3 * 10**10, Rounding.DOWN)  # 1.5 * 10^9 (val2 is at 1 share per token)
    target = fraction.mul_int(evidence.validator_power * 10**6, Rounding.DOWN)
    # The power that signed at the evidence height (H + 2): +10^11 delegated, -10^10 unbonded, -10^10 redelegated;
    # the entries created at the infraction height itself are not in it yet
    assert evidence.validator_power == POWER + 10**5 - 2 * 10**4
    assert tokens(chain, "val1") == val1_before - (target - new_unbonding_owed - new_redelegation_owed)
    assert tokens(chain, "val2") == val2_before - new_redelegation_owed
    balances = {e["creation_height"]: e["balance"]
                for u in chain.query("staking/unbonding", delegator=str(alice))["unbonding_delegations"]
                for e in u["entries"]}
    assert balances == {old_unbonding_at: 10**10, infraction_height: 2 * 10**10 - new_unbonding_owed}
    delegation = chain.query("staking/delegation", delegator=str(alice), validator=str(val2))
    assert delegation["balance"] == 4 * 10**10 - new_redelegation_owed


def test_evidence_from_the_future_is_ignored():
    chain = slashing_chain()
    future = Misbehavior(kind="duplicate_vote", validator_address=chain.consensus_address("val1"),
                         validator_power=POWER, height=chain.height + 5, time_ns=chain.time_ns,
                         total_voting_power=4 * POWER)
    result = chain.next_block(misbehavior=(future,))
    assert [e["reason"] for e in slashing_events(result, "EvidenceIgnored")] == ["future"]


def test_minimal_preset_keeps_the_double_sign_defaults():
    assert MINIMAL.slash_fraction_double_sign == Dec.from_str("0.05")
