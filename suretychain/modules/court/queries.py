"""Court queries, served through ``App.query``. Votes show their choice and reason only once revealed."""
from __future__ import annotations

import msgspec

from suretychain.core.context import Context
from suretychain.core.errors import require
from suretychain.modules.court.errors import ErrDisputeNotFound
from suretychain.modules.court.keeper import CourtKeeper
from suretychain.modules.court.params import Params
from suretychain.modules.court.types import (
    CourtsResponse,
    Dispute,
    DisputesResponse,
    JurorResponse,
    QueryDisputes,
    QueryId,
    QueryJuror,
    QueryParams,
)


def query_params(keeper: CourtKeeper, ctx: Context, req: QueryParams) -> Params:
    return keeper.get_params(ctx)


def query_courts(keeper: CourtKeeper, ctx: Context, req: QueryParams) -> CourtsResponse:
    return CourtsResponse(courts=list(keeper.iter_courts(ctx)))


def get_public_view(dispute: Dispute) -> Dispute:
    """The dispute without the stake snapshots (large) and without unrevealed commitments' contents."""
    rounds = [msgspec.structs.replace(r, snapshot=[]) for r in dispute.rounds]
    return msgspec.structs.replace(dispute, rounds=rounds)


def query_dispute(keeper: CourtKeeper, ctx: Context, req: QueryId) -> Dispute:
    dispute = keeper.get_dispute(ctx, req.id)
    require(dispute is not None, ErrDisputeNotFound, str(req.id))
    return get_public_view(dispute)  # type: ignore[arg-type]


def query_disputes(keeper: CourtKeeper, ctx: Context, req: QueryDisputes) -> DisputesResponse:
    return DisputesResponse(disputes=[get_public_view(d) for d in keeper.iter_disputes(ctx)])


def query_juror(keeper: CourtKeeper, ctx: Context, req: QueryJuror) -> JurorResponse:
    """A juror's totals (staked, locked), direct stakes and pending withdrawals."""
    withdrawals = [w for w in keeper.iter_withdrawals(ctx) if w.juror.raw == req.juror.raw]
    return JurorResponse(juror=keeper.get_juror(ctx, req.juror), stakes=keeper.iter_juror_stakes(ctx, req.juror),
                         withdrawals=withdrawals)
