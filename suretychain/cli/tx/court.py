"""``surety tx court``: jurors stake, unstake and declare affiliations; parties submit evidence and appeal; drawn
jurors commit and reveal votes; anyone funds a side of an appeal or advances a dispute whose period is over.

``commit`` draws the vote's salt and stores the whole vote under ``<home>/court-votes`` before the tx is signed
(``suretychain.client.court``); ``reveal`` reads it back, so it needs no salt (``--salt`` and the vote options
override the stored fields). Every rule is the chain's: with ``--gas auto`` the simulation returns its coded error
before anything is signed or stored. The CLI only turns text into msg fields.
"""
from __future__ import annotations

import dataclasses
import hashlib
from pathlib import Path
from typing import Annotated, Any, Callable, Iterable, Optional

import typer

from suretychain.cli.context import CliError, CliState, get_state
from suretychain.cli.output import emit
from suretychain.cli.tx.common import TxOptions, run_tx, with_tx_options
from suretychain.client.client import Client
from suretychain.client.court import (
    VoteSecretStore,
    get_current_round,
    is_committed,
    make_commit,
    make_reveal,
    parse_magnitude,
    prepare_vote_secret,
    resolve_secret,
)
from suretychain.core.encoding import Address
from suretychain.core.tx import Msg
from suretychain.modules.court.types import (
    MsgAdvanceDispute,
    MsgAppeal,
    MsgDeclareAffiliation,
    MsgFundAppeal,
    MsgStakeJuror,
    MsgSubmitEvidence,
    MsgUnstakeJuror,
)

app = typer.Typer(no_args_is_help=True, help="Court: juror stakes, evidence, votes, appeals.")
secrets_app = typer.Typer(no_args_is_help=True, help="Vote secrets stored by `commit` (local, never sent).")
app.add_typer(secrets_app, name="secrets")

JurorKeyArgument = Annotated[str, typer.Argument(help="Name of the juror's key.")]
FromKeyArgument = Annotated[str, typer.Argument(help="Name of the signing key.")]
DisputeArgument = Annotated[int, typer.Argument(min=0, help="Dispute id (see `surety query court disputes`).")]
CourtArgument = Annotated[str, typer.Argument(help="Court id or name (see `surety query court courts`).")]
AmountArgument = Annotated[int, typer.Argument(min=0, help="Amount in base units of the court denom (usrt).")]
RoundOption = Annotated[Optional[int], typer.Option("--round", min=0, help="Round index (default: the dispute's "
                                                   "current round).")]
ChoiceOption = Annotated[Optional[str], typer.Option("--choice", help="Option index or name (see the dispute's "
                                                     "options).")]
MagnitudeOption = Annotated[Optional[str], typer.Option("--magnitude", help="Magnitude: basis points (2500) or a "
                                                        "percentage (25%).")]
ReasonOption = Annotated[Optional[str], typer.Option("--reason", help="The written reason (mandatory for a vote).")]
ReasonFileOption = Annotated[Optional[Path], typer.Option("--reason-file", exists=True, dir_okay=False,
                                                          help="Read the reason from this file (UTF-8).")]


def send(ctx: typer.Context, from_key: str, make_msg: Callable[[Address], Msg], options: TxOptions,
         state: CliState | None = None, before_broadcast: Callable[[Any], None] | None = None) -> dict[str, Any]:
    """Sign and broadcast the one msg ``make_msg(signer)`` builds."""
    return run_tx(state or get_state(ctx), from_key, lambda signer: [make_msg(Address(signer))], options,
                  before_broadcast)


def resolve_court(client: Client, text: str) -> int:
    """A court id from its id or its name (as ``court/courts`` lists them)."""
    if text.isdigit():
        return int(text)
    courts = client.court_courts()["courts"]
    for court in courts:
        if court["name"].lower() == text.lower():
            return int(court["id"])
    names = ", ".join(f"{c['id']} {c['name']}" for c in courts)
    raise typer.BadParameter(f"no court named {text!r}; courts: {names}", param_hint="COURT")


def resolve_choice(options: list[str], text: str, param_hint: str = "--choice") -> int:
    """An option index from its index or its text."""
    if text.isdigit() and int(text) < len(options):
        return int(text)
    for index, option in enumerate(options):
        if option.lower() == text.lower():
            return index
    listed = ", ".join(f"{i} {o!r}" for i, o in enumerate(options))
    raise typer.BadParameter(f"{text!r} is not an option of this dispute: {listed}", param_hint=param_hint)


def read_reason(reason: str | None, reason_file: Path | None, required: bool) -> str | None:
    """The reason from ``--reason`` or ``--reason-file`` (not both)."""
    if reason is not None and reason_file is not None:
        raise typer.BadParameter("give --reason or --reason-file, not both", param_hint="--reason")
    if reason_file is not None:
        return reason_file.read_text(encoding="utf-8")
    if reason is None and required:
        raise typer.BadParameter("a vote needs its written reason", param_hint="--reason")
    return reason


def parse_salt(value: Optional[str]) -> Optional[str]:
    """A salt as hex (normalised to lower case)."""
    if value is None:
        return None
    try:
        return bytes.fromhex(value).hex()
    except ValueError:
        raise typer.BadParameter(f"expected hex, got {value!r}") from None


def parse_digest(value: Optional[str]) -> Optional[str]:
    """A 32-byte digest as 64 hex digits."""
    if value is not None and (len(value) != 64 or parse_salt(value) is None):
        raise typer.BadParameter("expected 64 hex digits (a sha256 digest)")
    return value


def with_chain_id(state: CliState, client: Client) -> CliState:
    """``state`` with its chain id fixed (``--chain-id``, else the node's), so the vote secret names its chain."""
    return dataclasses.replace(state, chain_id=state.chain_id or client.status()["chain_id"])


@dataclasses.dataclass(frozen=True)
class VoteContext:
    """What a commit or reveal needs: the chain-pinned state, the secret store, the juror, round and options."""

    state: CliState
    store: VoteSecretStore
    juror: str
    round: int
    options: list[str]

    @property
    def chain_id(self) -> str:
        return self.state.chain_id  # type: ignore[return-value]


def get_vote_context(ctx: typer.Context, juror_key: str, dispute_id: int, round_index: int | None) -> VoteContext:
    """The chain id, the dispute's current round (unless ``--round``) and options, and the juror's address."""
    state = get_state(ctx)
    with state.client() as client:
        state = with_chain_id(state, client)
        dispute = client.court_dispute(dispute_id)
    round_ = get_current_round(dispute) if round_index is None else round_index
    return VoteContext(state, VoteSecretStore(state.home), state.keyring().show(juror_key).address, round_,
                       dispute["options"])


# ---- juror stakes ----------------------------------------------------------------------------------------------
def stake_command(name: str, msg_type: type, doc: str) -> None:
    """Register ``surety tx court <name> JUROR_KEY COURT AMOUNT`` sending ``msg_type``."""
    def command(ctx: typer.Context, juror_key: JurorKeyArgument, court: CourtArgument, amount: AmountArgument, *,
                options: TxOptions) -> None:
        with get_state(ctx).client() as client:
            court_id = resolve_court(client, court)
        send(ctx, juror_key, lambda juror: msg_type(juror=juror, court=court_id, amount=amount), options)

    command.__doc__ = doc
    app.command(name)(with_tx_options(command))


stake_command("stake", MsgStakeJuror, "Stake tokens as a juror in a court (also counts for its parent courts).")
stake_command("unstake", MsgUnstakeJuror, "Withdraw free stake from a court; it is paid after the withdrawal delay.")


@app.command("declare-affiliation")
@with_tx_options
def declare_affiliation(ctx: typer.Context, juror_key: JurorKeyArgument,
                        affiliations: Annotated[Optional[list[str]], typer.Argument(
                            help="Accounts (sure1...) or subjects; none clears the list.")] = None, *,
                        options: TxOptions) -> None:
    """Replace your declared affiliations: you are never drawn for a dispute naming one of them."""
    listed = list(affiliations or [])
    send(ctx, juror_key, lambda juror: MsgDeclareAffiliation(juror=juror, affiliations=listed), options)


# ---- disputes ----------------------------------------------------------------------------------------------------
@app.command("submit-evidence")
@with_tx_options
def submit_evidence(ctx: typer.Context, from_key: FromKeyArgument, dispute_id: DisputeArgument,
                    uri: Annotated[str, typer.Option(help="Where the evidence is.")] = "",
                    text: Annotated[str, typer.Option(help="A short description.")] = "",
                    digest: Annotated[Optional[str], typer.Option(callback=parse_digest, help="sha256 of the "
                                                                  "evidence, hex.")] = None,
                    file: Annotated[Optional[Path], typer.Option(exists=True, dir_okay=False, help="Compute the "
                                                                 "digest of this file.")] = None, *,
                    options: TxOptions) -> None:
    """A party submits evidence (digest, URI, short text) during the evidence period."""
    if (digest is None) == (file is None):
        raise typer.BadParameter("give --digest or --file (exactly one)", param_hint="--digest")
    raw = bytes.fromhex(digest) if digest is not None else hashlib.sha256(file.read_bytes()).digest()  # type: ignore
    send(ctx, from_key, lambda submitter: MsgSubmitEvidence(submitter=submitter, dispute_id=dispute_id, digest=raw,
                                                            uri=uri, text=text), options)


@app.command("appeal")
@with_tx_options
def appeal(ctx: typer.Context, from_key: FromKeyArgument, dispute_id: DisputeArgument, *, options: TxOptions) -> None:
    """A party pays the appeal fee for a new round with 2n + 1 jurors (during the appeal period)."""
    send(ctx, from_key, lambda appellant: MsgAppeal(appellant=appellant, dispute_id=dispute_id), options)


@app.command("fund-appeal")
@with_tx_options
def fund_appeal(ctx: typer.Context, from_key: FromKeyArgument, dispute_id: DisputeArgument,
                choice: Annotated[str, typer.Argument(help="The side to fund: option index or name.")],
                amount: AmountArgument, *, options: TxOptions) -> None:
    """Anyone funds one side of the appeal of the current round (appeal period); when a second side is fully
    funded the next round opens. What the side no longer needs is not taken."""
    with get_state(ctx).client() as client:
        side = resolve_choice(client.court_dispute(dispute_id)["options"], choice, param_hint="CHOICE")
    send(ctx, from_key, lambda funder: MsgFundAppeal(funder=funder, dispute_id=dispute_id, choice=side,
                                                     amount=amount), options)


@app.command("advance")
@with_tx_options
def advance(ctx: typer.Context, from_key: FromKeyArgument, dispute_id: DisputeArgument, *,
            options: TxOptions) -> None:
    """Move a dispute to its next period once its time is up (anyone may)."""
    send(ctx, from_key, lambda sender: MsgAdvanceDispute(sender=sender, dispute_id=dispute_id), options)


# ---- votes ---------------------------------------------------------------------------------------------------------
@app.command("commit")
@with_tx_options
def commit(ctx: typer.Context, juror_key: JurorKeyArgument, dispute_id: DisputeArgument,
           choice: ChoiceOption = None, magnitude: MagnitudeOption = "0", reason: ReasonOption = None,
           reason_file: ReasonFileOption = None, round_index: RoundOption = None, *, options: TxOptions) -> None:
    """Commit a vote (choice, magnitude, written reason) as a hash; the salt is drawn and stored locally first."""
    if choice is None:
        raise typer.BadParameter("a vote needs --choice", param_hint="--choice")
    text = read_reason(reason, reason_file, required=True)
    bps = parse_magnitude(magnitude or "0")
    vote = get_vote_context(ctx, juror_key, dispute_id, round_index)
    secret = prepare_vote_secret(vote.store, vote.chain_id, dispute_id, vote.round, vote.juror,
                                 resolve_choice(vote.options, choice), bps, text)  # type: ignore[arg-type]
    saved: list[Path] = []
    send(ctx, juror_key, lambda signer: make_commit(secret), options, vote.state,
         before_broadcast=lambda body: saved.append(vote.store.save(secret)))
    typer.echo(f"vote secret stored in {saved[0]}", err=True)


@app.command("reveal")
@with_tx_options
def reveal(ctx: typer.Context, juror_key: JurorKeyArgument, dispute_id: DisputeArgument,
           round_index: RoundOption = None,
           salt: Annotated[Optional[str], typer.Option(callback=parse_salt, help="Salt (hex) instead of the "
                                                       "stored one.")] = None,
           choice: ChoiceOption = None, magnitude: MagnitudeOption = None, reason: ReasonOption = None,
           reason_file: ReasonFileOption = None,
           keep_secret: Annotated[bool, typer.Option(help="Keep the stored secret after the reveal is "
                                                     "committed.")] = False, *,
           options: TxOptions) -> None:
    """Reveal your committed vote from the stored secret (no salt needed); removes the secret once committed."""
    vote = get_vote_context(ctx, juror_key, dispute_id, round_index)
    overrides = {"salt": salt, "choice": None if choice is None else resolve_choice(vote.options, choice),
                 "magnitude": None if magnitude is None else parse_magnitude(magnitude),
                 "reason": read_reason(reason, reason_file, required=False)}
    secret = resolve_secret(vote.store, vote.chain_id, dispute_id, vote.round, vote.juror, overrides)
    result = send(ctx, juror_key, lambda signer: make_reveal(secret), options, vote.state)
    if not keep_secret and is_committed(result) and vote.store.remove(vote.chain_id, dispute_id, vote.round,
                                                                       vote.juror):
        typer.echo(f"vote secret of dispute {dispute_id} round {vote.round} removed (revealed)", err=True)


# ---- stored secrets ------------------------------------------------------------------------------------------------
@secrets_app.command("list")
def list_secrets(ctx: typer.Context) -> None:
    """The vote secrets stored under <home>/court-votes (salts are not shown in text)."""
    state = get_state(ctx)
    stored = [dataclasses.asdict(s) for s in VoteSecretStore(state.home).list()]
    emit(state.output, {"secrets": stored}, render_secrets)


@secrets_app.command("remove")
def remove_secret(ctx: typer.Context, juror_key: JurorKeyArgument, dispute_id: DisputeArgument,
                  round_index: Annotated[int, typer.Option("--round", min=0, help="Round index.")] = 0) -> None:
    """Delete a stored vote secret (only once it is revealed, or if its commit never reached the chain)."""
    state = get_state(ctx)
    with state.client() as client:
        chain_id = with_chain_id(state, client).chain_id
    juror = state.keyring().show(juror_key).address
    if not VoteSecretStore(state.home).remove(chain_id, dispute_id, round_index, juror):  # type: ignore[arg-type]
        raise CliError(f"no stored vote of {juror_key} for dispute {dispute_id} round {round_index} on {chain_id}")
    emit(state.output, {"removed": {"chain_id": chain_id, "dispute_id": dispute_id, "round": round_index,
                                    "juror": juror}})


def render_secrets(data: dict[str, Any]) -> Iterable[str]:
    for s in data["secrets"]:
        reason = s["reason"] if len(s["reason"]) <= 40 else s["reason"][:37] + "..."
        yield (f"{s['chain_id']}  dispute {s['dispute_id']} round {s['round']}  {s['juror']}  choice {s['choice']}  "
               f"magnitude {s['magnitude']}bps  reason {reason!r}")
    if not data["secrets"]:
        yield "(no stored vote secrets)"

