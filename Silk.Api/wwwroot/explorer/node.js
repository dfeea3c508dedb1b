// A node's page: properties, type and subtype, incoming and outgoing edges, and its history (the entries that
// touched it, with author and time), all read at the page's clock.

import { get, seg } from './api.js';
import { el, short, time, typeChip, value } from './format.js';

export class NodePage {
  /** @param {{ onOpen: (id: string) => void }} options */
  constructor({ onOpen }) {
    this.onOpen = onOpen;
    this.id = null;
    this.section = document.getElementById('node-view');
  }

  async show(id) {
    this.id = id;
    await this.refresh();
  }

  async refresh() {
    const id = this.id;
    if (id === null) return;
    const path = `/nodes/${seg(id)}`;
    const [node, out, into, history] = await Promise.all([
      get(path, { allow404: true }),
      get(`${path}/edges?direction=out`, { allow404: true }),
      get(`${path}/edges?direction=in`, { allow404: true }),
      get(`${path}/history`, { allow404: true }),
    ]);
    if (id !== this.id) return;

    this.section.hidden = false;
    this.section.dataset.nodeId = id;
    document.getElementById('node-id').textContent = id;
    document.getElementById('node-label').textContent = node ? node.label : '';
    document.getElementById('node-missing').hidden = node !== null;
    document.getElementById('node-body').hidden = node === null;
    document.getElementById('node-type').replaceChildren(node ? typeChip(node.node_type) : '');
    document.getElementById('node-subtype').textContent = node?.subtype ?? '—';
    document.getElementById('node-properties').replaceChildren(...Object.entries(node?.properties ?? {}).map(([k, v]) =>
      el('tr', { 'data-testid': 'node-property', 'data-key': k }, el('th', {}, k), el('td', {}, value(v)))));
    document.getElementById('node-edges-out').replaceChildren(...(out?.items ?? []).map((e) => this.edge(e, e.target_id, '→')));
    document.getElementById('node-edges-in').replaceChildren(...(into?.items ?? []).map((e) => this.edge(e, e.source_id, '←')));
    // Newest first: the log order is parents first.
    document.getElementById('node-history').replaceChildren(...(history?.items ?? []).slice().reverse().map((entry) =>
      el('tr', { 'data-testid': 'history-entry', 'data-hash': entry.hash },
        el('td', {}, time(entry.physical_ms)),
        el('td', {}, describe(entry.payload)),
        el('td', {}, el('code', {}, entry.author)),
        el('td', {}, el('code', { title: entry.hash }, short(entry.hash))))));
  }

  edge(edge, other, arrow) {
    return el('li', { 'data-testid': 'node-edge', 'data-edge-id': edge.edge_id },
      `${arrow} `, el('span', { class: 'edge-type' }, edge.edge_type), ' ',
      el('a', { href: `#node=${encodeURIComponent(other)}`, onclick: (e) => { e.preventDefault(); this.onOpen(other); } }, other));
  }
}

/** One line for an operation: its tag and what it changed. */
export function describe(op) {
  switch (op.op) {
    case 'add_node': return `add_node ${op.node_type ?? ''} "${op.label ?? ''}"`;
    case 'update_property': return `update_property ${op.key} = ${value(op.value)}`;
    case 'add_edge': return `add_edge ${op.edge_type} ${op.source_id} → ${op.target_id}`;
    case 'remove_edge': return `remove_edge ${op.edge_id}`;
    default: return op.op;
  }
}
