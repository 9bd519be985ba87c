"""The court msg server: one route per msg, each to its ``process_<msg>`` rule."""
from __future__ import annotations

from functools import partial

from suretychain.core.module import MsgRoute
from suretychain.modules.court.jurors import process_declare_affiliation, process_stake_juror, process_unstake_juror
from suretychain.modules.court.keeper import CourtKeeper
from suretychain.modules.court.types import (
    MsgAdvanceDispute,
    MsgAppeal,
    MsgCommitVote,
    MsgDeclareAffiliation,
    MsgFundAppeal,
    MsgRevealVote,
    MsgStakeJuror,
    MsgSubmitEvidence,
    MsgUnstakeJuror,
)
from suretychain.modules.court.votes import (
    process_advance_dispute,
    process_appeal,
    process_commit_vote,
    process_fund_appeal,
    process_reveal_vote,
    process_submit_evidence,
)


def msg_routes(keeper: CourtKeeper) -> tuple[MsgRoute, ...]:
    return (
        MsgRoute(MsgStakeJuror, partial(process_stake_juror, keeper)),
        MsgRoute(MsgUnstakeJuror, partial(process_unstake_juror, keeper)),
        MsgRoute(MsgDeclareAffiliation, partial(process_declare_affiliation, keeper)),
        MsgRoute(MsgSubmitEvidence, partial(process_submit_evidence, keeper)),
        MsgRoute(MsgCommitVote, partial(process_commit_vote, keeper)),
        MsgRoute(MsgRevealVote, partial(process_reveal_vote, keeper)),
        MsgRoute(MsgAppeal, partial(process_appeal, keeper)),
        MsgRoute(MsgFundAppeal, partial(process_fund_appeal, keeper)),
        MsgRoute(MsgAdvanceDispute, partial(process_advance_dispute, keeper)),
    )
