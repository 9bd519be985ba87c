"""Court genesis: the default court tree, validation, and export/import of a chain with an open dispute."""
from __future__ import annotations

import msgspec
import pytest

from suretychain.core.encoding import Address
from suretychain.core.errors import SuretyError
from suretychain.core.genesis import decode_genesis, decode_module_state, encode_genesis
from suretychain.core.store import CommitStore
from suretychain.modules.court.genesis import default_genesis, export_genesis, init_genesis, validate_genesis
from suretychain.modules.court.invariants import check_sum_trees
from suretychain.modules.court.params import CourtParams
from suretychain.modules.court.sumtree import get_tree_total
from suretychain.modules.court.types import Court, GenesisState, Juror, JurorStake, MsgStakeJuror
from tests.modules.court.helpers import JURORS, MsgOpenTestDispute, bare_court, commit, court_chain, drawn, \
    make_app_with_creator, ok, open_dispute, read_state, stake, until_period


def stake_msg(chain, who: str, court: int, amount: int) -> MsgStakeJuror:
    return MsgStakeJuror(juror=chain.address(who), court=court, amount=amount)


def test_default_tree():
    courts = default_genesis().courts
    assert [(c.id, c.parent, c.name) for c in courts] == [
        (1, 0, "general"), (2, 1, "software security"), (3, 2, "python"), (4, 2, "javascript"), (5, 2, "rust"),
        (6, 2, "solidity"), (7, 2, "validators"), (8, 2, "services")]
    validate_genesis(default_genesis())


@pytest.mark.parametrize("state", [
    GenesisState(courts=[Court(id=2, parent=1, name="orphan", params=CourtParams())]),
    GenesisState(courts=[Court(id=1, parent=0, name="g", params=CourtParams(max_rounds=0))]),
    GenesisState(courts=default_genesis().courts, stakes=[JurorStake(
        juror=Address("sure1qrdwe0rasrq24keg3qgct95xada7ayle0jg2rw"), court=3, amount=5)], jurors=[]),
])
def test_invalid_genesis(state):
    with pytest.raises(SuretyError):
        validate_genesis(state)


def test_export_import_round_trip_with_open_dispute(monkeypatch):
    chain = court_chain(monkeypatch)
    for name in JURORS[:4]:
        ok(stake(chain, name, 4, 5_000))  # javascript: a child of software security (2)
    dispute_id = open_dispute(chain, court=2)
    until_period(chain, dispute_id, "commit")
    ok(commit(chain, drawn(chain, dispute_id)[0][0], dispute_id, 0, 1))
    doc = decode_genesis(encode_genesis(chain.export_genesis()))
    fresh = make_app_with_creator(CommitStore(None))
    result = fresh.init_chain(doc)
    assert result.app_hash == chain.app_hash()


def test_export_import_round_trip_with_undrawn_rounds_and_snapshot_versions(monkeypatch):
    chain = court_chain(monkeypatch)
    for name in JURORS[:4]:
        ok(stake(chain, name, 3, 5_000))
    parties = [chain.address("alice"), chain.address("bob")]

    def opening(who: str, court: int) -> bytes:
        return chain.sign(who, MsgOpenTestDispute(creator=chain.address(who), court=court, parties=parties))
    # two blocks (the draw delay is 2): each stake change writes a version above the rounds' snapshots
    for txs in ([opening("alice", 3), chain.sign("juror0", stake_msg(chain, "juror0", 3, 7_000))],
                [opening("bob", 2), chain.sign("juror5", stake_msg(chain, "juror5", 4, 9_000))]):
        assert all(r.code == 0 for r in chain.next_block(txs=txs).tx_results)
    keeper, ctx = read_state(chain)
    assert [r.drawn for d in keeper.iter_disputes(ctx) for r in d.rounds] == [False, False]
    assert keeper.get_tree_meta(ctx, 3).open_epochs and keeper.get_tree_meta(ctx, 2).open_epochs
    exported = chain.export_genesis()
    state = decode_module_state("court", bytes(exported.app_state["court"]), GenesisState)
    assert state.tree_nodes and any(n.epoch > 0 for n in state.tree_nodes)
    fresh = make_app_with_creator(CommitStore(None))
    assert fresh.init_chain(decode_genesis(encode_genesis(exported))).app_hash == chain.app_hash()


def test_fresh_genesis_builds_the_trees_from_the_stakes():
    courts = default_genesis().courts
    addresses = [Address.from_raw(bytes([i + 1]) * 20) for i in range(40)]
    stakes = [JurorStake(juror=a, court=3 + i % 3, amount=1_000 + i) for i, a in enumerate(addresses)]
    jurors = [Juror(juror=s.juror, staked=s.amount) for s in stakes]
    state = GenesisState(courts=courts, stakes=stakes, jurors=jurors)
    validate_genesis(state)
    keeper, ctx = bare_court()
    init_genesis(keeper, ctx, state)
    assert check_sum_trees(keeper, ctx) is None
    assert get_tree_total(keeper, ctx, 1) == sum(s.amount for s in stakes)
    assert get_tree_total(keeper, ctx, 4) == sum(s.amount for s in stakes if s.court == 4)
    again, again_ctx = bare_court()
    init_genesis(again, again_ctx, export_genesis(keeper, ctx))  # exported trees are taken verbatim
    assert list(again.iter_tree_nodes(again_ctx)) == list(keeper.iter_tree_nodes(ctx))
    assert check_sum_trees(again, again_ctx) is None


def test_invalid_undrawn_round_without_trees(monkeypatch):
    chain = court_chain(monkeypatch)
    ok(stake(chain, "juror0", 3, 5_000))
    open_dispute(chain)
    state = decode_module_state("court", bytes(chain.export_genesis().app_state["court"]), GenesisState)
    with pytest.raises(SuretyError):
        validate_genesis(msgspec.structs.replace(state, tree_metas=[], tree_nodes=[]))
