// Operations view: store info, the ontology (types, hierarchy, constraints), quarantine with reasons, peers.

import { ApiError, get } from './api.js';
import { el, short, time, typeChip, value } from './format.js';

export async function refreshOperations() {
  // Store info, quarantine and peers describe the server now; the ontology follows the page's clock.
  const [info, ontology, quarantine, peers] = await Promise.all([
    readable(get('/info', { timeTravel: false }), 'ops-info'),
    readable(get('/ontology'), 'ops-ontology'),
    readable(get('/quarantine', { timeTravel: false }), 'ops-quarantine'),
    readable(get('/peers', { timeTravel: false }), 'ops-peers'),
  ]);
  if (info) showInfo(info);
  if (ontology) showOntology(ontology);
  if (quarantine) showQuarantine(quarantine);
  if (peers) showPeers(peers);
}

/** A section the key may not reach (403) says so in place; the other sections still show. */
async function readable(read, sectionId) {
  try {
    return await read;
  } catch (error) {
    if (!(error instanceof ApiError) || error.status !== 403) throw error;
    const section = document.getElementById(sectionId);
    section.replaceChildren(section.tagName === 'TBODY'
      ? el('tr', {}, el('td', { class: 'error', colspan: 6 }, error.message))
      : el('p', { class: 'error' }, error.message));
    return null;
  }
}

function showQuarantine(quarantine) {
  document.getElementById('ops-quarantine').replaceChildren(...quarantine.items.map((q) =>
    el('tr', { 'data-testid': 'quarantine-entry', 'data-hash': q.hash },
      el('td', {}, el('code', { title: q.hash }, short(q.hash))), el('td', {}, q.op), el('td', {}, q.reason))));
  if (quarantine.items.length === 0) document.getElementById('ops-quarantine').append(emptyRow(3, 'No entry is quarantined.'));
}

function showPeers(peers) {
  document.getElementById('ops-peers').replaceChildren(...peers.peers.map((p) =>
    el('tr', { 'data-testid': 'peer', 'data-peer-id': p.peer_id },
      el('td', {}, p.peer_id), el('td', {}, p.address), el('td', {}, time(p.last_success_ms)),
      el('td', {}, p.consecutive_failures),
      el('td', { class: p.last_error ? 'error' : '' }, p.last_error ? `${p.last_error} (${time(p.last_error_ms)})` : '—'),
      el('td', {}, `${p.entries_pulled} / ${p.entries_pushed}`))));
  if (peers.peers.length === 0) document.getElementById('ops-peers').append(emptyRow(6, 'No peer is configured.'));
}

function showInfo(info) {
  const rows = [
    ['instance', info.instance_id], ['entries', info.entry_count], ['nodes', info.node_count], ['edges', info.edge_count],
    ['durability', info.durability], ['clock', `${time(info.physical_ms)} (${info.physical_ms}.${info.logical})`],
    ['heads', info.heads.map(short).join(', ')], ['ontology hash', short(info.ontology_hash)],
    ['protocol version', info.protocol_version],
  ];
  document.getElementById('ops-info').replaceChildren(...rows.map(([k, v]) =>
    el('tr', { 'data-testid': `info-${k.replace(/ /g, '-')}` }, el('th', {}, k), el('td', {}, v))));
}

function showOntology(ontology) {
  const nodeTypes = Object.entries(ontology.node_types).sort(([a], [b]) => a.localeCompare(b));
  const edgeTypes = Object.entries(ontology.edge_types).sort(([a], [b]) => a.localeCompare(b));
  document.getElementById('ops-ontology').replaceChildren(
    el('h3', {}, 'Node types'),
    ...nodeTypes.map(([name, def]) => el('div', { class: 'type-def', 'data-testid': 'ontology-node-type', 'data-type': name },
      el('p', {}, typeChip(name), def.parent_type ? ` is a ${def.parent_type}` : '', def.description ? el('span', { class: 'hint' }, ` — ${def.description}`) : null),
      properties(def.properties),
      Object.keys(def.subtypes ?? {}).length
        ? el('p', {}, 'Subtypes: ', Object.entries(def.subtypes).map(([s, sd]) => el('span', { class: 'subtype' }, s, properties(sd.properties))))
        : null)),
    el('h3', {}, 'Edge types'),
    ...edgeTypes.map(([name, def]) => el('div', { class: 'type-def', 'data-testid': 'ontology-edge-type', 'data-type': name },
      el('p', {}, el('strong', {}, name), ` ${def.source_types.join(' | ') || 'any'} → ${def.target_types.join(' | ') || 'any'}`,
        def.description ? el('span', { class: 'hint' }, ` — ${def.description}`) : null),
      properties(def.properties))));
}

function properties(props) {
  const entries = Object.entries(props ?? {});
  if (entries.length === 0) return null;
  return el('ul', { class: 'props' }, entries.map(([name, p]) => el('li', {},
    el('code', {}, name), `: ${p.value_type}${p.required ? ', required' : ''}`,
    ...Object.entries(p.constraints ?? {}).map(([c, v]) => `, ${c} ${value(v)}`))));
}

function emptyRow(span, text) {
  return el('tr', {}, el('td', { colspan: span, class: 'hint' }, text));
}
