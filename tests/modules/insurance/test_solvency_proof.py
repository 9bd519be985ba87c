"""The seed's transparency check: the solvency query at a past height, with proofs, verified against that height's
app hash by ``suretychain.core.proof`` (through the SDK's verifier), and the answer recomputed from the proven
records."""
from __future__ import annotations

import msgspec
import pytest

from suretychain.client.client import QueryAnswer
from suretychain.client.proofs import verify_query_answer
from suretychain.core.dec import Dec
from suretychain.core.encoding import decode_record, to_json
from suretychain.core.proof import ProofError
from suretychain.modules.insurance import keys
from suretychain.modules.insurance.solvency import compute_max_unbond, compute_total_refund
from suretychain.modules.insurance.types import Exposure
from suretychain.modules.slashing.params import Params as SlashingParams

from .helpers import buy_ok, create_term, delegate, insurance_chain


def prove_solvency(chain, val: str, height: int) -> QueryAnswer:  # noqa: ANN001
    params = {"validator": str(chain.valoper(val))}
    result = chain.app.query("insurance/solvency", to_json(params), height, prove=True)
    assert result.code == 0, result.log
    return QueryAnswer(value=msgspec.json.decode(result.value), height=result.height, proofs=result.proofs)


def test_solvency_at_a_height_is_proven_against_its_app_hash():
    chain = insurance_chain()
    delegate(chain, "alice", "val1", 10**11)
    term = create_term(chain, "val1", coverage="0.8")
    buy_ok(chain, "alice", "val1", term, 5 * 10**10)
    height, app_hash = chain.height, chain.app_hash()
    buy_ok(chain, "alice", "val1", term, 10**10)  # the state moves on
    chain.advance(2)
    answer = prove_solvency(chain, "val1", height)
    params = {"validator": str(chain.valoper("val1"))}
    verify_query_answer("insurance/solvency", params, answer, app_hash, requested_height=height)
    # TotalRefund = 0.8 × 5e10 × 0.05 = 2e9 at that height; MaxUnbond = 1e12 - ceil(2e9 / 0.95) = 997_894_736_842
    value = answer.value
    assert (value["self_bond"], value["total_refund"], value["active_insurances"]) == (10**12, 2 * 10**9, 1)
    assert value["self_bond_after_worst_slash"] == 95 * 10**10 and value["headroom"] == 95 * 10**10 - 2 * 10**9
    assert value["max_unbond"] == 10**12 - -(-2 * 10**9 * 100 // 95) == 997_894_736_842
    # the answer follows from the proven records alone
    reads = {read.key: read.value for read in answer.proofs}
    exposure = decode_record(reads[keys.STORE_PREFIX + keys.exposure_key(chain.valoper("val1").raw)], Exposure)
    slashing = next(decode_record(v, SlashingParams) for k, v in reads.items() if k.startswith(b"slashing/") and v)
    total = compute_total_refund(exposure, slashing, Dec.ONE)  # refund_weight_per_slash
    assert total == value["total_refund"] and exposure.count == 1
    assert compute_max_unbond(value["self_bond"], total, slashing) == value["max_unbond"]
    # the same proofs do not verify against the latest app hash (the exposure changed since)
    with pytest.raises(ProofError):
        verify_query_answer("insurance/solvency", params, answer, chain.app_hash())
