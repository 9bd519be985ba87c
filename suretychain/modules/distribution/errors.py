"""Distribution errors, codespace ``distribution``: registered once, codes never reused."""
from __future__ import annotations

from suretychain.core.errors import register_error

CODESPACE = "distribution"

ErrNoDelegationDistInfo = register_error(CODESPACE, 2, "no delegation distribution info", not_found=True)
ErrNoValidatorExists = register_error(CODESPACE, 3, "validator does not exist", not_found=True)
ErrNoValidatorCommission = register_error(CODESPACE, 4, "no validator commission to withdraw")
ErrSetWithdrawAddrDisabled = register_error(CODESPACE, 5, "setting a withdraw address is disabled")
ErrBlockedWithdrawAddress = register_error(CODESPACE, 6, "withdraw address is a module account")
ErrInvalidParams = register_error(CODESPACE, 7, "invalid distribution params")
ErrNoValidatorDistInfo = register_error(CODESPACE, 8, "no validator distribution info", not_found=True)
ErrAccountingBroken = register_error(CODESPACE, 9, "distribution accounting broken")
ErrBadSlashFraction = register_error(CODESPACE, 10, "slash fraction outside [0, 1]")
