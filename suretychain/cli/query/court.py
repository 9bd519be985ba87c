"""``surety query court``: params, the court tree, disputes (with their rounds, votes once revealed and rulings),
a round's votes, a juror's stakes, locks and withdrawals, and its history.

The answers are the court module's query JSON as the API serves it (``--output json``); the text form lists the
main fields and shows any other field the chain adds as ``key: value`` lines.
"""
from __future__ import annotations

from typing import Annotated, Any, Iterable, Optional

import typer

from suretychain.cli.context import get_state
from suretychain.cli.output import emit, render_text
from suretychain.client.addresses import resolve_address
from suretychain.client.court import get_current_round

app = typer.Typer(no_args_is_help=True, help="Query the court: disputes, votes, jurors.")

DisputeArgument = Annotated[int, typer.Argument(min=0, help="Dispute id.")]
JurorArgument = Annotated[str, typer.Argument(help="Juror: address (sure1...) or key name.")]
LimitOption = Annotated[Optional[int], typer.Option(min=1, help="At most this many.")]
HistoryCursorOption = Annotated[Optional[str], typer.Option(help='Page: start after "<dispute id>/<round>" (the '
                                                            "previous page's next_start_after).")]
StartAfterOption = Annotated[Optional[int], typer.Option(min=0, help="Page: start after this id.")]
JUROR_KNOWN = ("juror", "stakes", "withdrawals")
DISPUTE_KNOWN = ("id", "creator_module", "court", "question", "parties", "excluded", "options", "period",
                 "period_start_ns", "rounds", "evidence", "ruling", "final")


@app.command("params")
def params(ctx: typer.Context) -> None:
    """The court module's params."""
    state = get_state(ctx)
    with state.client() as client:
        emit(state.output, client.court_params())


@app.command("courts")
def courts(ctx: typer.Context) -> None:
    """The court tree, with each court's params."""
    state = get_state(ctx)
    with state.client() as client:
        emit(state.output, client.court_courts(), render_courts)


@app.command("dispute")
def dispute(ctx: typer.Context, dispute_id: DisputeArgument) -> None:
    """One dispute: parties, options, period, evidence, each round's jurors and revealed votes, ruling."""
    state = get_state(ctx)
    with state.client() as client:
        emit(state.output, client.court_dispute(dispute_id), render_dispute)


@app.command("disputes")
def disputes(ctx: typer.Context,
             court: Annotated[Optional[int], typer.Option(min=0, help="Only this court's disputes.")] = None,
             open_only: Annotated[Optional[bool], typer.Option("--open-only/--all", help="Only disputes without a "
                                                               "final ruling.", show_default=False)] = None,
             limit: LimitOption = None, start_after: StartAfterOption = None) -> None:
    """Disputes by id (filters and paging are sent only when given)."""
    state = get_state(ctx)
    with state.client() as client:
        emit(state.output, client.court_disputes(court, open_only, limit, start_after), render_disputes)


@app.command("votes")
def votes(ctx: typer.Context, dispute_id: DisputeArgument,
          round_index: Annotated[Optional[int], typer.Option("--round", min=0, help="Round index (default: the "
                                                             "current round).")] = None) -> None:
    """The votes of one round of a dispute (choice, magnitude and reason once revealed)."""
    state = get_state(ctx)
    with state.client() as client:
        round_ = get_current_round(client.court_dispute(dispute_id)) if round_index is None else round_index
        emit(state.output, client.court_votes(dispute_id, round_))


@app.command("juror")
def juror(ctx: typer.Context, who: JurorArgument) -> None:
    """A juror's totals (staked, locked), direct stakes, pending withdrawals (and history totals if served)."""
    state = get_state(ctx)
    address = str(resolve_address(who, state.keyring()))
    with state.client() as client:
        emit(state.output, client.court_juror(address), render_juror)


@app.command("juror-history")
def juror_history(ctx: typer.Context, who: JurorArgument, limit: LimitOption = None,
                  start_after: HistoryCursorOption = None) -> None:
    """The rounds a juror sat in: its vote, coherence, reward or penalty."""
    state = get_state(ctx)
    address = str(resolve_address(who, state.keyring()))
    with state.client() as client:
        emit(state.output, client.court_juror_history(address, limit, start_after))


# ---- text ----------------------------------------------------------------------------------------------------------
def render_courts(answer: dict[str, Any]) -> Iterable[str]:
    for c in answer["courts"]:
        p = c["params"]
        yield (f"court {c['id']}  {c['name']}  parent {c['parent']}  min_stake {p['min_stake']}  "
               f"juror_fee {p['juror_fee']}  max_rounds {p['max_rounds']}")


def describe_ruling(d: dict[str, Any]) -> str:
    ruling = d.get("ruling")
    if not ruling:
        return "none"
    final = " (final)" if d.get("final") else ""
    return f"{ruling['choice']} {d['options'][ruling['choice']]!r}, magnitude {ruling['magnitude']}bps{final}"


def render_disputes(answer: dict[str, Any]) -> Iterable[str]:
    for d in answer["disputes"]:
        yield (f"dispute {d['id']}  court {d['court']}  {d['period']}  round {len(d['rounds']) - 1}  "
               f"ruling {describe_ruling(d)}  {d['question']!r}")
    if not answer["disputes"]:
        yield "(no disputes)"
    extra = {k: v for k, v in answer.items() if k != "disputes"}
    yield from render_text(extra) if extra else ()


def render_dispute(d: dict[str, Any]) -> Iterable[str]:
    yield f"dispute {d['id']}  court {d['court']}  opened by {d['creator_module']}"
    yield f"question: {d['question']}"
    yield "options:  " + ", ".join(f"{i} {o!r}" for i, o in enumerate(d["options"]))
    yield "parties:  " + ", ".join(d["parties"])
    yield f"period:   {d['period']} (since {d['period_start_ns']} ns)"
    for i, e in enumerate(d["evidence"]):
        yield f"evidence {i}: {e['submitter']}  {e['uri']}  {e['text']!r}  digest {e['digest']}"
    for index, r in enumerate(d["rounds"]):
        state = "drawn" if r["drawn"] else f"draw at height {r['draw_height']}"
        yield f"round {index}: {r['juror_count']} jurors, {state}, fee {r['fee']}" + (", settled" if r["settled"]
                                                                                         else "")
        for v in r.get("votes", []):
            vote = (f"choice {v['choice']} magnitude {v['magnitude']}bps reason {v['reason']!r}" if v["revealed"]
                    else "committed" if v["commitment"] else "no vote yet")
            yield f"  {v['juror']} x{v['seats']}: {vote}"
        if any(r.get("funded", [])):
            yield f"  {describe_funding(d['options'], r)}"
    yield f"ruling:   {describe_ruling(d)}"
    extra = {k: v for k, v in d.items() if k not in DISPUTE_KNOWN}
    yield from render_text(extra) if extra else ()


def describe_funding(options: list[str], r: dict[str, Any]) -> str:
    """A round's appeal funding: each funded side's total, marked once fully funded."""
    sides = [f"{i} {options[i]!r} {amount}" + (" (funded)" if i in r["funded_sides"] else "")
             for i, amount in enumerate(r["funded"]) if amount]
    return "appeal funding: " + ", ".join(sides) + ("; opened the next round" if r["crowdfunded"] else "")


def render_juror(answer: dict[str, Any]) -> Iterable[str]:
    j = answer["juror"]
    yield f"juror {j['juror']}  staked {j['staked']}  locked {j['locked']}  free {j['staked'] - j['locked']}"
    if j.get("affiliations"):
        yield "affiliations: " + ", ".join(j["affiliations"])
    for s in answer["stakes"]:
        yield f"stake in court {s['court']}: {s['amount']}"
    for w in answer["withdrawals"]:
        yield f"withdrawal {w['id']}: {w['amount']} at {w['release_ns']} ns"
    extra = {k: v for k, v in answer.items() if k not in JUROR_KNOWN}
    extra.update({k: v for k, v in j.items() if k not in ("juror", "staked", "locked", "affiliations")})
    yield from render_text(extra) if extra else ()
