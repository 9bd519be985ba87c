r"""Court store layout: the only place court key bytes are assembled.

| key | value |
|---|---|
| `court/ 0x00` | `Params` |
| `court/ 0x01` | `Counters`: next dispute id, next withdrawal id |
| `court/ 0x11 \| court id(8, BE)` | `Court` |
| `court/ 0x21 \| juror(20) \| court id(8)` | `JurorStake`: a direct stake |
| `court/ 0x22 \| juror(20)` | `Juror`: totals (staked, locked) and affiliations |
| `court/ 0x23 \| release time(8, BE) \| withdrawal id(8)` | `Withdrawal`, oldest release first |
| `court/ 0x24 \| juror(20) \| dispute id(8) \| round(4)` | `JurorRound`: the juror's record of a settled round |
| `court/ 0x25 \| juror(20)` | `JurorSummary`: rounds sat, coherent rounds, total reward and penalty |
| `court/ 0x31 \| dispute id(8, BE)` | `Dispute` with its rounds' counters (no votes, no evidence) |
| `court/ 0x32 \| dispute id(8, BE)` | empty: open disputes (advanced by end-block) |
| `court/ 0x33 \| dispute id(8) \| round(4) \| juror(20)` | `Vote`: one drawn juror's seats and vote |
| `court/ 0x34 \| dispute id(8) \| index(4)` | `Evidence` |
| `court/ 0x35 \| dispute id(8) \| round(4) \| choice(1) \| funder(20)` | `AppealContribution` to one side |
| `court/ 0x41 \| court id(8, BE)` | `CommunityShare`: remainders and unclaimed fees of a court |
| `court/ 0x51 \| court id(8)` | `TreeMeta`: the court's sum tree (leaves, height, epoch, open snapshots) |
| `court/ 0x52 \| court id(8) \| level(1) \| index(8) \| 2^64-1-epoch(8)` | a sum-tree node version (see sumtree.py) |
| `court/ 0x53 \| court id(8) \| juror(20)` | the juror's leaf index(8) in the court's tree |
| `court/ 0x54 \| court id(8) \| index(8)` | empty: a free leaf of the court's tree (lowest reused first) |
"""
from __future__ import annotations

STORE_PREFIX = b"court/"
PARAMS_KEY = b"\x00"
COUNTERS_KEY = b"\x01"
COURT = b"\x11"
STAKE = b"\x21"
JUROR = b"\x22"
WITHDRAWAL = b"\x23"
JUROR_ROUND = b"\x24"
JUROR_SUMMARY = b"\x25"
DISPUTE = b"\x31"
OPEN_DISPUTE = b"\x32"
VOTE = b"\x33"
EVIDENCE = b"\x34"
CONTRIBUTION = b"\x35"
COMMUNITY = b"\x41"
TREE_META = b"\x51"
TREE_NODE = b"\x52"
TREE_LEAF_OF = b"\x53"
TREE_FREE_LEAF = b"\x54"

MAX_EPOCH = 2**64 - 1


def u64(value: int) -> bytes:
    """Big-endian 8 bytes: byte order equals numeric order."""
    return value.to_bytes(8, "big")


def u32(value: int) -> bytes:
    return value.to_bytes(4, "big")


def court_key(court_id: int) -> bytes:
    return COURT + u64(court_id)


def stake_key(juror: bytes, court_id: int) -> bytes:
    return STAKE + juror + u64(court_id)


def juror_key(juror: bytes) -> bytes:
    return JUROR + juror


def withdrawal_key(release_ns: int, withdrawal_id: int) -> bytes:
    return WITHDRAWAL + u64(release_ns) + u64(withdrawal_id)


def withdrawals_until(release_ns: int) -> bytes:
    return WITHDRAWAL + u64(release_ns + 1)


def juror_round_key(juror: bytes, dispute_id: int, round_index: int) -> bytes:
    return JUROR_ROUND + juror + u64(dispute_id) + u32(round_index)


def juror_summary_key(juror: bytes) -> bytes:
    return JUROR_SUMMARY + juror


def dispute_key(dispute_id: int) -> bytes:
    return DISPUTE + u64(dispute_id)


def open_dispute_key(dispute_id: int) -> bytes:
    return OPEN_DISPUTE + u64(dispute_id)


def round_votes_prefix(dispute_id: int, round_index: int) -> bytes:
    return VOTE + u64(dispute_id) + u32(round_index)


def vote_key(dispute_id: int, round_index: int, juror: bytes) -> bytes:
    return round_votes_prefix(dispute_id, round_index) + juror


def evidence_prefix(dispute_id: int) -> bytes:
    return EVIDENCE + u64(dispute_id)


def evidence_key(dispute_id: int, index: int) -> bytes:
    return evidence_prefix(dispute_id) + u32(index)


def split_round_key(key: bytes) -> tuple[int, int]:
    """(dispute id, round or index) of a vote or evidence key (``prefix | dispute(8) | u32 | ...``)."""
    return int.from_bytes(key[1:9], "big"), int.from_bytes(key[9:13], "big")


def round_contributions_prefix(dispute_id: int, round_index: int) -> bytes:
    return CONTRIBUTION + u64(dispute_id) + u32(round_index)


def side_contributions_prefix(dispute_id: int, round_index: int, choice: int) -> bytes:
    return round_contributions_prefix(dispute_id, round_index) + bytes([choice])


def contribution_key(dispute_id: int, round_index: int, choice: int, funder: bytes) -> bytes:
    return side_contributions_prefix(dispute_id, round_index, choice) + funder


def community_key(court_id: int) -> bytes:
    return COMMUNITY + u64(court_id)


def tree_meta_key(court_id: int) -> bytes:
    return TREE_META + u64(court_id)


def tree_nodes_prefix(court_id: int) -> bytes:
    return TREE_NODE + u64(court_id)


def tree_level_prefix(court_id: int, level: int) -> bytes:
    return tree_nodes_prefix(court_id) + bytes([level])


def tree_node_prefix(court_id: int, level: int, index: int) -> bytes:
    """Every version of one node, newest epoch first."""
    return tree_level_prefix(court_id, level) + u64(index)


def tree_node_key(court_id: int, level: int, index: int, epoch: int) -> bytes:
    return tree_node_prefix(court_id, level, index) + u64(MAX_EPOCH - epoch)


def split_tree_node_key(key: bytes) -> tuple[int, int, int, int]:
    """(court, level, index, epoch) of a tree node key."""
    return (int.from_bytes(key[1:9], "big"), key[9], int.from_bytes(key[10:18], "big"),
            MAX_EPOCH - int.from_bytes(key[18:26], "big"))


def tree_leaves_of_prefix(court_id: int) -> bytes:
    return TREE_LEAF_OF + u64(court_id)


def tree_leaf_of_key(court_id: int, juror: bytes) -> bytes:
    return tree_leaves_of_prefix(court_id) + juror


def tree_free_prefix(court_id: int) -> bytes:
    return TREE_FREE_LEAF + u64(court_id)


def tree_free_key(court_id: int, index: int) -> bytes:
    return tree_free_prefix(court_id) + u64(index)


def split_tree_free_key(key: bytes) -> int:
    """The leaf index of a free-leaf key."""
    return int.from_bytes(key[9:], "big")
