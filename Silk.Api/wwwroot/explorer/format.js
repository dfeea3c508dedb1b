// Small display helpers shared by the views.

/** Creates an element with attributes and children (strings become text, never HTML). */
export function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    if (name === 'onclick') node.addEventListener('click', value);
    else node.setAttribute(name, value === true ? '' : String(value));
  }
  for (const child of children.flat()) {
    if (child === undefined || child === null) continue;
    node.append(child instanceof Node ? child : String(child));
  }
  return node;
}

/** Milliseconds since the epoch as an ISO-like UTC time with milliseconds. */
export const time = (ms) => (ms ? new Date(Number(ms)).toISOString().replace('T', ' ').replace('Z', ' UTC') : '—');

export const short = (hash) => (hash ? hash.slice(0, 12) : '');

/** A property value as JSON text (keeps 1 and 1.0 apart as the server sends them). */
export const value = (v) => (typeof v === 'string' ? v : JSON.stringify(v));

/** A stable colour per type name, so a type looks the same in the list, the node page and the drawing. */
export function typeColour(type) {
  let h = 0;
  for (const c of type || '') h = (h * 31 + c.charCodeAt(0)) >>> 0;
  // Comma syntax: cytoscape parses only the classic hsl() form.
  return `hsl(${h % 360}, 65%, 45%)`;
}

export function typeChip(type) {
  const chip = el('span', { class: 'type-chip' }, type);
  chip.style.background = typeColour(type);
  return chip;
}
