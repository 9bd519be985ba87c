"""Court records, msgs, genesis and query types, with their field bounds."""
from __future__ import annotations

from typing import Annotated, ClassVar

import msgspec

from suretychain.core.encoding import Address, Amount, Height, Record, Timestamp
from suretychain.core.tx import Msg
from suretychain.modules.court.params import CourtParams, Params

MODULE = "court"
COURT_ACCOUNT = "court"  # escrow of juror stakes, arbitration and appeal fees, and each court's community share
BPS = 10_000  # basis points: alpha and magnitudes are integers out of BPS
MAX_OPTIONS = 8
MAX_PARTIES = 16
MAX_EXCLUDED = 64
MAX_AFFILIATIONS = 32
MAX_QUESTION_BYTES = 1_000
MAX_EVIDENCE_TEXT = 500
MAX_URI = 256
MAX_REASON_BYTES = 2_000
MAX_JURORS = 511
MAX_FUNDERS_PER_SIDE = 64  # bounds the payout of a round's appeal funding when the dispute becomes final
Id = Annotated[int, msgspec.Meta(ge=0, le=2**63 - 1)]
Bps = Annotated[int, msgspec.Meta(ge=0, le=BPS)]
Digest = Annotated[bytes, msgspec.Meta(min_length=32, max_length=32)]
Salt = Annotated[bytes, msgspec.Meta(min_length=16, max_length=64)]
Reason = Annotated[str, msgspec.Meta(min_length=1, max_length=MAX_REASON_BYTES)]


class Period:
    """Dispute periods, in order (a round that is appealed goes back to EVIDENCE)."""

    EVIDENCE = "evidence"
    COMMIT = "commit"
    REVEAL = "reveal"
    APPEAL = "appeal"
    EXECUTION = "execution"


# ---- records -------------------------------------------------------------------------------------------------------
class Court(Record):
    """A node of the court tree; ``parent`` is 0 for the root (general court, id 1)."""

    id: Id
    parent: Id
    name: Annotated[str, msgspec.Meta(min_length=1, max_length=64)]
    params: CourtParams


class JurorStake(Record):
    """What ``juror`` staked directly in ``court`` (it also counts for every ancestor of ``court``)."""

    juror: Address
    court: Id
    amount: Amount


class Juror(Record):
    """A juror's totals: ``staked`` = sum of its direct stakes = free + ``locked``."""

    juror: Address
    staked: Amount = 0
    locked: Amount = 0
    affiliations: list[str] = []


class Withdrawal(Record):
    """Unstaked tokens waiting out the withdrawal delay (still held by the court account)."""

    id: Id
    juror: Address
    amount: Amount
    release_ns: Timestamp


class Vote(Record):
    """One drawn juror's vote in a round, stored at its own key; ``seats`` counts how many times it was drawn and
    ``order`` is its place in the draw (first drawn = 0)."""

    juror: Address
    seats: int
    commitment: bytes = b""
    revealed: bool = False
    choice: int = 0
    magnitude: int = 0
    reason: str = ""
    order: int = 0


class Stake(Record):
    """A stake weight (the views' ``snapshot`` lists are always empty: snapshots live in the court's sum tree)."""

    juror: Address
    weight: Amount


class Round(Record):
    """A round as stored in its dispute: its terms, its stake snapshot (an epoch of the court's sum tree) and the
    counters that make "every drawn juror has acted" O(1). Votes are stored at their own keys."""

    juror_count: int
    fee: Amount  # paid in for this round: shared by its coherent jurors
    lock_per_seat: Amount
    draw_height: Height
    snapshot_epoch: int = 0  # the court tree's epoch frozen when the round opened
    snapshot_height: int = 0  # the tree's height (levels) at that epoch
    drawn: bool = False
    jurors: int = 0  # distinct drawn jurors
    seats: int = 0  # seats filled (may be short of juror_count)
    commits: int = 0  # drawn jurors who committed
    reveals: int = 0  # drawn jurors who revealed
    settled: bool = False
    funded: list[int] = []  # appeal crowdfunding raised per option (empty: nothing yet)
    funded_sides: list[int] = []  # options fully funded, in the order they got there
    crowdfunded: bool = False  # the next round was opened by the funding (two sides fully funded)
    appeal_pot: Amount = 0  # then: the funded sides' total less the next round's fee, for the winning funders


class Evidence(Record):
    submitter: Address
    digest: Digest
    uri: Annotated[str, msgspec.Meta(max_length=MAX_URI)]
    text: Annotated[str, msgspec.Meta(max_length=MAX_EVIDENCE_TEXT)]


class Ruling(Record):
    """The outcome: the chosen option (index into ``options``; 0 is the default) and the magnitude in bps."""

    choice: int
    magnitude: Bps


class DisputeTerms(Record):
    """What a dispute is and where it stands (shared by the stored dispute and its view)."""

    id: Id
    creator_module: str
    court: Id
    question: str
    parties: list[Address]
    excluded: list[Address]
    options: list[str]  # options[0] is the default: a tie rules for it
    period: str
    period_start_ns: Timestamp


class Dispute(DisputeTerms):
    """A dispute as stored: its rounds' counters, not their votes; ``evidence_count`` items at their own keys."""

    rounds: list[Round]
    evidence_count: int = 0
    ruling: Ruling | None = None
    final: bool = False


class AppealContribution(Record):
    """What ``funder`` gave to side ``choice`` of the appeal of a round (accumulated)."""

    dispute_id: Id
    round: int
    choice: int
    funder: Address
    amount: Amount


class JurorRound(Record):
    """A juror's record of one settled round (``coherent``: revealed the round's ruling)."""

    juror: Address
    dispute_id: Id
    round: int
    court: Id
    seats: int
    lock: Amount
    revealed: bool
    choice: int
    coherent: bool
    reward: Amount
    penalty: Amount


class JurorSummary(Record):
    """A juror's totals over its settled rounds."""

    juror: Address
    rounds: int = 0
    coherent_rounds: int = 0
    total_reward: int = 0
    total_penalty: int = 0


class TreeMeta(Record):
    """A court's sum tree: ``leaves`` allocated, ``height`` levels (root at level height-1, index 0), the current
    snapshot ``epoch`` (writes go to it) and the epochs still frozen by undrawn rounds."""

    court: Id
    epoch: int = 0
    leaves: int = 0
    height: int = 0
    open_epochs: list[int] = []


class TreeNode(Record):
    """One version of a sum-tree node, as exported in genesis (a leaf names its juror)."""

    court: Id
    level: int
    index: int
    epoch: int
    weight: int
    juror: Address | None = None


class RoundVote(Record):
    """A vote as exported in genesis."""

    dispute_id: Id
    round: int
    vote: Vote


class DisputeEvidence(Record):
    """An evidence item as exported in genesis."""

    dispute_id: Id
    index: int
    evidence: Evidence


class Counters(Record):
    next_dispute_id: Id = 1
    next_withdrawal_id: Id = 1


class CommunityShare(Record):
    court: Id
    amount: Amount


# ---- msgs ----------------------------------------------------------------------------------------------------------
class MsgStakeJuror(Msg, tag="court/MsgStakeJuror"):
    SIGNER_FIELD: ClassVar[str] = "juror"
    juror: Address
    court: Id
    amount: Amount


class MsgUnstakeJuror(Msg, tag="court/MsgUnstakeJuror"):
    SIGNER_FIELD: ClassVar[str] = "juror"
    juror: Address
    court: Id
    amount: Amount


class MsgDeclareAffiliation(Msg, tag="court/MsgDeclareAffiliation"):
    """Replace the juror's declared affiliations (addresses or subjects); a listed party excludes it."""

    SIGNER_FIELD: ClassVar[str] = "juror"
    juror: Address
    affiliations: Annotated[list[Annotated[str, msgspec.Meta(max_length=128)]], msgspec.Meta(max_length=MAX_AFFILIATIONS)]


class MsgSubmitEvidence(Msg, tag="court/MsgSubmitEvidence"):
    SIGNER_FIELD: ClassVar[str] = "submitter"
    submitter: Address
    dispute_id: Id
    digest: Digest
    uri: Annotated[str, msgspec.Meta(max_length=MAX_URI)]
    text: Annotated[str, msgspec.Meta(max_length=MAX_EVIDENCE_TEXT)]


class MsgCommitVote(Msg, tag="court/MsgCommitVote"):
    SIGNER_FIELD: ClassVar[str] = "juror"
    juror: Address
    dispute_id: Id
    round: Id
    commitment: Digest


class MsgRevealVote(Msg, tag="court/MsgRevealVote"):
    SIGNER_FIELD: ClassVar[str] = "juror"
    juror: Address
    dispute_id: Id
    round: Id
    choice: Annotated[int, msgspec.Meta(ge=0, lt=MAX_OPTIONS)]
    magnitude: Bps
    reason: Reason
    salt: Salt


class MsgAppeal(Msg, tag="court/MsgAppeal"):
    SIGNER_FIELD: ClassVar[str] = "appellant"
    appellant: Address
    dispute_id: Id


class MsgFundAppeal(Msg, tag="court/MsgFundAppeal"):
    """Anyone funds one side (option) of the appeal of the dispute's current round; an excess is not taken."""

    SIGNER_FIELD: ClassVar[str] = "funder"
    funder: Address
    dispute_id: Id
    choice: Annotated[int, msgspec.Meta(ge=0, lt=MAX_OPTIONS)]
    amount: Amount


class MsgAdvanceDispute(Msg, tag="court/MsgAdvanceDispute"):
    SIGNER_FIELD: ClassVar[str] = "sender"
    sender: Address
    dispute_id: Id


# ---- genesis and queries ---------------------------------------------------------------------------------------
class GenesisState(Record):
    params: Params = Params()
    courts: list[Court] = []
    counters: Counters = Counters()
    stakes: list[JurorStake] = []
    jurors: list[Juror] = []
    withdrawals: list[Withdrawal] = []
    disputes: list[Dispute] = []
    community: list[CommunityShare] = []
    votes: list[RoundVote] = []
    evidence: list[DisputeEvidence] = []
    history: list[JurorRound] = []
    summaries: list[JurorSummary] = []
    tree_metas: list[TreeMeta] = []  # empty with stakes: the trees are built from the stakes (a fresh genesis)
    tree_nodes: list[TreeNode] = []
    contributions: list[AppealContribution] = []


class QueryParams(Record):
    pass


class QueryId(Record):
    id: Id


class QueryJuror(Record):
    juror: Address


class QueryDisputes(Record):
    """Optional filters; the defaults list every dispute."""

    court: Id = 0  # 0: every court
    open_only: bool = False
    limit: Annotated[int, msgspec.Meta(ge=0, le=10_000)] = 0  # 0: no limit
    start_after: Id = 0  # dispute id


class QueryVotes(Record):
    dispute_id: Id
    round: Id


class QueryJurorHistory(Record):
    juror: Address
    limit: Annotated[int, msgspec.Meta(ge=1, le=1_000)] = 100
    start_after: str = ""  # "<dispute id>/<round>" of the last record of the previous page


class RoundView(Round):
    """A round as the queries show it: the stored round and its votes in draw order."""

    snapshot: list[Stake] = []  # always empty (kept for the first pass's shape)
    votes: list[Vote] = []


class DisputeView(DisputeTerms):
    """A dispute as the queries show it: its rounds with their votes, and its evidence."""

    rounds: list[RoundView]
    evidence: list[Evidence] = []
    ruling: Ruling | None = None
    final: bool = False


class CourtsResponse(Record):
    courts: list[Court]


class DisputesResponse(Record):
    disputes: list[DisputeView]


class VotesResponse(Record):
    votes: list[Vote]


class JurorResponse(Record):
    juror: Juror
    stakes: list[JurorStake]
    withdrawals: list[Withdrawal]
    summary: JurorSummary


class JurorHistoryResponse(Record):
    history: list[JurorRound]
    next_start_after: str  # empty when there is no further page
