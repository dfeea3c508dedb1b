// The explorer page: wires the overview, search, node page, drawing, recent changes, time travel, operations and
// the API key. A link /#node=<id> opens that node when the page loads (and when the link changes).

import { auth, clock, get, Unauthorized } from './api.js';
import { el, short, time } from './format.js';
import { GraphDrawing } from './graph.js';
import { LiveTail } from './live.js';
import { describe, NodePage } from './node.js';
import { refreshOperations } from './operations.js';
import { Overview } from './overview.js';
import { Search } from './search.js';
import { TimeTravel } from './timetravel.js';

const MAX_EVENTS_SHOWN = 2000;

const errorBox = document.getElementById('error');
const status = document.getElementById('live-status');
const eventList = document.getElementById('live-events');
const authDialog = document.getElementById('auth-dialog');
const hopsInput = document.getElementById('graph-hops');
let view = 'explore';

const search = new Search({ onOpen: (id) => openNode(id), onResults: (ids) => graph.setSearch(ids) });
const nodePage = new NodePage({ onOpen: (id) => openNode(id) });
const overview = new Overview({
  onType: (type) => guarded(() => search.byType(type)),
  onQuarantine: () => {
    showView('operations');
    document.getElementById('quarantine').scrollIntoView();
  },
});
const graph = new GraphDrawing({
  container: document.getElementById('graph'),
  legend: document.getElementById('graph-legend'),
  onOpen: (id) => openNode(id),
});
const timeTravel = new TimeTravel({ onChange: () => refreshAll() });
const live = new LiveTail({
  onEntry: showEvent,
  onCaughtUp: () => scheduleRefresh(),
  onState: (state) => { status.textContent = state; status.dataset.state = state; },
  onClosed: () => recoverStream(),
});

/** Runs a step of the page; a 401 asks for the key, any other failure is shown. */
async function guarded(step) {
  try {
    await step();
    errorBox.hidden = true;
  } catch (error) {
    if (error instanceof Unauthorized) askForKey(error.message);
    else {
      errorBox.textContent = error.message;
      errorBox.hidden = false;
    }
  }
}

async function openNode(id) {
  history.replaceState(null, '', `#node=${encodeURIComponent(id)}`);
  await guarded(() => Promise.all([nodePage.show(id), graph.show(id, hops())]));
}

/** The node a /#node=<id> link names, or null. */
function linkedNode() {
  const id = new URLSearchParams(location.hash.slice(1)).get('node');
  return id ? id : null;
}

const hops = () => Math.min(5, Math.max(1, Number(hopsInput.value) || 1));

/** Reads everything shown again (at the page's clock). */
async function refreshAll() {
  await guarded(async () => {
    search.setTypes(await get('/ontology'));
    const steps = [search.refresh(), nodePage.refresh(), graph.redraw(), overview.refresh()];
    if (view === 'operations') steps.push(refreshOperations());
    await Promise.all(steps);
  });
}

// Writes come in bursts: one re-read per burst, not one per entry, and at least one every 150 ms while writes
// go on (a timer that each entry pushed back would starve the overview under a steady stream of writes).
let refreshTimer = null;
function scheduleRefresh() {
  if (refreshTimer !== null) return;
  refreshTimer = setTimeout(() => {
    refreshTimer = null;
    // In the past nothing shown changes; the event list and the slider's range still grow.
    if (clock.asOf === null) refreshAll();
  }, 150);
}

function showEvent(event, id) {
  timeTravel.extend(event.physical_ms);
  const subject = event.node_id ?? event.edge_id ?? event.entity_id ?? '';
  eventList.prepend(el('li', { 'data-testid': 'live-event', 'data-hash': event.hash, 'data-event-id': id, 'data-op': event.op },
    el('span', { class: 'hint' }, time(event.physical_ms)), ' ',
    el('strong', {}, event.op), ' ', subject ? el('code', {}, subject) : null, ' ',
    el('span', { class: 'hint' }, describe(event.payload), ' by ', event.author, ' ', short(event.hash))));
  while (eventList.children.length > MAX_EVENTS_SHOWN) eventList.lastElementChild.remove();
  scheduleRefresh();
}

/** The browser stopped retrying the stream: find out why, then resume from the last cursor. */
async function recoverStream() {
  const from = live.cursor === null ? 'last=0' : `cursor=${encodeURIComponent(live.cursor)}`;
  const url = `/tail?timeout_ms=0&max_count=1&${from}`;
  try {
    await get(url, { timeTravel: false });
    live.reopenLater(1000);
  } catch (error) {
    if (error instanceof Unauthorized) askForKey(error.message);
    else if (error.status === 410) {
      // Compacted past our cursor: what the page shows is re-read; the list goes on from now.
      eventList.prepend(el('li', { class: 'hint' }, 'The log was compacted past this page\u2019s position; following from now.'));
      live.cursor = 'now';
      live.open();
      refreshAll();
    } else live.reopenLater(2000);
  }
}

function askForKey(reason) {
  document.getElementById('auth-reason').textContent = reason || 'This server asks for an API key.';
  document.getElementById('auth-key').value = auth.key;
  if (authDialog.open) return;
  // Escape keeps the previous returnValue; clear it so a dismissed dialog changes nothing.
  authDialog.returnValue = '';
  authDialog.showModal();
}

authDialog.addEventListener('close', () => {
  if (authDialog.returnValue === 'save') auth.key = document.getElementById('auth-key').value.trim();
  else if (authDialog.returnValue === 'clear') auth.key = '';
  else return;
  live.open();
  start();
});

function showView(name) {
  view = name;
  for (const tab of document.querySelectorAll('.tab')) tab.classList.toggle('active', tab.dataset.view === name);
  document.getElementById('view-explore').hidden = name !== 'explore';
  document.getElementById('view-operations').hidden = name !== 'operations';
  if (name === 'operations') guarded(refreshOperations);
  else graph.shown();
}

for (const tab of document.querySelectorAll('.tab')) tab.addEventListener('click', () => showView(tab.dataset.view));
document.getElementById('search-form').addEventListener('submit', (e) => { e.preventDefault(); guarded(() => search.run()); });
document.getElementById('search-more').addEventListener('click', () => guarded(() => search.loadMore()));
document.getElementById('auth-open').addEventListener('click', () => askForKey('API key for this server (empty when auth is off).'));
document.getElementById('live-reconnect').addEventListener('click', () => live.open());
hopsInput.addEventListener('change', () => { if (graph.root !== null) guarded(() => graph.show(graph.root, hops())); });
document.getElementById('graph-whole').addEventListener('click', () => guarded(() => graph.showOverview()));
// A pasted or followed link to another node in this tab (openNode itself replaces the hash without an event).
window.addEventListener('hashchange', () => {
  const linked = linkedNode();
  if (linked !== null && linked !== nodePage.id) openNode(linked);
});

async function start() {
  await guarded(async () => {
    await timeTravel.load();
    // A deep link opens its node with the first read (a key entered later starts here again: keep the open node).
    const linked = linkedNode();
    if (linked !== null && nodePage.id === null) await openNode(linked);
    await refreshAll();
  });
  document.body.dataset.ready = 'true';
}

live.open();
start();
