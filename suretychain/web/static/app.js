// Surety devnet page: chain status from /status, live blocks from /stream (server-sent events).
"use strict";

const MAX_ROWS = 50;
const $ = (id) => document.getElementById(id);
let shownHeight = 0;  // the highest block in the table

function formatTime(timeNs) {
  return new Date(Number(BigInt(timeNs) / 1000000n)).toISOString().replace("T", " ").replace("Z", "");
}

async function refreshStatus() {
  try {
    const response = await fetch("/status");
    if (!response.ok) return;
    const status = await response.json();
    $("chain-id").textContent = status.chain_id;
    $("latest-height").textContent = status.latest_height;
    $("app-hash").textContent = status.latest_app_hash;
    $("block-time").textContent = status.latest_block_time;
    $("mempool-size").textContent = `${status.mempool_size} tx(s)`;
  } catch (error) {
    console.warn("status unavailable", error);
  }
}

function cell(text, className) {
  const td = document.createElement("td");
  td.textContent = text;
  if (className) { td.className = className; td.title = text; }
  return td;
}

function addBlock(block) {
  if (block.height <= shownHeight) return;
  shownHeight = block.height;
  const body = $("blocks");
  const placeholder = body.querySelector("tr.empty");
  if (placeholder) placeholder.remove();
  const row = document.createElement("tr");
  row.append(cell(block.height), cell(formatTime(block.time_ns)), cell(block.txs.length),
             cell(block.hash, "hash"), cell(block.app_hash, "hash"));
  body.prepend(row);
  while (body.rows.length > MAX_ROWS) body.deleteRow(body.rows.length - 1);
  $("latest-height").textContent = block.height;
  $("app-hash").textContent = block.app_hash;
}

function setConnected(connected) {
  const badge = $("connection");
  badge.textContent = connected ? "live" : "reconnecting…";
  badge.className = `badge ${connected ? "on" : "off"}`;
}

function connectStream() {
  const source = new EventSource("/stream");
  source.onopen = () => setConnected(true);
  source.onerror = () => setConnected(false);  // EventSource reconnects by itself
  source.onmessage = (event) => {
    const message = JSON.parse(event.data);
    if (message.type === "new_block") {
      addBlock(message);
      refreshStatus();
    }
  };
}

async function showLatestBlock() {
  try {
    const response = await fetch("/blocks/latest");
    if (response.ok) addBlock(await response.json());
  } catch (error) {
    console.warn("latest block unavailable", error);
  }
}

refreshStatus();
setInterval(refreshStatus, 5000);
connectStream();
showLatestBlock();
