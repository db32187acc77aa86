// @ts-check
// Building the page's elements. Attributes are set one by one and text goes in as text, so what
// the app wrote becomes markup only through mrkdwn.js, which escapes it first.

/** @typedef {string | number | boolean | null | undefined | ((event: Event) => void)} AttributeValue */

/**
 * An element with attributes and children. `html` sets innerHTML (already made safe by the
 * caller), `text` sets textContent, `on<event>` adds a listener; null, undefined and false are left out.
 * @template {keyof HTMLElementTagNameMap} K
 * @param {K} tag
 * @param {Record<string, AttributeValue>} [attrs]
 * @param {Array<Node | null | undefined>} [children]
 * @returns {HTMLElementTagNameMap[K]}
 */
export function el(tag, attrs, children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (typeof value === "function") node.addEventListener(key.slice(2), value);
    else if (key === "html") node.innerHTML = String(value);
    else if (key === "text") node.textContent = String(value);
    else node.setAttribute(key, value === true ? "" : String(value));
  }
  for (const child of children || []) if (child) node.append(child);
  return node;
}

/**
 * The page's element with that id, of the expected kind; a page without it is broken, so say so.
 * @template {HTMLElement} T
 * @param {string} id
 * @param {{ new (): T }} kind
 * @returns {T}
 */
export function byId(id, kind) {
  const node = document.getElementById(id);
  if (!(node instanceof kind)) throw new Error(`the console page has no #${id}`);
  return node;
}

/** @type {ReturnType<typeof setTimeout> | undefined} */
let toastTimer;

/**
 * A short note at the bottom of the page (a refusal, an error) that goes away by itself.
 * @param {string} message
 */
export function toast(message) {
  const node = byId("toast", HTMLDivElement);
  node.textContent = message;
  node.hidden = false;
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => (node.hidden = true), 4000);
}
