// The overview: what the database holds now (counts in all and by type, log size, heads, quarantine, peers and
// how long since each last synced) and the ontology's types with their properties. Always the current state:
// GET /info has no as_of, so the overview does not follow the time-travel clock.

import { ApiError, get } from './api.js';
import { el, short, time, typeChip } from './format.js';

export class Overview {
  /** @param {{ onType: (type: string) => void, onQuarantine: () => void }} options */
  constructor({ onType, onQuarantine }) {
    this.onType = onType;
    document.getElementById('overview-quarantine').addEventListener('click', (e) => {
      e.preventDefault();
      onQuarantine();
    });
  }

  async refresh() {
    const now = { timeTravel: false };
    const [info, ontology, quarantine, peers] = await Promise.all([
      get('/info', now), get('/ontology', now), visible(get('/quarantine', now)), visible(get('/peers', now)),
    ]);
    document.getElementById('overview-instance').textContent = `instance ${info.instance_id}, ${info.durability} durability`;
    set('overview-nodes', info.node_count);
    set('overview-edges', info.edge_count);
    set('overview-entries', info.entry_count);
    set('overview-heads', info.heads.length);
    document.getElementById('overview-head-list').replaceChildren(...info.heads.map((h) => el('code', { title: h }, ` ${short(h)}`)));
    const shownQuarantine = quarantine.hidden ? '?' : quarantine.items.length;
    set('overview-quarantine', shownQuarantine);
    document.getElementById('overview-quarantine').classList.toggle('error', shownQuarantine !== '?' && shownQuarantine > 0);
    this.showNodeTypes(ontology.node_types, info.node_counts_by_type);
    this.showEdgeTypes(ontology.edge_types, info.edge_counts_by_type);
    showPeers(peers, info.physical_ms);
  }

  /** Every type of the ontology (and any type a node still has that it no longer defines), parents before children. */
  showNodeTypes(types, counts) {
    const rows = [];
    const children = new Map();
    for (const name of new Set([...Object.keys(types), ...Object.keys(counts)])) {
      const parent = types[name]?.parent_type && types[types[name].parent_type] ? types[name].parent_type : '';
      if (!children.has(parent)) children.set(parent, []);
      children.get(parent).push(name);
    }
    const add = (parent, depth) => {
      for (const name of (children.get(parent) ?? []).sort()) {
        const def = types[name];
        const chip = typeChip(name);
        const link = el('a', { href: '#', title: `Search nodes of type ${name} (and its descendant types)`, onclick: (e) => { e.preventDefault(); this.onType(name); } }, chip);
        rows.push(el('tr', { 'data-testid': 'overview-node-type', 'data-type': name },
          el('td', { style: `padding-left: ${0.4 + depth * 1.1}rem` }, link, def ? null : el('span', { class: 'hint' }, ' not in the ontology'),
            def?.description ? el('div', { class: 'hint' }, def.description) : null),
          el('td', { class: 'count', 'data-testid': 'overview-type-count' }, counts[name] ?? 0),
          el('td', {}, propertyList(def?.properties), subtypes(def?.subtypes))));
        add(name, depth + 1);
      }
    };
    add('', 0);
    document.getElementById('overview-node-types').replaceChildren(...rows);
  }

  showEdgeTypes(types, counts) {
    const names = [...new Set([...Object.keys(types), ...Object.keys(counts)])].sort();
    document.getElementById('overview-edge-types').replaceChildren(...names.map((name) => {
      const def = types[name];
      return el('tr', { 'data-testid': 'overview-edge-type', 'data-type': name },
        el('td', {}, el('strong', { class: 'edge-type' }, name),
          def ? el('div', { class: 'hint' }, `${def.source_types.join(' | ') || 'any'} → ${def.target_types.join(' | ') || 'any'}`) : el('span', { class: 'hint' }, ' not in the ontology')),
        el('td', { class: 'count', 'data-testid': 'overview-type-count' }, counts[name] ?? 0),
        el('td', {}, propertyList(def?.properties)));
    }));
  }
}

/** A read this key may not make (403) becomes `{ hidden: message }` instead of failing the overview. */
async function visible(read) {
  try {
    return await read;
  } catch (error) {
    if (error instanceof ApiError && error.status === 403) return { hidden: error.message };
    throw error;
  }
}

function set(id, value) {
  document.getElementById(id).textContent = String(value);
}

/** Peers with how long ago each last synced, by the server's clock (the lag of what this server has from it). */
function showPeers(peers, serverMs) {
  const box = document.getElementById('overview-peers');
  if (peers.hidden) {
    set('overview-peer-count', '?');
    box.replaceChildren(el('p', { class: 'hint', 'data-testid': 'overview-peers-hidden' },
      `Peers are not visible to this key: GET /peers needs the admin role (${peers.hidden}).`));
    return;
  }
  set('overview-peer-count', peers.peers.length);
  if (peers.peers.length === 0) {
    box.replaceChildren(el('p', { class: 'hint' }, 'No peer is configured.'));
    return;
  }
  box.replaceChildren(el('table', {},
    el('thead', {}, el('tr', {}, el('th', {}, 'peer'), el('th', {}, 'last sync'), el('th', {}, 'failures'))),
    el('tbody', {}, peers.peers.map((p) => el('tr', { 'data-testid': 'overview-peer', 'data-peer-id': p.peer_id },
      el('td', {}, p.peer_id, el('div', { class: 'hint' }, p.address)),
      el('td', { 'data-testid': 'overview-peer-lag', title: time(p.last_success_ms) }, p.last_success_ms ? `${ago(serverMs - p.last_success_ms)} ago` : 'never'),
      el('td', { class: p.consecutive_failures ? 'error' : '' }, p.consecutive_failures,
        p.last_error ? el('div', { class: 'hint' }, p.last_error) : null))))));
}

function ago(ms) {
  const seconds = Math.max(0, Math.round(ms / 1000));
  if (seconds < 120) return `${seconds} s`;
  if (seconds < 7200) return `${Math.round(seconds / 60)} min`;
  if (seconds < 172800) return `${Math.round(seconds / 3600)} h`;
  return `${Math.round(seconds / 86400)} days`;
}

function propertyList(props) {
  const entries = Object.entries(props ?? {});
  if (entries.length === 0) return el('span', { class: 'hint' }, '—');
  return el('span', { class: 'prop-list' }, entries.flatMap(([name, p], i) => [i ? ', ' : '',
    el('code', { title: p.description ?? '' }, name), el('span', { class: 'hint' }, `: ${p.value_type}${p.required ? ' (required)' : ''}`)]));
}

function subtypes(defs) {
  const names = Object.keys(defs ?? {});
  return names.length ? el('div', { class: 'hint' }, `subtypes: ${names.sort().join(', ')}`) : null;
}
