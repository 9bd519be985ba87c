"""Coded errors: every rule failure carries a stable ``(codespace, code)`` pair.

Each module registers its errors once, at import, with :func:`register_error`. Codes are never reused:
registering the same pair twice raises at import time, so a clash cannot reach a running chain. The App
returns ``codespace``, ``code`` and ``message`` in tx results; the API and CLI pass them through unchanged.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, NoReturn

# Code 0 means success everywhere (as in ABCI); code 1 is reserved for "internal error".
OK = 0

_REGISTRY: dict[tuple[str, int], "ErrorDef"] = {}


class SuretyError(Exception):
    """A broken rule: a coded, readable error. Raising it aborts the current tx (or query) with no state change."""

    def __init__(self, codespace: str, code: int, message: str, detail: str = "") -> None:
        self.codespace = codespace
        self.code = code
        self.message = message
        self.detail = detail
        super().__init__(self.log)

    @property
    def log(self) -> str:
        """The human-readable text: the registered message, then the detail."""
        return f"{self.message}: {self.detail}" if self.detail else self.message

    def __repr__(self) -> str:
        return f"SuretyError({self.codespace}/{self.code}: {self.log})"


@dataclass(frozen=True)
class ErrorDef:
    """One registered error kind. Call it (optionally with a detail) to get a raisable :class:`SuretyError`."""

    codespace: str
    code: int
    message: str
    not_found: bool = False  # the thing asked for does not exist (the API answers 404)

    def __call__(self, detail: str = "") -> SuretyError:
        return SuretyError(self.codespace, self.code, self.message, detail)

    def is_(self, err: BaseException) -> bool:
        """True if ``err`` is an instance of this error kind."""
        return isinstance(err, SuretyError) and (err.codespace, err.code) == (self.codespace, self.code)


def register_error(codespace: str, code: int, message: str, not_found: bool = False) -> ErrorDef:
    """Register a ``(codespace, code)`` pair once; a duplicate registration is a programming error.
    ``not_found`` marks errors meaning "no such thing" (shells map them to 404)."""
    if code <= 1:
        raise ValueError("codes 0 and 1 are reserved")
    key = (codespace, code)
    if key in _REGISTRY:
        raise ValueError(f"error code {codespace}/{code} registered twice")
    definition = ErrorDef(codespace, code, message, not_found)
    _REGISTRY[key] = definition
    return definition


def registered_errors() -> list[ErrorDef]:
    """All registered errors in (codespace, code) order: for docs and the README tables test."""
    return [_REGISTRY[key] for key in sorted(_REGISTRY)]


def is_not_found(codespace: str, code: int) -> bool:
    """True if the registered error ``(codespace, code)`` means the thing asked for does not exist."""
    definition = _REGISTRY.get((codespace, code))
    return definition is not None and definition.not_found


def require(condition: object, error: ErrorDef, detail: str | Callable[[], str] = "") -> None:
    """Raise ``error`` (with ``detail``) unless ``condition`` holds: one precondition of a rule. On hot paths the
    detail may be a function that builds the text, so nothing is formatted when the rule holds."""
    if not condition:
        raise error(detail() if callable(detail) else detail)


def fail(error: ErrorDef, detail: str = "") -> NoReturn:
    """Raise ``error`` unconditionally."""
    raise error(detail)


# The SDK-wide codespace, for errors of the tx pipeline itself (like Cosmos SDK's "sdk" codespace).
CODESPACE = "sdk"
ErrInternal = ErrorDef(CODESPACE, 1, "internal error")  # code 1: an unexpected exception, after rollback
_REGISTRY[(CODESPACE, 1)] = ErrInternal
ErrTxDecode = register_error(CODESPACE, 2, "tx parse error")
ErrInvalidSequence = register_error(CODESPACE, 3, "invalid sequence")
ErrUnauthorized = register_error(CODESPACE, 4, "unauthorized")
ErrInsufficientFunds = register_error(CODESPACE, 5, "insufficient funds")
ErrUnknownRequest = register_error(CODESPACE, 6, "unknown request", not_found=True)
ErrInvalidAddress = register_error(CODESPACE, 7, "invalid address")
ErrInvalidPubKey = register_error(CODESPACE, 8, "invalid public key")
ErrUnknownAddress = register_error(CODESPACE, 9, "unknown address", not_found=True)
ErrInvalidCoins = register_error(CODESPACE, 10, "invalid coins")
ErrOutOfGas = register_error(CODESPACE, 11, "out of gas")
ErrMemoTooLarge = register_error(CODESPACE, 12, "memo too large")
ErrInsufficientFee = register_error(CODESPACE, 13, "insufficient fee")
ErrTooManySignatures = register_error(CODESPACE, 14, "maximum number of signatures exceeded")
ErrNoSignatures = register_error(CODESPACE, 15, "no signatures supplied")
ErrInvalidChainID = register_error(CODESPACE, 17, "invalid chain-id")
ErrInvalidRequest = register_error(CODESPACE, 18, "invalid request")
ErrTxTooLarge = register_error(CODESPACE, 21, "tx too large")
ErrTxTimeoutHeight = register_error(CODESPACE, 30, "tx timeout height")
ErrInvalidGasLimit = register_error(CODESPACE, 41, "invalid gas limit")
ErrNotFound = register_error(CODESPACE, 38, "not found", not_found=True)
ErrInvalidHeight = register_error(CODESPACE, 26, "invalid height", not_found=True)
ErrUnknownMsg = register_error(CODESPACE, 42, "unknown message type")
ErrInvalidGenesis = register_error(CODESPACE, 43, "invalid genesis")
ErrBlockGasExceeded = register_error(CODESPACE, 44, "block gas limit exceeded")
ErrMempoolFull = register_error(CODESPACE, 45, "mempool is full")
ErrTxInMempool = register_error(CODESPACE, 46, "tx already in mempool")
