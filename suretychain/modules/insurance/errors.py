"""Insurance errors: registered ``(codespace, code, message)`` triples; codes are never reused."""
from __future__ import annotations

from suretychain.core.errors import register_error

CODESPACE = "insurance"

ErrInvalidParams = register_error(CODESPACE, 2, "invalid insurance params")
ErrInvalidCoverage = register_error(CODESPACE, 3, "coverage must be in (0, 1]")
ErrInvalidPremium = register_error(CODESPACE, 4, "invalid premium")
ErrInvalidInfractions = register_error(CODESPACE, 5, "slashing infractions must be a non-empty set")
ErrValidatorNotFound = register_error(CODESPACE, 6, "validator not found", not_found=True)
ErrTermNotFound = register_error(CODESPACE, 7, "insurance term not found", not_found=True)
ErrNotTermOwner = register_error(CODESPACE, 8, "the term belongs to another validator")
ErrTooManyTerms = register_error(CODESPACE, 9, "too many terms for this validator")
ErrNoDelegation = register_error(CODESPACE, 10, "no delegation to the insurer validator")
ErrZeroStake = register_error(CODESPACE, 11, "insured stake must be positive")
ErrStakeNotDelegated = register_error(CODESPACE, 12, "insured stake exceeds the delegated tokens not already insured")
ErrSolvencyCap = register_error(CODESPACE, 13, "the insurer's self-bond after its worst slash would not cover its total refund")
ErrInsuranceNotFound = register_error(CODESPACE, 14, "insurance not found", not_found=True)
ErrNotInsuranceOwner = register_error(CODESPACE, 15, "the insurance belongs to another delegator")
ErrTermChanged = register_error(CODESPACE, 16, "the insurance term was edited or deleted")
ErrInsuranceEnded = register_error(CODESPACE, 17, "the insurance has ended")
ErrMaxUnbondExceeded = register_error(CODESPACE, 18, "unbonding beyond MaxUnbond while insurances are active")
ErrValidatorTombstoned = register_error(CODESPACE, 19, "the insurer validator is tombstoned")
ErrInvalidDuration = register_error(CODESPACE, 20, "duration must be positive")
ErrAlreadySubscribed = register_error(CODESPACE, 21, "the insurance is already subscribed")
ErrNotSubscribed = register_error(CODESPACE, 22, "the insurance is not subscribed")
ErrSameTerm = register_error(CODESPACE, 23, "switching to the term the insurance already has")
ErrInvalidGenesis = register_error(CODESPACE, 24, "invalid insurance genesis")
