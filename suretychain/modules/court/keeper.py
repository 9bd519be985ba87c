"""Court keeper: typed get_/set_/iter_ accessors over the court prefix, the declared keepers, and the ruling
callbacks registered per creator module (wiring, like hooks: never state)."""
from __future__ import annotations

from typing import Callable, Iterator

from suretychain.core.context import Context
from suretychain.core.encoding import Address, decode_record, encode
from suretychain.core.keeper import ModuleKeeper
from suretychain.core.kv import prefix_end
from suretychain.modules.court import keys
from suretychain.modules.court.expected import BankKeeper, BeaconKeeper
from suretychain.modules.court.params import Params
from suretychain.modules.court.types import (
    AppealContribution,
    CommunityShare,
    Counters,
    Court,
    Dispute,
    DisputeEvidence,
    Evidence,
    Juror,
    JurorRound,
    JurorStake,
    JurorSummary,
    RoundVote,
    Ruling,
    TreeMeta,
    Vote,
    Withdrawal,
)

RulingCallback = Callable[[Context, int, Ruling], None]
NodeVersion = tuple[int, int, bytes]  # (epoch, weight, juror raw bytes; empty for an internal node)
WEIGHT_BYTES = 16  # a node's weight: 128-bit big-endian (sums of 64-bit stakes over up to 2^64 leaves)


def encode_node(weight: int, juror: bytes = b"") -> bytes:
    """A sum-tree node value: its weight, then (for a leaf) the juror's 20 bytes."""
    return weight.to_bytes(WEIGHT_BYTES, "big") + juror


def decode_node(raw: bytes) -> tuple[int, bytes]:
    return int.from_bytes(raw[:WEIGHT_BYTES], "big"), raw[WEIGHT_BYTES:]


class CourtKeeper(ModuleKeeper):
    STORE_PREFIX = keys.STORE_PREFIX
    PARAMS_TYPE = Params

    def __init__(self, bank: BankKeeper, beacon: BeaconKeeper) -> None:
        self.bank = bank
        self.beacon = beacon
        self.ruling_callbacks: dict[str, RulingCallback] = {}

    def register_creator(self, module: str, on_ruling: RulingCallback) -> None:
        """Let ``module`` open disputes; ``on_ruling(ctx, dispute_id, ruling)`` receives their final rulings."""
        self.ruling_callbacks[module] = on_ruling

    def open_dispute(self, ctx: Context, creator_module: str, court: int, question: str, parties: list[Address],
                     excluded_accounts: list[Address], juror_count: int = 3, arbitration_fee: int = 0,
                     options: list[str] | None = None, payer: Address | None = None) -> int:
        """Open a dispute (see ``disputes.open_dispute``); returns its id."""
        from suretychain.modules.court.disputes import open_dispute
        return open_dispute(self, ctx, creator_module, court, question, parties, excluded_accounts, juror_count,
                            arbitration_fee, options or ["no", "yes"], payer)

    # ---- counters --------------------------------------------------------------------------------------------
    def get_counters(self, ctx: Context) -> Counters:
        raw = self._kv(ctx).get(keys.COUNTERS_KEY)
        return decode_record(raw, Counters) if raw else Counters()

    def set_counters(self, ctx: Context, counters: Counters) -> None:
        self._kv(ctx).set(keys.COUNTERS_KEY, encode(counters))

    # ---- courts ----------------------------------------------------------------------------------------------
    def get_court(self, ctx: Context, court_id: int) -> Court | None:
        raw = self._kv(ctx).get(keys.court_key(court_id))
        return decode_record(raw, Court) if raw else None

    def set_court(self, ctx: Context, court: Court) -> None:
        self._kv(ctx).set(keys.court_key(court.id), encode(court))

    def iter_courts(self, ctx: Context) -> Iterator[Court]:
        for _, raw in self._kv(ctx).iterate_prefix(keys.COURT):
            yield decode_record(raw, Court)

    # ---- stakes and jurors -----------------------------------------------------------------------------------
    def get_stake(self, ctx: Context, juror: Address, court_id: int) -> int:
        raw = self._kv(ctx).get(keys.stake_key(juror.raw, court_id))
        return decode_record(raw, JurorStake).amount if raw else 0

    def set_stake(self, ctx: Context, juror: Address, court_id: int, amount: int) -> None:
        key = keys.stake_key(juror.raw, court_id)
        if amount == 0:
            self._kv(ctx).delete(key)
        else:
            self._kv(ctx).set(key, encode(JurorStake(juror=juror, court=court_id, amount=amount)))

    def iter_stakes(self, ctx: Context) -> Iterator[JurorStake]:
        for _, raw in self._kv(ctx).iterate_prefix(keys.STAKE):
            yield decode_record(raw, JurorStake)

    def iter_juror_stakes(self, ctx: Context, juror: Address) -> list[JurorStake]:
        return [decode_record(raw, JurorStake) for _, raw in self._kv(ctx).iterate_prefix(keys.STAKE + juror.raw)]

    def get_juror(self, ctx: Context, juror: Address) -> Juror:
        raw = self._kv(ctx).get(keys.juror_key(juror.raw))
        return decode_record(raw, Juror) if raw else Juror(juror=juror)

    def set_juror(self, ctx: Context, juror: Juror) -> None:
        key = keys.juror_key(juror.juror.raw)
        if juror.staked == 0 and juror.locked == 0 and not juror.affiliations:
            self._kv(ctx).delete(key)
        else:
            self._kv(ctx).set(key, encode(juror))

    def iter_jurors(self, ctx: Context) -> Iterator[Juror]:
        for _, raw in self._kv(ctx).iterate_prefix(keys.JUROR):
            yield decode_record(raw, Juror)

    # ---- withdrawals -----------------------------------------------------------------------------------------
    def set_withdrawal(self, ctx: Context, withdrawal: Withdrawal) -> None:
        self._kv(ctx).set(keys.withdrawal_key(withdrawal.release_ns, withdrawal.id), encode(withdrawal))

    def delete_withdrawal(self, ctx: Context, withdrawal: Withdrawal) -> None:
        self._kv(ctx).delete(keys.withdrawal_key(withdrawal.release_ns, withdrawal.id))

    def iter_withdrawals(self, ctx: Context) -> Iterator[Withdrawal]:
        for _, raw in self._kv(ctx).iterate_prefix(keys.WITHDRAWAL):
            yield decode_record(raw, Withdrawal)

    def get_due_withdrawals(self, ctx: Context, time_ns: int) -> list[Withdrawal]:
        return [decode_record(raw, Withdrawal)
                for _, raw in self._kv(ctx).iterate(keys.WITHDRAWAL, keys.withdrawals_until(time_ns))]

    # ---- disputes --------------------------------------------------------------------------------------------
    def get_dispute(self, ctx: Context, dispute_id: int) -> Dispute | None:
        raw = self._kv(ctx).get(keys.dispute_key(dispute_id))
        return decode_record(raw, Dispute) if raw else None

    def set_dispute(self, ctx: Context, dispute: Dispute) -> None:
        """Write a dispute and keep the open index (a final dispute leaves it)."""
        kv = self._kv(ctx)
        kv.set(keys.dispute_key(dispute.id), encode(dispute))
        if dispute.final:
            kv.delete(keys.open_dispute_key(dispute.id))
        else:
            kv.set(keys.open_dispute_key(dispute.id), b"")

    def iter_disputes(self, ctx: Context, start_after: int = 0) -> Iterator[Dispute]:
        """Disputes by id, those after ``start_after`` only."""
        for _, raw in self._kv(ctx).iterate(keys.dispute_key(start_after + 1), prefix_end(keys.DISPUTE)):
            yield decode_record(raw, Dispute)

    def get_open_dispute_ids(self, ctx: Context) -> list[int]:
        return [int.from_bytes(key[-8:], "big") for key, _ in self._kv(ctx).iterate_prefix(keys.OPEN_DISPUTE)]

    # ---- community shares ------------------------------------------------------------------------------------
    def get_community(self, ctx: Context, court_id: int) -> int:
        raw = self._kv(ctx).get(keys.community_key(court_id))
        return decode_record(raw, CommunityShare).amount if raw else 0

    def add_community(self, ctx: Context, court_id: int, amount: int) -> None:
        if amount:
            total = self.get_community(ctx, court_id) + amount
            self._kv(ctx).set(keys.community_key(court_id), encode(CommunityShare(court=court_id, amount=total)))

    def iter_community(self, ctx: Context) -> Iterator[CommunityShare]:
        for _, raw in self._kv(ctx).iterate_prefix(keys.COMMUNITY):
            yield decode_record(raw, CommunityShare)

    # ---- juror history -------------------------------------------------------------------------------------
    def set_juror_round(self, ctx: Context, record: JurorRound) -> None:
        self._kv(ctx).set(keys.juror_round_key(record.juror.raw, record.dispute_id, record.round), encode(record))

    def iter_juror_rounds(self, ctx: Context, juror: Address,
                          after: tuple[int, int] | None = None) -> Iterator[JurorRound]:
        """The juror's records in (dispute, round) order, those after ``(dispute id, round)`` if given."""
        prefix = keys.JUROR_ROUND + juror.raw
        start = prefix if after is None else keys.juror_round_key(juror.raw, *after) + b"\x00"
        for _, raw in self._kv(ctx).iterate(start, prefix_end(prefix)):
            yield decode_record(raw, JurorRound)

    def iter_all_juror_rounds(self, ctx: Context) -> Iterator[JurorRound]:
        for _, raw in self._kv(ctx).iterate_prefix(keys.JUROR_ROUND):
            yield decode_record(raw, JurorRound)

    def get_summary(self, ctx: Context, juror: Address) -> JurorSummary:
        raw = self._kv(ctx).get(keys.juror_summary_key(juror.raw))
        return decode_record(raw, JurorSummary) if raw else JurorSummary(juror=juror)

    def set_summary(self, ctx: Context, summary: JurorSummary) -> None:
        self._kv(ctx).set(keys.juror_summary_key(summary.juror.raw), encode(summary))

    def iter_summaries(self, ctx: Context) -> Iterator[JurorSummary]:
        for _, raw in self._kv(ctx).iterate_prefix(keys.JUROR_SUMMARY):
            yield decode_record(raw, JurorSummary)

    # ---- votes and evidence ----------------------------------------------------------------------------------
    def get_vote(self, ctx: Context, dispute_id: int, round_index: int, juror: bytes) -> Vote | None:
        raw = self._kv(ctx).get(keys.vote_key(dispute_id, round_index, juror))
        return decode_record(raw, Vote) if raw else None

    def set_vote(self, ctx: Context, dispute_id: int, round_index: int, vote: Vote) -> None:
        self._kv(ctx).set(keys.vote_key(dispute_id, round_index, vote.juror.raw), encode(vote))

    def get_round_votes(self, ctx: Context, dispute_id: int, round_index: int) -> list[Vote]:
        """The round's votes in draw order."""
        votes = [decode_record(raw, Vote)
                 for _, raw in self._kv(ctx).iterate_prefix(keys.round_votes_prefix(dispute_id, round_index))]
        return sorted(votes, key=lambda v: v.order)

    def iter_all_votes(self, ctx: Context) -> Iterator[RoundVote]:
        for key, raw in self._kv(ctx).iterate_prefix(keys.VOTE):
            dispute_id, round_index = keys.split_round_key(key)
            yield RoundVote(dispute_id=dispute_id, round=round_index, vote=decode_record(raw, Vote))

    def set_evidence(self, ctx: Context, dispute_id: int, index: int, evidence: Evidence) -> None:
        self._kv(ctx).set(keys.evidence_key(dispute_id, index), encode(evidence))

    def get_evidence(self, ctx: Context, dispute_id: int) -> list[Evidence]:
        prefix = keys.evidence_prefix(dispute_id)
        return [decode_record(raw, Evidence) for _, raw in self._kv(ctx).iterate_prefix(prefix)]

    def iter_all_evidence(self, ctx: Context) -> Iterator[DisputeEvidence]:
        for key, raw in self._kv(ctx).iterate_prefix(keys.EVIDENCE):
            dispute_id, index = keys.split_round_key(key)
            yield DisputeEvidence(dispute_id=dispute_id, index=index, evidence=decode_record(raw, Evidence))

    # ---- appeal contributions ------------------------------------------------------------------------------
    def get_contribution(self, ctx: Context, dispute_id: int, round_index: int, choice: int,
                         funder: Address) -> AppealContribution | None:
        raw = self._kv(ctx).get(keys.contribution_key(dispute_id, round_index, choice, funder.raw))
        return decode_record(raw, AppealContribution) if raw else None

    def set_contribution(self, ctx: Context, item: AppealContribution) -> None:
        key = keys.contribution_key(item.dispute_id, item.round, item.choice, item.funder.raw)
        self._kv(ctx).set(key, encode(item))

    def get_side_contributions(self, ctx: Context, dispute_id: int, round_index: int,
                               choice: int) -> list[AppealContribution]:
        prefix = keys.side_contributions_prefix(dispute_id, round_index, choice)
        return [decode_record(raw, AppealContribution) for _, raw in self._kv(ctx).iterate_prefix(prefix)]

    def get_round_contributions(self, ctx: Context, dispute_id: int, round_index: int) -> list[AppealContribution]:
        prefix = keys.round_contributions_prefix(dispute_id, round_index)
        return [decode_record(raw, AppealContribution) for _, raw in self._kv(ctx).iterate_prefix(prefix)]

    def iter_contributions(self, ctx: Context) -> Iterator[AppealContribution]:
        for _, raw in self._kv(ctx).iterate_prefix(keys.CONTRIBUTION):
            yield decode_record(raw, AppealContribution)

    # ---- sum trees -------------------------------------------------------------------------------------------
    def get_tree_meta(self, ctx: Context, court_id: int) -> TreeMeta:
        raw = self._kv(ctx).get(keys.tree_meta_key(court_id))
        return decode_record(raw, TreeMeta) if raw else TreeMeta(court=court_id)

    def set_tree_meta(self, ctx: Context, meta: TreeMeta) -> None:
        self._kv(ctx).set(keys.tree_meta_key(meta.court), encode(meta))

    def iter_tree_metas(self, ctx: Context) -> Iterator[TreeMeta]:
        for _, raw in self._kv(ctx).iterate_prefix(keys.TREE_META):
            yield decode_record(raw, TreeMeta)

    def get_node_versions(self, ctx: Context, court_id: int, level: int, index: int) -> list[NodeVersion]:
        """Every stored version of one node, newest epoch first."""
        found = []
        for key, raw in self._kv(ctx).iterate_prefix(keys.tree_node_prefix(court_id, level, index)):
            found.append((keys.split_tree_node_key(key)[3], *decode_node(raw)))
        return found

    def set_node_version(self, ctx: Context, court_id: int, level: int, index: int, epoch: int, weight: int,
                         juror: bytes = b"") -> None:
        self._kv(ctx).set(keys.tree_node_key(court_id, level, index, epoch), encode_node(weight, juror))

    def delete_node_version(self, ctx: Context, court_id: int, level: int, index: int, epoch: int) -> None:
        self._kv(ctx).delete(keys.tree_node_key(court_id, level, index, epoch))

    def iter_node_range(self, ctx: Context, court_id: int, level: int, first: int,
                        end: int) -> Iterator[tuple[int, int, int, bytes]]:
        """(index, epoch, weight, juror) of every version of nodes ``first`` .. ``end - 1`` of a level: one range."""
        start, stop = keys.tree_node_prefix(court_id, level, first), keys.tree_node_prefix(court_id, level, end)
        for key, raw in self._kv(ctx).iterate(start, stop):
            _, _, index, epoch = keys.split_tree_node_key(key)
            yield (index, epoch, *decode_node(raw))

    def iter_tree_nodes(self, ctx: Context,
                        court_id: int | None = None) -> Iterator[tuple[int, int, int, int, int, bytes]]:
        """(court, level, index, epoch, weight, juror) of every node version, in store order."""
        prefix = keys.TREE_NODE if court_id is None else keys.tree_nodes_prefix(court_id)
        for key, raw in self._kv(ctx).iterate_prefix(prefix):
            yield (*keys.split_tree_node_key(key), *decode_node(raw))

    def get_leaf_of(self, ctx: Context, court_id: int, juror: bytes) -> int | None:
        raw = self._kv(ctx).get(keys.tree_leaf_of_key(court_id, juror))
        return int.from_bytes(raw, "big") if raw else None

    def set_leaf_of(self, ctx: Context, court_id: int, juror: bytes, index: int) -> None:
        self._kv(ctx).set(keys.tree_leaf_of_key(court_id, juror), keys.u64(index))

    def delete_leaf_of(self, ctx: Context, court_id: int, juror: bytes) -> None:
        self._kv(ctx).delete(keys.tree_leaf_of_key(court_id, juror))

    def iter_leaves_of(self, ctx: Context, court_id: int) -> Iterator[tuple[bytes, int]]:
        prefix = keys.tree_leaves_of_prefix(court_id)
        for key, raw in self._kv(ctx).iterate_prefix(prefix):
            yield key[len(prefix):], int.from_bytes(raw, "big")

    def pop_free_leaf(self, ctx: Context, court_id: int) -> int | None:
        """The lowest free leaf of the court's tree, taken off the free list (None if there is none)."""
        kv = self._kv(ctx)
        for key, _ in kv.iterate_prefix(keys.tree_free_prefix(court_id)):
            kv.delete(key)
            return keys.split_tree_free_key(key)
        return None

    def add_free_leaf(self, ctx: Context, court_id: int, index: int) -> None:
        self._kv(ctx).set(keys.tree_free_key(court_id, index), b"")

    def iter_free_leaves(self, ctx: Context, court_id: int) -> list[int]:
        return [keys.split_tree_free_key(k) for k, _ in self._kv(ctx).iterate_prefix(keys.tree_free_prefix(court_id))]

