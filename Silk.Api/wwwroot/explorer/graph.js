// The drawing (cytoscape), coloured by node type. With no node open it is the whole graph when that has at most
// WHOLE_GRAPH_LIMIT live nodes, else the neighbourhood of the search results. With a node open it is the
// subgraph around it (hops), plus the neighbours of every node clicked since (expanded). Each redraw reads one
// consistent answer from the server and changes only what differs, so nodes already drawn keep their places.

import cytoscape from '../vendor/cytoscape/cytoscape.esm.min.mjs';
import { get, seg } from './api.js';
import { el, typeColour } from './format.js';

export const WHOLE_GRAPH_LIMIT = 300;
// Search results whose neighbourhoods are drawn when the graph is too big to draw whole.
const SEARCH_STARTS = 20;
// A drawing of WHOLE_GRAPH_LIMIT nodes with more edges than this shows only the first ones.
const MAX_EDGES = 5000;
const PAGE = 1000;

const STYLE = [
  {
    selector: 'node',
    style: {
      'background-color': 'data(colour)', label: 'data(label)', color: '#222', 'font-size': 10,
      'text-valign': 'bottom', 'text-margin-y': 3, width: 22, height: 22,
    },
  },
  { selector: 'node.root', style: { 'border-width': 3, 'border-color': '#111' } },
  { selector: 'node.expanded', style: { 'border-width': 2, 'border-color': '#777', 'border-style': 'dashed' } },
  {
    selector: 'edge',
    style: {
      width: 1.5, 'line-color': '#999', 'target-arrow-color': '#999', 'target-arrow-shape': 'triangle',
      'curve-style': 'bezier', label: 'data(label)', 'font-size': 8, color: '#555', 'text-rotation': 'autorotate',
    },
  },
];

export class GraphDrawing {
  /** @param {{ container: HTMLElement, legend: HTMLElement, onOpen: (id: string) => void }} options */
  constructor({ container, legend, onOpen }) {
    this.container = container;
    this.legend = legend;
    this.title = document.getElementById('graph-title');
    this.summary = document.getElementById('graph-summary');
    this.hopsLabel = document.getElementById('graph-hops-label');
    this.wholeButton = document.getElementById('graph-whole');
    this.root = null;
    this.hops = 1;
    this.expanded = new Set();
    this.searchIds = [];
    this.mode = '';
    this.generation = 0;
    this.pendingLayout = false;
    this.cy = cytoscape({ container, style: STYLE, elements: [], wheelSensitivity: 0.3 });
    // In the whole graph every neighbour is already drawn: a click only selects.
    this.cy.on('tap', 'node', (e) => { if (this.mode !== 'whole') this.expand(e.target.id()); });
    this.cy.on('dbltap', 'node', (e) => onOpen(e.target.id()));
    window.silkGraph = this.cy;
  }

  /** Centres the drawing on a node (forgetting earlier expansions). */
  async show(root, hops) {
    this.root = root;
    this.hops = hops;
    this.expanded.clear();
    await this.redraw();
  }

  /** Back to the whole graph (or, when it is too big, the search's neighbourhood). */
  async showOverview() {
    this.root = null;
    this.expanded.clear();
    await this.redraw();
  }

  /** The latest search's results: drawn (with their neighbours) when the whole graph is too big. */
  async setSearch(ids) {
    this.searchIds = ids.slice(0, SEARCH_STARTS);
    if (this.root === null && this.mode !== 'whole') {
      this.expanded.clear();
      await this.redraw();
    }
  }

  async expand(id) {
    this.expanded.add(id);
    await this.redraw();
  }

  /** Reads what is drawn again (at the page's clock) and updates the drawing. */
  async redraw() {
    const generation = ++this.generation;
    const drawing = this.root !== null
      ? await this.neighbourhood([[this.root, this.hops], ...this.extraStarts()], 'node')
      : (await this.wholeGraph()) ?? await this.neighbourhood([...this.searchIds.map((id) => [id, 1]), ...this.extraStarts()], 'search');
    // A later redraw started meanwhile: its answer is the newer one.
    if (generation !== this.generation) return;
    this.render(drawing);
  }

  extraStarts() {
    return [...this.expanded].map((id) => [id, 1]);
  }

  /** Every live node and visible edge; null when there are more than WHOLE_GRAPH_LIMIT nodes. */
  async wholeGraph() {
    const page = await get(`/nodes?limit=${WHOLE_GRAPH_LIMIT + 1}`);
    if (page.items.length > WHOLE_GRAPH_LIMIT) return null;
    const nodes = new Map(page.items.map((n) => [n.node_id, n]));
    const edges = new Map();
    let after = null;
    let cut = false;
    do {
      const query = new URLSearchParams({ limit: String(PAGE) });
      if (after) query.set('after', after);
      const edgePage = await get(`/edges?${query}`);
      for (const e of edgePage.items) edges.set(e.edge_id, e);
      after = edgePage.next;
      cut = after !== null && edges.size >= MAX_EDGES;
    } while (after !== null && !cut);
    return { mode: 'whole', nodes, edges, cut };
  }

  /** The union of the subgraphs around the starts (a start that no longer exists adds nothing). */
  async neighbourhood(starts, mode) {
    const parts = await Promise.all(starts.map(([start, hops]) =>
      get(`/graph/subgraph?start=${seg(start)}&hops=${hops}`, { allow404: true })));
    const nodes = new Map();
    const edges = new Map();
    for (const part of parts) {
      if (!part) continue;
      for (const n of part.nodes) nodes.set(n.node_id, n);
      for (const e of part.edges) edges.set(e.edge_id, e);
    }
    return { mode: starts.length ? mode : 'too-big', nodes, edges, cut: false };
  }

  render({ mode, nodes, edges, cut }) {
    const wanted = new Map();
    for (const n of nodes.values()) {
      wanted.set(n.node_id, {
        group: 'nodes',
        data: { id: n.node_id, label: n.label || n.node_id, type: n.node_type, colour: typeColour(n.node_type) },
        classes: [n.node_id === this.root ? 'root' : '', this.expanded.has(n.node_id) ? 'expanded' : ''].join(' ').trim(),
      });
    }
    for (const e of edges.values()) {
      if (!nodes.has(e.source_id) || !nodes.has(e.target_id)) continue;
      wanted.set(`edge:${e.edge_id}`, { group: 'edges', data: { id: `edge:${e.edge_id}`, source: e.source_id, target: e.target_id, label: e.edge_type } });
    }

    let changed = false;
    this.cy.batch(() => {
      for (const element of this.cy.elements().toArray()) {
        const want = wanted.get(element.id());
        // An edge's ends cannot move in cytoscape: a changed edge is drawn anew.
        const moved = want && element.isEdge() && (element.data('source') !== want.data.source || element.data('target') !== want.data.target);
        if (!want || moved) {
          element.remove();
          changed = true;
        }
      }
      for (const [id, want] of wanted) {
        const existing = this.cy.getElementById(id);
        if (existing.nonempty()) {
          existing.data(want.data);
          existing.classes(want.classes ?? '');
        } else {
          this.cy.add(want);
          changed = true;
        }
      }
    });
    if (changed) this.layout();

    this.mode = mode;
    const ids = [...nodes.keys()].sort();
    this.container.dataset.nodes = ids.join(' ');
    this.container.dataset.mode = mode;
    this.container.dataset.nodeCount = String(ids.length);
    this.describe(mode, ids.length, this.cy.edges().length, cut);
    this.drawLegend([...new Set([...nodes.values()].map((n) => n.node_type))].sort());
  }

  /** Lays the drawing out, or, while its view is hidden (no size to fit into), as soon as it is shown again. */
  layout() {
    this.pendingLayout = this.container.offsetWidth === 0;
    if (!this.pendingLayout) this.cy.layout({ name: 'cose', animate: false, fit: true, padding: 20, randomize: false }).run();
  }

  /** Its view is shown again: cytoscape measures the container anew. */
  shown() {
    this.cy.resize();
    if (this.pendingLayout) this.layout();
    else this.cy.fit(undefined, 20);
  }

  describe(mode, nodeCount, edgeCount, cut) {
    const counted = `${nodeCount} node${nodeCount === 1 ? '' : 's'}, ${edgeCount} edge${edgeCount === 1 ? '' : 's'}${cut ? ` (the first ${MAX_EDGES} edges)` : ''}`;
    const text = {
      whole: ['Whole graph', `${counted}. Double-click a node to open it.`],
      node: [`Neighbourhood of ${this.root}`, `${counted}. Click a node to add its neighbours, double-click to open it.`],
      search: ['Neighbourhood of the search', `More than ${WHOLE_GRAPH_LIMIT} live nodes: the first ${SEARCH_STARTS} results and their neighbours, ${counted}.`],
      'too-big': ['Graph', `More than ${WHOLE_GRAPH_LIMIT} live nodes: run a search to draw its results' neighbourhood, or open a node.`],
    }[mode];
    this.title.textContent = text[0];
    this.summary.textContent = text[1];
    this.hopsLabel.hidden = mode !== 'node';
    this.wholeButton.hidden = mode !== 'node';
  }

  drawLegend(types) {
    this.legend.replaceChildren(...types.map((t) => {
      const swatch = el('span', { class: 'swatch' });
      swatch.style.background = typeColour(t);
      return el('span', { class: 'legend-item' }, swatch, t);
    }));
  }
}
