"""Court params: the module's ``Params`` and each court's ``CourtParams``, with ``validate_*`` (one rule each).

The tables with units and reasons are in README.md.
"""
from __future__ import annotations

from suretychain.core.encoding import Record
from suretychain.core.errors import require
from suretychain.modules.court.errors import ErrInvalidParams

DAY_NS = 86_400 * 10**9


class Params(Record):
    """Module-wide params (changeable by governance)."""

    denom: str = "usrt"
    draw_delay_blocks: int = 10
    withdrawal_delay_ns: int = 7 * DAY_NS


class CourtParams(Record):
    """One court's params (set in genesis; governance edits later)."""

    min_stake: int = 1_000_000
    alpha_bps: int = 1_000  # a drawn seat locks min_stake * alpha_bps / 10_000
    juror_fee: int = 100_000  # per seat: the least arbitration fee is juror_fee * juror_count
    evidence_ns: int = DAY_NS
    commit_ns: int = DAY_NS
    reveal_ns: int = DAY_NS
    appeal_ns: int = DAY_NS
    appeal_fee: int = 1_000_000  # per seat of the new round
    max_rounds: int = 4
    winner_multiplier_bps: int = 5_000  # crowdfunding: the current ruling's side pays fee × (1 + this)
    loser_multiplier_bps: int = 10_000  # crowdfunding: any other side pays fee × (1 + this)


DEFAULT_PARAMS = Params()
DEFAULT_COURT_PARAMS = CourtParams()


def validate_params(params: Params) -> None:
    # The seed must be fixed after the dispute is created: at least one block later
    require(params.draw_delay_blocks >= 1, ErrInvalidParams, "draw_delay_blocks < 1")
    require(params.withdrawal_delay_ns >= 0, ErrInvalidParams, "withdrawal_delay_ns < 0")
    require(len(params.denom) > 0, ErrInvalidParams, "empty denom")


def validate_court_params(params: CourtParams) -> None:
    require(params.min_stake >= 1, ErrInvalidParams, "min_stake < 1")
    require(0 <= params.alpha_bps <= 10_000, ErrInvalidParams, "alpha_bps outside [0, 10000]")
    require(params.juror_fee >= 0 and params.appeal_fee >= 0, ErrInvalidParams, "negative fee")
    require(min(params.evidence_ns, params.commit_ns, params.reveal_ns, params.appeal_ns) >= 0, ErrInvalidParams,
            "negative period")
    require(1 <= params.max_rounds <= 8, ErrInvalidParams, "max_rounds outside [1, 8]")
    require(0 <= min(params.winner_multiplier_bps, params.loser_multiplier_bps)
            and max(params.winner_multiplier_bps, params.loser_multiplier_bps) <= 100_000, ErrInvalidParams,
            "appeal multipliers outside [0, 100000] bps")
