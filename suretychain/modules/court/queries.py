"""Court queries, served through ``App.query``. Votes show their choice and reason only once revealed (the stored
vote holds nothing else until its reveal); a dispute's view is assembled from its record, vote and evidence keys."""
from __future__ import annotations

from typing import Any, Iterator

from suretychain.core.context import Context
from suretychain.core.errors import require
from suretychain.modules.court.errors import ErrDisputeNotFound, ErrInvalidDispute
from suretychain.modules.court.keeper import CourtKeeper
from suretychain.modules.court.params import Params
from suretychain.modules.court.types import (
    CourtsResponse,
    Dispute,
    DisputesResponse,
    DisputeTerms,
    DisputeView,
    JurorHistoryResponse,
    JurorResponse,
    QueryDisputes,
    QueryId,
    QueryJuror,
    QueryJurorHistory,
    QueryParams,
    QueryVotes,
    Round,
    RoundView,
    VotesResponse,
)


def query_params(keeper: CourtKeeper, ctx: Context, req: QueryParams) -> Params:
    return keeper.get_params(ctx)


def query_courts(keeper: CourtKeeper, ctx: Context, req: QueryParams) -> CourtsResponse:
    return CourtsResponse(courts=list(keeper.iter_courts(ctx)))


def get_public_view(keeper: CourtKeeper, ctx: Context, dispute: Dispute) -> DisputeView:
    """The dispute with its rounds' votes (in draw order) and its evidence."""
    rounds = [RoundView(**get_fields(r, Round), votes=keeper.get_round_votes(ctx, dispute.id, i))
              for i, r in enumerate(dispute.rounds)]
    return DisputeView(**get_fields(dispute, DisputeTerms), rounds=rounds,
                       evidence=keeper.get_evidence(ctx, dispute.id), ruling=dispute.ruling, final=dispute.final)


def get_fields(record: Any, base: type) -> dict[str, Any]:
    """The fields ``record`` has from its base record type ``base``."""
    return {name: getattr(record, name) for name in base.__struct_fields__}


def query_dispute(keeper: CourtKeeper, ctx: Context, req: QueryId) -> DisputeView:
    dispute = keeper.get_dispute(ctx, req.id)
    require(dispute is not None, ErrDisputeNotFound, str(req.id))
    return get_public_view(keeper, ctx, dispute)  # type: ignore[arg-type]


def iter_listed_disputes(keeper: CourtKeeper, ctx: Context, req: QueryDisputes) -> Iterator[Dispute]:
    """Disputes after ``start_after`` by id (open ones only if asked), in ``court`` if given."""
    ids = keeper.get_open_dispute_ids(ctx) if req.open_only else None
    if ids is None:
        source: Iterator[Dispute | None] = keeper.iter_disputes(ctx, req.start_after)
    else:
        source = (keeper.get_dispute(ctx, i) for i in ids)
    for dispute in source:
        if dispute is not None and dispute.id > req.start_after and req.court in (0, dispute.court):
            yield dispute


def query_disputes(keeper: CourtKeeper, ctx: Context, req: QueryDisputes) -> DisputesResponse:
    """Every dispute by id, or a page of them: filters ``court``, ``open_only``, ``limit``, ``start_after``."""
    found = []
    for dispute in iter_listed_disputes(keeper, ctx, req):
        if req.limit and len(found) == req.limit:
            break
        found.append(get_public_view(keeper, ctx, dispute))
    return DisputesResponse(disputes=found)


def query_votes(keeper: CourtKeeper, ctx: Context, req: QueryVotes) -> VotesResponse:
    """One round's votes in draw order."""
    dispute = keeper.get_dispute(ctx, req.dispute_id)
    require(dispute is not None, ErrDisputeNotFound, str(req.dispute_id))
    require(req.round < len(dispute.rounds), ErrInvalidDispute, f"no round {req.round}")  # type: ignore[union-attr]
    return VotesResponse(votes=keeper.get_round_votes(ctx, req.dispute_id, req.round))


def query_juror(keeper: CourtKeeper, ctx: Context, req: QueryJuror) -> JurorResponse:
    """A juror's totals (staked, locked), direct stakes, pending withdrawals and its settled rounds' summary."""
    withdrawals = [w for w in keeper.iter_withdrawals(ctx) if w.juror.raw == req.juror.raw]
    return JurorResponse(juror=keeper.get_juror(ctx, req.juror), stakes=keeper.iter_juror_stakes(ctx, req.juror),
                         withdrawals=withdrawals, summary=keeper.get_summary(ctx, req.juror))


def compute_cursor(text: str) -> tuple[int, int] | None:
    """``"<dispute id>/<round>"`` as a pair (None for an empty cursor)."""
    if not text:
        return None
    dispute_id, _, round_index = text.partition("/")
    require(dispute_id.isdigit() and round_index.isdigit(), ErrInvalidDispute, f"bad start_after {text!r}")
    return int(dispute_id), int(round_index)


def query_juror_history(keeper: CourtKeeper, ctx: Context, req: QueryJurorHistory) -> JurorHistoryResponse:
    """A page of the juror's settled rounds by (dispute, round); ``next_start_after`` continues it."""
    history = []
    for record in keeper.iter_juror_rounds(ctx, req.juror, compute_cursor(req.start_after)):
        if len(history) == req.limit:
            last = history[-1]
            return JurorHistoryResponse(history=history, next_start_after=f"{last.dispute_id}/{last.round}")
        history.append(record)
    return JurorHistoryResponse(history=history, next_start_after="")
