// The neighbourhood drawing (cytoscape): the subgraph around the open node, plus the neighbours of every node
// clicked since (expanded). Redrawn from the server on each change, so it always shows one consistent read.

import cytoscape from '../vendor/cytoscape/cytoscape.esm.min.mjs';
import { get } from './api.js';
import { el, typeColour } from './format.js';

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

export class NeighbourhoodGraph {
  /** @param {{ container: HTMLElement, legend: HTMLElement, onOpen: (id: string) => void }} options */
  constructor({ container, legend, onOpen }) {
    this.container = container;
    this.legend = legend;
    this.root = null;
    this.hops = 1;
    this.expanded = new Set();
    this.generation = 0;
    this.cy = cytoscape({ container, style: STYLE, elements: [], wheelSensitivity: 0.3 });
    this.cy.on('tap', 'node', (e) => this.expand(e.target.id()));
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

  async expand(id) {
    this.expanded.add(id);
    await this.redraw();
  }

  /** Reads the subgraphs again (at the page's clock) and replaces the drawing. */
  async redraw() {
    if (this.root === null) return;
    const generation = ++this.generation;
    const starts = [[this.root, this.hops], ...[...this.expanded].map((id) => [id, 1])];
    const parts = await Promise.all(starts.map(([start, hops]) =>
      get(`/graph/subgraph?start=${encodeURIComponent(start)}&hops=${hops}`, { allow404: true })));
    // A later redraw started meanwhile: its answer is the newer one.
    if (generation !== this.generation) return;

    const nodes = new Map();
    const edges = new Map();
    for (const part of parts) {
      if (!part) continue;
      for (const n of part.nodes) nodes.set(n.node_id, n);
      for (const e of part.edges) edges.set(e.edge_id, e);
    }
    const elements = [
      ...[...nodes.values()].map((n) => ({
        group: 'nodes',
        data: { id: n.node_id, label: n.label || n.node_id, type: n.node_type, colour: typeColour(n.node_type) },
        classes: [n.node_id === this.root ? 'root' : '', this.expanded.has(n.node_id) ? 'expanded' : ''].join(' '),
      })),
      ...[...edges.values()]
        .filter((e) => nodes.has(e.source_id) && nodes.has(e.target_id))
        .map((e) => ({ group: 'edges', data: { id: `edge:${e.edge_id}`, source: e.source_id, target: e.target_id, label: e.edge_type } })),
    ];
    this.cy.batch(() => {
      this.cy.elements().remove();
      this.cy.add(elements);
    });
    this.cy.layout({ name: 'cose', animate: false, fit: true, padding: 20, randomize: false }).run();
    this.container.dataset.nodes = [...nodes.keys()].sort().join(' ');
    this.drawLegend([...new Set([...nodes.values()].map((n) => n.node_type))].sort());
  }

  drawLegend(types) {
    this.legend.replaceChildren(...types.map((t) => {
      const swatch = el('span', { class: 'swatch' });
      swatch.style.background = typeColour(t);
      return el('span', { class: 'legend-item' }, swatch, t);
    }));
  }
}
