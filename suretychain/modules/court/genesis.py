"""Court genesis: the default court tree, validate, init, export."""
from __future__ import annotations

from suretychain.core.context import Context
from suretychain.core.encoding import Address
from suretychain.core.errors import SuretyError, require
from suretychain.modules.court.errors import ErrInvalidGenesis
from suretychain.modules.court.keeper import CourtKeeper
from suretychain.modules.court.params import CourtParams, validate_court_params, validate_params
from suretychain.modules.court.sumtree import build_tree
from suretychain.modules.court.types import Court, GenesisState, JurorStake, TreeNode

GENERAL, SOFTWARE_SECURITY = 1, 2
LEAF_COURTS = ("python", "javascript", "rust", "solidity", "validators", "services")


def default_courts() -> list[Court]:
    """general (1) → software security (2) → python, javascript, rust, solidity, validators, services (3..8)."""
    courts = [Court(id=GENERAL, parent=0, name="general", params=CourtParams()),
              Court(id=SOFTWARE_SECURITY, parent=GENERAL, name="software security", params=CourtParams())]
    courts += [Court(id=3 + i, parent=SOFTWARE_SECURITY, name=name, params=CourtParams())
               for i, name in enumerate(LEAF_COURTS)]
    return courts


def default_genesis() -> GenesisState:
    return GenesisState(courts=default_courts())


def validate_genesis(state: GenesisState) -> None:
    """Params valid; courts form a tree rooted at id 1 with parents listed first; stakes sum to the jurors."""
    try:
        validate_params(state.params)
        for court in state.courts:
            validate_court_params(court.params)
    except SuretyError as exc:
        raise ErrInvalidGenesis(exc.log) from None
    seen: set[int] = set()
    for court in state.courts:
        require(court.id not in seen and court.id >= 1, ErrInvalidGenesis, f"court id {court.id}")
        require(court.parent in seen or (court.parent == 0 and court.id == GENERAL), ErrInvalidGenesis,
                f"court {court.id}: parent {court.parent} must come first")
        seen.add(court.id)
    totals: dict[bytes, int] = {}
    for stake in state.stakes:
        require(stake.court in seen, ErrInvalidGenesis, f"stake in unknown court {stake.court}")
        totals[stake.juror.raw] = totals.get(stake.juror.raw, 0) + stake.amount
    listed = {juror.juror.raw for juror in state.jurors}
    require(set(totals) <= listed, ErrInvalidGenesis, "a stake without its juror record")
    for juror in state.jurors:
        require(totals.get(juror.juror.raw, 0) == juror.staked, ErrInvalidGenesis, f"juror {juror.juror} stakes")
        require(juror.locked <= juror.staked, ErrInvalidGenesis, f"juror {juror.juror} locks more than it stakes")
    # An undrawn round reads its snapshot: only exported trees hold it
    undrawn = any(not r.drawn for d in state.disputes if not d.final for r in d.rounds)
    require(state.tree_metas or not undrawn, ErrInvalidGenesis, "undrawn rounds without the courts' sum trees")
    metas = {meta.court for meta in state.tree_metas}
    require(metas <= seen and {node.court for node in state.tree_nodes} <= metas, ErrInvalidGenesis,
            "tree nodes or metas of unknown courts")


def compute_subtree_stakes(courts: list[Court], stakes: list[JurorStake]) -> dict[int, dict[bytes, int]]:
    """Per court, each juror's stake in it and its descendants (``courts`` list parents first)."""
    parent = {court.id: court.parent for court in courts}
    found: dict[int, dict[bytes, int]] = {court.id: {} for court in courts}
    for stake in stakes:
        court_id = stake.court
        while court_id:
            weights = found[court_id]
            weights[stake.juror.raw] = weights.get(stake.juror.raw, 0) + stake.amount
            court_id = parent[court_id]
    return found


def init_trees(keeper: CourtKeeper, ctx: Context, state: GenesisState) -> None:
    """The exported trees verbatim (their leaf index and free leaves follow from the current leaves); without
    them, each court's tree is built in bulk from the stakes, leaves in address order."""
    if not state.tree_metas:
        for court_id, weights in compute_subtree_stakes(state.courts, state.stakes).items():
            if weights:
                build_tree(keeper, ctx, court_id, sorted(weights.items()))
        return
    for meta in state.tree_metas:
        keeper.set_tree_meta(ctx, meta)
    current: set[tuple[int, int]] = set()
    for node in sorted(state.tree_nodes, key=lambda n: (n.court, n.level, n.index, -n.epoch)):
        juror = node.juror.raw if node.juror is not None else b""
        keeper.set_node_version(ctx, node.court, node.level, node.index, node.epoch, node.weight, juror)
        if node.level == 0 and (node.court, node.index) not in current:
            current.add((node.court, node.index))
            if node.weight:
                keeper.set_leaf_of(ctx, node.court, juror, node.index)
            else:
                keeper.add_free_leaf(ctx, node.court, node.index)


def init_genesis(keeper: CourtKeeper, ctx: Context, state: GenesisState) -> None:
    keeper.set_params(ctx, state.params)
    keeper.set_counters(ctx, state.counters)
    for court in state.courts:
        keeper.set_court(ctx, court)
    for stake in state.stakes:
        keeper.set_stake(ctx, stake.juror, stake.court, stake.amount)
    for juror in state.jurors:
        keeper.set_juror(ctx, juror)
    for withdrawal in state.withdrawals:
        keeper.set_withdrawal(ctx, withdrawal)
    for dispute in state.disputes:
        keeper.set_dispute(ctx, dispute)
    for share in state.community:
        keeper.add_community(ctx, share.court, share.amount)
    for entry in state.votes:
        keeper.set_vote(ctx, entry.dispute_id, entry.round, entry.vote)
    for item in state.evidence:
        keeper.set_evidence(ctx, item.dispute_id, item.index, item.evidence)
    for record in state.history:
        keeper.set_juror_round(ctx, record)
    for summary in state.summaries:
        keeper.set_summary(ctx, summary)
    for item in state.contributions:
        keeper.set_contribution(ctx, item)
    init_trees(keeper, ctx, state)


def export_tree_nodes(keeper: CourtKeeper, ctx: Context) -> list[TreeNode]:
    return [TreeNode(court=court, level=level, index=index, epoch=epoch, weight=weight,
                     juror=Address.from_raw(juror) if juror else None)
            for court, level, index, epoch, weight, juror in keeper.iter_tree_nodes(ctx)]


def export_genesis(keeper: CourtKeeper, ctx: Context) -> GenesisState:
    """Everything, in store order (the sum trees verbatim, so an import gives the same app hash)."""
    return GenesisState(params=keeper.get_params(ctx), courts=list(keeper.iter_courts(ctx)),
                        counters=keeper.get_counters(ctx), stakes=list(keeper.iter_stakes(ctx)),
                        jurors=list(keeper.iter_jurors(ctx)), withdrawals=list(keeper.iter_withdrawals(ctx)),
                        disputes=list(keeper.iter_disputes(ctx)), community=list(keeper.iter_community(ctx)),
                        votes=list(keeper.iter_all_votes(ctx)), evidence=list(keeper.iter_all_evidence(ctx)),
                        history=list(keeper.iter_all_juror_rounds(ctx)), summaries=list(keeper.iter_summaries(ctx)),
                        tree_metas=list(keeper.iter_tree_metas(ctx)), tree_nodes=export_tree_nodes(keeper, ctx),
                        contributions=list(keeper.iter_contributions(ctx)))
