// Surety court pages, from the API's /court/... reads (docs/api.md): the disputes list (/web/court), one dispute
// (/web/court?dispute=ID) and one juror (/web/court?juror=ADDRESS). Plain DOM, no build step; every text from the
// chain is set as text, never as HTML. Fields the court module adds are shown as they come ("more" lists).
"use strict";

const main = document.getElementById("court");
const params = new URLSearchParams(window.location.search);

// ---- small helpers ------------------------------------------------------------------------------------------------
function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs || {})) {
    if (value !== undefined && value !== null) node.setAttribute(name, value);
  }
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

function link(href, text) { return el("a", { href }, text); }
function disputeLink(id) { return link(`/web/court?dispute=${encodeURIComponent(id)}`, `#${id}`); }
function jurorLink(address) { return link(`/web/court?juror=${encodeURIComponent(address)}`, address); }

function formatTime(timeNs) {
  return new Date(Number(BigInt(timeNs) / 1000000n)).toISOString().replace("T", " ").replace("Z", " UTC");
}

function formatBps(bps) {  // basis points as a percentage, integer arithmetic only
  const whole = Math.floor(bps / 100), rest = String(bps % 100).padStart(2, "0");
  return `${whole}.${rest}%`;
}

function table(id, headers, rows, empty) {
  const body = el("tbody", { id });
  if (rows.length === 0) body.append(el("tr", { class: "empty" }, el("td", { colspan: headers.length }, empty)));
  for (const row of rows) body.append(row);
  return el("table", {}, el("thead", {}, el("tr", {}, headers.map((h) => el("th", {}, h)))), body);
}

function row(cells, attrs) {
  return el("tr", attrs, cells.map((c) => (c instanceof Node && c.tagName === "TD") ? c : el("td", {}, c)));
}

function card(title, id, ...content) {
  return el("section", { class: "card", id }, el("h2", {}, title), ...content);
}

function definitions(pairs) {
  return el("dl", {}, pairs.map(([term, value, id]) => [el("dt", {}, term), el("dd", { id }, value)]));
}

function extraFields(object, known) {  // what the chain serves beyond the fields this page knows
  const pairs = Object.entries(object).filter(([name]) => !known.includes(name));
  return pairs.map(([name, value]) => [name, typeof value === "object" ? JSON.stringify(value) : String(value),
                                       `extra-${name}`]);
}

async function getJson(path) {
  const response = await fetch(path);
  const body = await response.json().catch(() => null);
  if (!response.ok) {
    const error = body && body.error ? body.error : { codespace: "api", code: response.status, message: "" };
    throw Object.assign(new Error(`${error.codespace}/${error.code}: ${error.message}`), { error });
  }
  return body;
}

function showError(error) {
  main.replaceChildren(el("p", { class: "notice error", id: "error" }, `Error: ${error.message}`));
}

function describeRuling(dispute) {
  if (!dispute.ruling) return "—";
  const { choice, magnitude } = dispute.ruling;
  return `${dispute.options[choice]} (option ${choice}), magnitude ${formatBps(magnitude)}`;
}

let courtNames = {};
async function loadCourtNames() {
  try {
    const answer = await getJson("/court/courts");
    courtNames = Object.fromEntries(answer.courts.map((c) => [c.id, c.name]));
  } catch (error) {
    console.warn("courts unavailable", error);
  }
}
function courtName(id) { return courtNames[id] ? `${courtNames[id]} (${id})` : String(id); }

// ---- disputes list ------------------------------------------------------------------------------------------------
async function showDisputes() {
  const filters = new URLSearchParams();
  for (const name of ["court", "open_only", "limit", "start_after"]) {
    if (params.get(name)) filters.set(name, params.get(name));
  }
  const query = filters.toString();
  const answer = await getJson(`/court/disputes${query ? `?${query}` : ""}`);
  const rows = answer.disputes.map((d) => row([
    disputeLink(d.id), courtName(d.court), d.question, d.period, `${d.rounds.length - 1}`,
    el("span", { class: "ruling" }, describeRuling(d)),
    d.final ? el("span", { class: "pill final" }, "final") : el("span", { class: "pill" }, "open"),
  ], { "data-dispute": d.id }));
  main.replaceChildren(card("Disputes", "disputes-card",
    table("disputes", ["Id", "Court", "Question", "Period", "Round", "Ruling", ""], rows, "No disputes yet.")));
}

// ---- one dispute --------------------------------------------------------------------------------------------------
function voteCells(vote, dispute) {
  if (vote.revealed) {
    return [el("td", {}, "revealed"), el("td", { class: "choice" }, `${vote.choice} ${dispute.options[vote.choice]}`),
            el("td", { class: "num" }, formatBps(vote.magnitude)), el("td", { class: "reason" }, vote.reason)];
  }
  const status = vote.commitment ? "committed" : "not voted";
  return [el("td", {}, status), el("td", {}, "—"), el("td", {}, "—"), el("td", { class: "reason" }, "—")];
}

function fundingFacts(round, index, dispute) {  // crowdfunded appeal: each funded side's total, once anything is funded
  const funded = round.funded || [];
  if (!funded.some((amount) => amount > 0)) return [];
  const sides = funded.map((amount, i) => [amount, i]).filter(([amount]) => amount > 0).map(([amount, i]) =>
    `${dispute.options[i]} (option ${i}): ${amount}${(round.funded_sides || []).includes(i) ? " (fully funded)" : ""}`);
  return [["Appeal funding", sides.join("; "), `funding-${index}`],
          ["Crowdfunded", round.crowdfunded ? "yes: opened the next round" : "no", `crowdfunded-${index}`]];
}

function roundCard(round, index, dispute) {
  const facts = definitions([
    ["Jurors", `${round.juror_count} seat(s)`], ["Fee", `${round.fee}`], ["Lock per seat", `${round.lock_per_seat}`],
    ["Draw", round.drawn ? `drawn at height ${round.draw_height}` : `at height ${round.draw_height}`],
    ["Settled", round.settled ? "yes" : "no"],
    ...fundingFacts(round, index, dispute),
    ...extraFields(round, ["juror_count", "fee", "lock_per_seat", "draw_height", "snapshot", "drawn", "votes",
                           "settled", "funded", "funded_sides", "crowdfunded"]),
  ]);
  const votes = round.drawn
    ? table(`votes-${index}`, ["Juror", "Seats", "Vote", "Choice", "Magnitude", "Reason"],
            (round.votes || []).map((v) => row([jurorLink(v.juror), el("td", { class: "num" }, v.seats),
                                        ...voteCells(v, dispute)], { "data-juror": v.juror })),
            "No juror could be drawn.")
    : el("p", { class: "notice" }, "Jurors are drawn from the beacon seed at the draw height.");
  return card(`Round ${index}`, `round-${index}`, facts, votes);
}

async function withVotes(disputeId, round, index) {  // a round served without its votes: ask court/votes
  if (round.votes !== undefined || !round.drawn) return round;
  const answer = await getJson(`/court/disputes/${disputeId}/rounds/${index}/votes`);
  return { ...round, votes: answer.votes || [] };
}

async function showDispute(id) {
  const d = await getJson(`/court/disputes/${encodeURIComponent(id)}`);
  document.title = `Dispute #${d.id} · Surety court`;
  const overview = card(`Dispute #${d.id}`, "dispute",
    definitions([
      ["Question", d.question, "question"], ["Court", courtName(d.court), "dispute-court"],
      ["Opened by", d.creator_module], ["Period", d.period, "period"],
      ["Since", formatTime(d.period_start_ns)], ["Round", `${d.rounds.length - 1}`, "current-round"],
      ["Ruling", el("span", { class: "ruling" }, describeRuling(d), d.final ? " — final" : ""), "ruling"],
      ["Parties", el("ul", { id: "parties" }, d.parties.map((p) => el("li", {}, jurorLink(p))))],
      ["Excluded", d.excluded.length ? d.excluded.join(", ") : "—"],
      ...extraFields(d, ["id", "creator_module", "court", "question", "parties", "excluded", "options", "period",
                         "period_start_ns", "rounds", "evidence", "ruling", "final"]),
    ]));
  const options = card("Options", "options-card",
    table("options", ["#", "Option", ""], d.options.map((o, i) => row([`${i}`, o,
      i === 0 ? "default (a tie rules for it)" : ""])), "No options."));
  const evidence = card("Evidence", "evidence-card",
    table("evidence", ["#", "Submitter", "Link", "Text", "Digest"], d.evidence.map((e, i) => row([
      `${i}`, jurorLink(e.submitter), /^https?:\/\//.test(e.uri) ? link(e.uri, e.uri) : e.uri, e.text,
      el("td", { class: "hash", title: e.digest }, e.digest)])), "No evidence submitted."));
  const rounds = await Promise.all(d.rounds.map((r, i) => withVotes(d.id, r, i)));
  main.replaceChildren(overview, options, evidence, ...rounds.map((r, i) => roundCard(r, i, d)));
}

// ---- one juror ----------------------------------------------------------------------------------------------------
function historyTable(entries) {  // the history's shape is the chain's: one column per field of its entries
  const columns = [...new Set(entries.flatMap((e) => Object.keys(e)))];
  return table("history", columns, entries.map((e) => row(columns.map((c) => {
    const value = e[c];
    if (c === "dispute_id") return disputeLink(value);
    return typeof value === "object" && value !== null ? JSON.stringify(value) : String(value ?? "");
  }))), "No rounds yet.");
}

async function showHistory(address) {
  try {
    const answer = await getJson(`/court/jurors/${encodeURIComponent(address)}/history`);
    const list = Object.values(answer).find(Array.isArray) || [];
    const extra = definitions(extraFields(answer, Object.keys(answer).filter((k) => Array.isArray(answer[k]))));
    return card("History", "history-card", extra, historyTable(list));
  } catch (error) {
    console.info("juror history not served", error);
    return null;
  }
}

function recordCard(summary) {  // court/juror's summary of the juror's settled rounds
  if (!summary) return [];
  return [card("Record", "record-card", definitions([
    ["Rounds sat", `${summary.rounds}`, "rounds-sat"], ["Coherent rounds", `${summary.coherent_rounds}`, "coherent"],
    ["Rewards", `${summary.total_reward}`, "rewards"], ["Penalties", `${summary.total_penalty}`, "penalties"],
  ]))];
}

async function showJuror(address) {
  const answer = await getJson(`/court/jurors/${encodeURIComponent(address)}`);
  const j = answer.juror;
  document.title = `Juror ${j.juror} · Surety court`;
  const totals = card("Juror", "juror", definitions([
    ["Address", el("span", { class: "hash" }, j.juror), "juror-address"],
    ["Staked", `${j.staked}`, "staked"], ["Locked", `${j.locked}`, "locked"],
    ["Free", `${j.staked - j.locked}`, "free"],
    ["Affiliations", j.affiliations.length ? j.affiliations.join(", ") : "—", "affiliations"],
    ...extraFields(j, ["juror", "staked", "locked", "affiliations"]),
    ...extraFields(answer, ["juror", "stakes", "withdrawals", "summary"]),
  ]));
  const stakes = card("Stakes", "stakes-card", table("stakes", ["Court", "Amount"],
    answer.stakes.map((s) => row([courtName(s.court), el("td", { class: "num" }, s.amount)])), "No stakes."));
  const withdrawals = card("Withdrawals", "withdrawals-card", table("withdrawals", ["Id", "Amount", "Paid at"],
    answer.withdrawals.map((w) => row([`${w.id}`, el("td", { class: "num" }, w.amount), formatTime(w.release_ns)])),
    "No pending withdrawals."));
  const history = await showHistory(address);
  main.replaceChildren(totals, ...recordCard(answer.summary), stakes, withdrawals, ...(history ? [history] : []));
}

// ---- start --------------------------------------------------------------------------------------------------------
document.getElementById("juror-search").addEventListener("submit", (event) => {
  event.preventDefault();
  const address = document.getElementById("juror-address").value.trim();
  if (address) window.location.search = `?juror=${encodeURIComponent(address)}`;
});

async function start() {
  await loadCourtNames();
  if (params.has("dispute")) return showDispute(params.get("dispute"));
  if (params.has("juror")) return showJuror(params.get("juror"));
  return showDisputes();
}

start().then(() => main.setAttribute("data-ready", "true"), (error) => {
  showError(error);
  main.setAttribute("data-ready", "true");
});
