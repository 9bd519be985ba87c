"""Slashing errors, registered once under codespace ``slashing``; codes are never reused.

Codes 2 and 4..9 keep the numbers Cosmos SDK's x/slashing gives the same failures.
"""
from __future__ import annotations

from suretychain.core.errors import register_error

CODESPACE = "slashing"

ErrNoValidatorForAddress = register_error(CODESPACE, 2, "address is not associated with any known validator", not_found=True)
ErrValidatorJailed = register_error(CODESPACE, 4, "validator still jailed; cannot be unjailed")
ErrValidatorNotJailed = register_error(CODESPACE, 5, "validator not jailed; cannot be unjailed")
ErrMissingSelfDelegation = register_error(CODESPACE, 6, "validator has no self-delegation; cannot be unjailed")
ErrSelfDelegationTooLowToUnjail = register_error(CODESPACE, 7,
                                                 "validator's self-delegation is below its minimum; cannot be unjailed")
ErrNoSigningInfoFound = register_error(CODESPACE, 8, "no validator signing info found", not_found=True)
ErrValidatorTombstoned = register_error(CODESPACE, 9, "validator is tombstoned; it can never be unjailed")
ErrInvalidParams = register_error(CODESPACE, 10, "invalid slashing params")
ErrConsensusKeyTombstoned = register_error(CODESPACE, 11, "consensus key belongs to a tombstoned validator")
ErrInvalidConsensusAddress = register_error(CODESPACE, 12, "invalid consensus address")
