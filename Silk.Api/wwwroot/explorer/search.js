// Node search: by type (the server includes subtypes and descendant types), label text and one property.

import { get } from './api.js';
import { el, typeChip } from './format.js';

export class Search {
  /** @param {{ onOpen: (id: string) => void, onResults: (ids: string[]) => void }} options */
  constructor({ onOpen, onResults }) {
    this.onOpen = onOpen;
    this.onResults = onResults;
    this.form = document.getElementById('search-form');
    this.typeSelect = document.getElementById('search-type');
    this.subtypeSelect = document.getElementById('search-subtype');
    this.ontology = { node_types: {} };
    this.typeSelect.addEventListener('change', () => this.setSubtypes());
    this.results = document.getElementById('search-results');
    this.summary = document.getElementById('search-summary');
    this.more = document.getElementById('search-more');
    this.next = null;
    this.ran = false;
  }

  /** Fills the type list from the ontology, children indented below their parent type. */
  setTypes(ontology) {
    const chosen = this.typeSelect.value;
    const types = ontology.node_types;
    const children = new Map();
    for (const [name, def] of Object.entries(types)) {
      const parent = def.parent_type && types[def.parent_type] ? def.parent_type : '';
      if (!children.has(parent)) children.set(parent, []);
      children.get(parent).push(name);
    }
    const options = [el('option', { value: '' }, 'any type')];
    const add = (parent, depth) => {
      for (const name of (children.get(parent) || []).sort()) {
        options.push(el('option', { value: name }, `${'\u00a0\u00a0'.repeat(depth)}${name}`));
        add(name, depth + 1);
      }
    };
    add('', 0);
    this.typeSelect.replaceChildren(...options);
    if (types[chosen]) this.typeSelect.value = chosen;
    this.ontology = ontology;
    this.setSubtypes();
  }

  /** The subtypes the chosen type defines (every type's when none is chosen). */
  setSubtypes() {
    const chosen = this.subtypeSelect.value;
    const types = this.ontology.node_types;
    const from = this.typeSelect.value ? [types[this.typeSelect.value]] : Object.values(types);
    const names = [...new Set(from.flatMap((def) => Object.keys(def?.subtypes ?? {})))].sort();
    this.subtypeSelect.replaceChildren(el('option', { value: '' }, 'any subtype'), ...names.map((n) => el('option', { value: n }, n)));
    if (names.includes(chosen)) this.subtypeSelect.value = chosen;
  }

  query(after) {
    const params = new URLSearchParams({ limit: '50' });
    const type = this.typeSelect.value;
    const label = document.getElementById('search-label').value.trim();
    const property = document.getElementById('search-property').value.trim();
    const subtype = this.subtypeSelect.value;
    if (type) params.set('type', type);
    if (subtype) params.set('subtype', subtype);
    if (label) params.set('label', label);
    if (property) params.set('property', property);
    if (after) params.set('after', after);
    return `/nodes?${params}`;
  }

  /** Runs the search from the first page (again, after a change or a clock move). */
  async run() {
    this.ran = true;
    const page = await get(this.query(null));
    this.results.replaceChildren(...page.items.map((n) => this.item(n)));
    this.showPaging(page);
    await this.onResults(page.items.map((n) => n.node_id));
  }

  /** Searches the nodes of one type (and its descendant types), e.g. from the overview's type list. */
  async byType(type) {
    this.typeSelect.value = type;
    this.setSubtypes();
    this.subtypeSelect.value = '';
    document.getElementById('search-label').value = '';
    document.getElementById('search-property').value = '';
    await this.run();
  }

  async loadMore() {
    const page = await get(this.query(this.next));
    this.results.append(...page.items.map((n) => this.item(n)));
    this.showPaging(page);
  }

  /** Only a search the user ran is repeated when the graph changes. */
  async refresh() {
    if (this.ran) await this.run();
  }

  showPaging(page) {
    this.next = page.next;
    this.more.hidden = page.next === null;
    const count = this.results.children.length;
    this.summary.textContent = `${count}${page.next === null ? '' : '+'} node${count === 1 ? '' : 's'}`;
  }

  item(node) {
    return el('li', { 'data-testid': 'search-result', 'data-node-id': node.node_id },
      el('a', { href: `#node=${encodeURIComponent(node.node_id)}`, onclick: (e) => { e.preventDefault(); this.onOpen(node.node_id); } },
        node.label || node.node_id),
      ' ', typeChip(node.node_type), node.subtype ? el('span', { class: 'hint' }, ` ${node.subtype}`) : null,
      el('code', { class: 'hint' }, ` ${node.node_id}`));
  }
}
