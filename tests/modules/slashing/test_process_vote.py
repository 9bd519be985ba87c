"""Begin-block liveness: the signed-blocks window, the downtime slash and jail, and the reset after it."""
from __future__ import annotations

from suretychain.modules.slashing.liveness import compute_max_missed, compute_min_signed
from suretychain.modules.slashing.params import Params
from suretychain.core.dec import Dec

from .helpers import (
    POWER,
    WINDOW,
    make_offline_until_jailed,
    signing_info,
    slashing_chain,
    slashing_events,
    tokens,
    validator,
)


def test_offline_validator_is_slashed_one_percent_and_jailed_after_the_window():
    chain = slashing_chain()
    cons = chain.consensus_address("val1")
    supply_before = chain.query("bank/supply", denom="usrt")["supply"][0]["amount"]
    jailed_at = make_offline_until_jailed(chain, "val1")
    # Votes start at height 2 (for block 1); the window ends after height start + WINDOW = 10
    assert jailed_at == WINDOW + 1
    assert tokens(chain, "val1") == 10**12 - 10**12 // 100
    assert chain.query("bank/supply", denom="usrt")["supply"][0]["amount"] == supply_before - 10**10
    info = signing_info(chain, "val1")
    assert info["jailed_until_ns"] == chain.block_times[jailed_at] + 600 * 10**9
    assert (info["missed_blocks_counter"], info["index_offset"]) == (0, 0)
    # H + 2: still in the set for the next height, gone the one after
    assert cons in chain.validator_set(jailed_at + 1)
    assert cons not in chain.validator_set(jailed_at + 2)


def test_downtime_event_reports_the_infraction_two_blocks_back():
    chain = slashing_chain()
    chain.set_offline("val2", 12)
    for _ in range(WINDOW):
        result = chain.next_block()
    punished = slashing_events(result, "ValidatorPunished")
    assert punished == [{"consensus_address": chain.consensus_address("val2").hex(), "reason": "downtime",
                         "power": str(POWER), "infraction_height": str(chain.height - 2), "fraction": "0.01",
                         "burned": str(10**10), "jailed_until_ns": str(chain.time_ns + 600 * 10**9)}]
    missed = slashing_events(result, "BlockMissed")
    assert missed == [{"consensus_address": chain.consensus_address("val2").hex(), "missed_blocks": str(WINDOW),
                       "height": str(chain.height)}]


def test_missing_up_to_the_allowance_is_not_slashed():
    chain = slashing_chain()
    chain.set_offline("val1", 4)  # misses blocks 1..5 (voted on at heights 2..6): exactly max missed
    chain.advance(5)
    assert signing_info(chain, "val1")["missed_blocks_counter"] == 5
    chain.advance(3 * WINDOW)
    assert not validator(chain, "val1")["jailed"] and tokens(chain, "val1") == 10**12
    # Signed votes overwrite the missed bits as the window rolls on
    assert signing_info(chain, "val1")["missed_blocks_counter"] == 0


def test_missing_one_more_than_the_allowance_is_slashed():
    chain = slashing_chain()
    chain.set_offline("val1", 5)  # misses blocks 1..6
    chain.advance(WINDOW)
    assert validator(chain, "val1")["jailed"]


def test_jailed_validator_votes_are_not_counted():
    chain = slashing_chain()
    jailed_at = make_offline_until_jailed(chain, "val1")
    chain.advance(3)  # val1 is still in the last commits of jailed_at + 1 and + 2
    info = signing_info(chain, "val1")
    assert (info["index_offset"], info["missed_blocks_counter"]) == (0, 0)
    assert chain.height == jailed_at + 3 and tokens(chain, "val1") == 10**12 - 10**10


def test_min_signed_rounds_half_to_even():
    assert compute_min_signed(Params(signed_blocks_window=5, min_signed_per_window=Dec.from_str("0.5"))) == 2
    assert compute_min_signed(Params(signed_blocks_window=7, min_signed_per_window=Dec.from_str("0.5"))) == 4
    assert compute_max_missed(Params()) == 50
