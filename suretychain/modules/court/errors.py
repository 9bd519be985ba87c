"""Court errors: registered ``(codespace, code, message)`` triples; codes are never reused."""
from __future__ import annotations

from suretychain.core.errors import register_error

CODESPACE = "court"

ErrInvalidParams = register_error(CODESPACE, 2, "invalid court params")
ErrInvalidGenesis = register_error(CODESPACE, 3, "invalid court genesis")
ErrCourtNotFound = register_error(CODESPACE, 4, "court not found", not_found=True)
ErrBelowMinStake = register_error(CODESPACE, 5, "stake below the court's minimum")
ErrStakeLocked = register_error(CODESPACE, 6, "unstake would touch stake locked in open disputes")
ErrInsufficientStake = register_error(CODESPACE, 7, "unstake exceeds the stake in this court")
ErrDisputeNotFound = register_error(CODESPACE, 8, "dispute not found", not_found=True)
ErrWrongPeriod = register_error(CODESPACE, 9, "not allowed in the dispute's current period")
ErrNotDrawn = register_error(CODESPACE, 10, "not a drawn juror of this round")
ErrAlreadyCommitted = register_error(CODESPACE, 11, "vote already committed")
ErrAlreadyRevealed = register_error(CODESPACE, 12, "vote already revealed")
ErrNoCommit = register_error(CODESPACE, 13, "no committed vote to reveal")
ErrRevealMismatch = register_error(CODESPACE, 14, "reveal does not match the commitment")
ErrInvalidDispute = register_error(CODESPACE, 15, "invalid dispute")
ErrNotEnoughJurors = register_error(CODESPACE, 16, "not enough eligible stake to draw the jurors")
ErrPeriodNotOver = register_error(CODESPACE, 17, "the period is not over")
ErrMaxRounds = register_error(CODESPACE, 18, "the dispute has reached its last round")
ErrWrongRound = register_error(CODESPACE, 19, "not the dispute's current round")
ErrInvalidChoice = register_error(CODESPACE, 20, "choice outside the dispute's options")
ErrUnknownCreator = register_error(CODESPACE, 21, "no ruling callback registered for the creator module")
ErrNotParty = register_error(CODESPACE, 22, "only parties may do this")
ErrZeroAmount = register_error(CODESPACE, 23, "amount must be positive")
ErrSideFunded = register_error(CODESPACE, 24, "this side of the appeal is already fully funded")
ErrTooManyFunders = register_error(CODESPACE, 25, "this side of the appeal has too many funders")
