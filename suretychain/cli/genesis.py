"""``surety genesis``: create, fund, check and export genesis documents (the chain's own decode and validate)."""
from __future__ import annotations

import time
from pathlib import Path
from typing import Annotated, Any, Iterable, Optional

import msgspec
import typer

from suretychain.cli.context import DEFAULT_DEVNET_HOME, CliError, CliState, get_state
from suretychain.cli.output import emit
from suretychain.client.coins import parse_coins
from suretychain.client.keyring import KeyringError
from suretychain.core.encoding import Address, parse_address
from suretychain.core.errors import SuretyError
from suretychain.core.genesis import (
    GenesisDoc,
    decode_genesis,
    decode_module_state,
    encode_genesis,
    encode_module_state,
    format_time,
    parse_time,
)
from suretychain.core.tx import Coin
from suretychain.modules.bank.send import compute_coins_sum
from suretychain.modules.bank.types import Balance
from suretychain.modules.bank.types import GenesisState as BankGenesis

app = typer.Typer(no_args_is_help=True, help="Create, fund, validate and export genesis files.")


def genesis_file(state: CliState) -> Path:
    """``<home>/genesis.json``."""
    return state.home / "genesis.json"


def read_genesis(path: Path) -> GenesisDoc:
    """Read and decode a genesis file (envelope only; module states are decoded by their users)."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise CliError(f"cannot read {path}: {exc.strerror or exc}") from None
    return decode_genesis(data)


def write_genesis(path: Path, doc: GenesisDoc) -> None:
    """Write ``doc`` as pretty JSON, after checking it decodes back (so a bad field fails before writing)."""
    data = encode_genesis(doc)
    decode_genesis(data)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


def open_memory_app():  # noqa: ANN201
    """The App over an empty in-memory store: for defaults and validation, never for a running chain."""
    from suretychain.app import make_app
    from suretychain.core.store import CommitStore

    return make_app(CommitStore(None))


def render_summary(data: dict[str, Any]) -> Iterable[str]:
    return [f"{key}: {value}" for key, value in data.items()]


@app.command("init")
def init(
    ctx: typer.Context,
    chain_id: Annotated[str, typer.Option("--chain-id", help="Chain id of the new chain.")],
    genesis_time: Annotated[Optional[str], typer.Option(help="RFC 3339 UTC time (default: now).")] = None,
    overwrite: Annotated[bool, typer.Option(help="Replace an existing genesis file.")] = False,
) -> None:
    """Write <home>/genesis.json with every module's default state."""
    state = get_state(ctx)
    path = genesis_file(state)
    if path.exists() and not overwrite:
        raise CliError(f"{path} already exists (use --overwrite to replace it)")
    try:
        time_ns = time.time_ns() if genesis_time is None else parse_time(genesis_time)
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint="--genesis-time") from None
    app_state = {module.name: encode_module_state(module.genesis.default()) for module in open_memory_app().modules}
    doc = GenesisDoc(chain_id=chain_id, genesis_time=format_time(time_ns), app_state=app_state)
    write_genesis(path, doc)
    emit(state.output, {"file": str(path), "chain_id": chain_id, "genesis_time": doc.genesis_time,
                        "modules": sorted(app_state)}, render_summary)


@app.command("add-account")
def add_account(
    ctx: typer.Context,
    address_or_key: Annotated[str, typer.Argument(help="Address (sure1...) or the name of a key in the keyring.")],
    coins: Annotated[str, typer.Argument(help="Coins, e.g. 1000000usrt,500uusd.")],
) -> None:
    """Give an account a genesis balance (added to any balance it already has)."""
    state = get_state(ctx)
    address = resolve_address(state, address_or_key)
    amount = parse_coins(coins)
    path = genesis_file(state)
    doc = read_genesis(path)
    raw = doc.app_state.get("bank")
    bank = BankGenesis() if raw is None else decode_module_state("bank", bytes(raw), BankGenesis)
    bank = add_balance(bank, address, amount)
    write_genesis(path, msgspec.structs.replace(doc, app_state={**doc.app_state, "bank": encode_module_state(bank)}))
    balance = next(b for b in bank.balances if b.address == address)
    emit(state.output, {"address": str(address), "coins": ",".join(str(c) for c in balance.coins)}, render_summary)


def resolve_address(state: CliState, text: str) -> Address:
    """``text`` as an address, else as a key name; neither gives the chain's invalid-address error."""
    try:
        return parse_address(text)
    except SuretyError as exc:
        try:
            return Address(state.keyring().show(text).address)
        except KeyringError as missing:
            raise SuretyError(exc.codespace, exc.code, exc.message, f"{exc.detail}; not a key either: {missing}")


def add_balance(bank: BankGenesis, address: Address, coins: list[Coin]) -> BankGenesis:
    """``bank`` with ``coins`` added to ``address`` (balances kept in address-byte order; a listed supply updated)."""
    balances = {b.address.raw: b for b in bank.balances}
    old = balances.get(address.raw)
    total = compute_coins_sum([old.coins if old else [], coins])
    balances[address.raw] = Balance(address=address, coins=[Coin(denom=d, amount=total[d]) for d in sorted(total)])
    ordered = [balances[raw] for raw in sorted(balances)]
    supply = bank.supply
    if supply:
        sums = compute_coins_sum([supply, coins])
        supply = [Coin(denom=d, amount=sums[d]) for d in sorted(sums)]
    return msgspec.structs.replace(bank, balances=ordered, supply=supply)


@app.command("validate")
def validate(
    ctx: typer.Context,
    file: Annotated[Optional[Path], typer.Argument(help="Genesis file (default: <home>/genesis.json).")] = None,
) -> None:
    """Check a genesis file as the chain would: decode, every module's validate, init and invariants."""
    state = get_state(ctx)
    path = file or genesis_file(state)
    doc = read_genesis(path)
    result = open_memory_app().init_chain(doc)
    emit(state.output, {"file": str(path), "valid": True, "chain_id": doc.chain_id,
                        "initial_height": doc.initial_height, "app_hash": result.app_hash.hex()}, render_summary)


@app.command("export")
def export(
    ctx: typer.Context,
    home: Annotated[Path, typer.Option(help="Devnet home to export from.")] = DEFAULT_DEVNET_HOME,
    height: Annotated[Optional[int], typer.Option(min=1, help="Height to export (default: latest).")] = None,
    output_file: Annotated[Optional[Path], typer.Option(help="Write here instead of stdout.")] = None,
) -> None:
    """Export a devnet's state at a height as a genesis document for a new chain."""
    state_db = home.expanduser() / "data" / "state.db"
    if not state_db.exists():
        raise CliError(f"no chain state at {state_db}")
    from suretychain.app import make_app
    from suretychain.core.store import CommitStore

    store = CommitStore(str(state_db))
    try:
        doc = make_app(store).export_genesis(height)
    finally:
        store.close()
    data = encode_genesis(doc)
    if output_file is None:
        typer.echo(data.decode(), nl=False)
        return
    output_file.expanduser().write_bytes(data)
    emit(get_state(ctx).output, {"file": str(output_file), "chain_id": doc.chain_id,
                                 "initial_height": doc.initial_height}, render_summary)
