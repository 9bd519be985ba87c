"""What every ``surety tx`` command shares: the tx options, and sign-confirm-broadcast through the SDK."""
from __future__ import annotations

import dataclasses
import enum
import functools
import inspect
import json
from typing import Annotated, Any, Callable, Iterable, Optional

import typer

from suretychain.cli.context import CliState
from suretychain.cli.output import emit
from suretychain.client.coins import parse_coins
from suretychain.client.txbuilder import GAS_AUTO, build_body, raise_for_code, sign_and_broadcast
from suretychain.core.dec import Dec
from suretychain.core.encoding import to_builtins
from suretychain.core.tx import Msg, TxBody


class BroadcastMode(str, enum.Enum):
    """``--broadcast-mode`` choices."""

    sync = "sync"
    commit = "commit"


def parse_gas(value: str) -> str:
    """``auto`` or a gas limit."""
    if value != GAS_AUTO and not value.isdigit():
        raise typer.BadParameter(f"expected 'auto' or a gas limit, got {value!r}")
    return value


def parse_gas_adjustment(value: str) -> str:
    """A positive decimal such as 1.3 (kept as text: gas math uses Dec, never float)."""
    try:
        ok = Dec.from_str(value).is_positive()
    except ValueError:
        ok = False
    if not ok:
        raise typer.BadParameter(f"expected a positive decimal like 1.3, got {value!r}")
    return value


FeesOption = Annotated[Optional[str], typer.Option("--fees", help="Fee, e.g. 200usrt (default: the chain's "
                                                                   "minimum for the gas).")]
GasOption = Annotated[str, typer.Option("--gas", callback=parse_gas, help="'auto' (simulate) or a gas limit.")]
GasAdjustmentOption = Annotated[str, typer.Option("--gas-adjustment", callback=parse_gas_adjustment,
                                                  help="Multiplier of the simulated gas.")]
MemoOption = Annotated[str, typer.Option("--memo", help="Note attached to the tx.")]
BroadcastModeOption = Annotated[BroadcastMode, typer.Option("--broadcast-mode", help="sync: after CheckTx; "
                                                            "commit: after the block.")]
TimeoutHeightOption = Annotated[int, typer.Option("--timeout-height", min=0, help="Last height the tx may be "
                                                  "included at (0: none).")]
YesOption = Annotated[bool, typer.Option("--yes", "-y", help="Sign and broadcast without asking.")]


@dataclasses.dataclass(frozen=True)
class TxOptions:
    """The tx options of one command line."""

    fees: str | None = None
    gas: str = GAS_AUTO
    gas_adjustment: str = "1.3"
    memo: str = ""
    broadcast_mode: str = "commit"
    timeout_height: int = 0
    yes: bool = False


TX_OPTION_PARAMETERS = [
    inspect.Parameter("fees", inspect.Parameter.KEYWORD_ONLY, default=None, annotation=FeesOption),
    inspect.Parameter("gas", inspect.Parameter.KEYWORD_ONLY, default=GAS_AUTO, annotation=GasOption),
    inspect.Parameter("gas_adjustment", inspect.Parameter.KEYWORD_ONLY, default="1.3", annotation=GasAdjustmentOption),
    inspect.Parameter("memo", inspect.Parameter.KEYWORD_ONLY, default="", annotation=MemoOption),
    inspect.Parameter("broadcast_mode", inspect.Parameter.KEYWORD_ONLY, default=BroadcastMode.commit,
                      annotation=BroadcastModeOption),
    inspect.Parameter("timeout_height", inspect.Parameter.KEYWORD_ONLY, default=0, annotation=TimeoutHeightOption),
    inspect.Parameter("yes", inspect.Parameter.KEYWORD_ONLY, default=False, annotation=YesOption),
]
"""The seven options every ``surety tx`` command takes, in the order ``--help`` lists them, as Typer reads them."""


def with_tx_options(command: Callable[..., None]) -> Callable[..., None]:
    """Give ``command(..., options: TxOptions)`` the seven tx options as its last command-line parameters.

    Typer sees ``command``'s own parameters (without ``options``) followed by ``TX_OPTION_PARAMETERS``; the wrapper
    collects their values into one ``TxOptions`` and passes it as ``options``. Put it under ``@app.command``.
    """
    signature = inspect.signature(command, eval_str=True)
    own = [p for name, p in signature.parameters.items() if name != "options"]
    if len(own) == len(signature.parameters):
        raise TypeError(f"{command.__qualname__} takes no 'options' parameter")
    names = [p.name for p in TX_OPTION_PARAMETERS]

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> None:
        values = {name: kwargs.pop(name) for name in names}
        values["broadcast_mode"] = BroadcastMode(values["broadcast_mode"]).value
        return command(*args, options=TxOptions(**values), **kwargs)

    wrapper.__signature__ = signature.replace(parameters=own + TX_OPTION_PARAMETERS)  # type: ignore[attr-defined]
    wrapper.__annotations__ = {**{p.name: p.annotation for p in own + TX_OPTION_PARAMETERS},
                               "return": signature.return_annotation}
    return wrapper


def run_tx(state: CliState, from_key: str, make_msgs: Callable[[str], list[Msg]], options: TxOptions,
           before_broadcast: Callable[[TxBody], None] | None = None) -> dict[str, Any]:
    """Build the tx of ``make_msgs(signer address)``, show it and ask (unless --yes), sign, broadcast, print.

    ``before_broadcast(body)`` runs after the confirmation, before signing and sending (the court's vote secrets are
    stored there). Returns the broadcast result once printed; a non-zero code raises the chain's error.
    """
    keyring = state.keyring()
    info = keyring.show(from_key)
    msgs = make_msgs(info.address)
    fee = parse_coins(options.fees) if options.fees else None
    gas: int | str = GAS_AUTO if options.gas == GAS_AUTO else int(options.gas)
    with state.client() as client:
        body = build_body(client, info.address, bytes.fromhex(info.public_key), msgs, fee, gas,
                          options.gas_adjustment, options.memo, state.chain_id, options.timeout_height)
        if not options.yes:
            typer.echo(json.dumps(describe_body(body, msgs), indent=2), err=True)
            typer.confirm("Sign and broadcast this tx?", abort=True, err=True)
        key = keyring.load_private_key(from_key, state.key_passphrase(from_key))
        if before_broadcast is not None:
            before_broadcast(body)
        result = sign_and_broadcast(client, key, body, options.broadcast_mode)
    emit(state.output, result, render_result)
    return raise_for_code(result)


def describe_body(body: TxBody, msgs: list[Msg]) -> dict[str, Any]:
    """The body as JSON for the confirmation (msgs decoded)."""
    return {"chain_id": body.chain_id, "signer": str(body.signer), "sequence": body.sequence,
            "msgs": to_builtins(msgs), "memo": body.memo, "fee": to_builtins(body.fee),
            "timeout_height": body.timeout_height}


def render_result(result: dict[str, Any]) -> Iterable[str]:
    """Hash, height, code and log of a broadcast."""
    yield f"hash:     {result.get('hash')}"
    yield f"height:   {result.get('height', 0)}"
    yield f"code:     {result.get('code')}" + (f" ({result['codespace']})" if result.get("codespace") else "")
    yield f"gas:      {result.get('gas_used', 0)} used of {result.get('gas_wanted', 0)}"
    if result.get("log"):
        yield f"log:      {result['log']}"
