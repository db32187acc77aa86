// @ts-check
// Block Kit to elements: the blocks the app sends (header, section, context, divider, actions,
// input) and their buttons and boxes. A block the console does not know is shown as such, not
// dropped. Boxes keep what the person ticked across redraws and travel with the next press on
// the same surface, as Slack sends a message's state with a button press.
import { showConfirm } from "./confirm-dialog.js";
import { el } from "./dom.js";
import { textObject } from "./mrkdwn.js";

/** @typedef {import("../console-state").Block} Block */
/** @typedef {import("../console-state").ButtonElement} ButtonElement */
/** @typedef {import("../console-state").CheckboxesElement} CheckboxesElement */
/** @typedef {import("../console-state").OtherElement} OtherElement */
/** @typedef {import("../console-state").TextObject} TextObject */
/** @typedef {import("../console-state").Surface} Surface */
/** @typedef {import("./mrkdwn.js").Names} Names */
/**
 * What drawing needs from the page: how to name people and channels, and what a press does
 * (with the surface's boxes: action_id → ticked).
 * @typedef {{ names: Names, press(button: ButtonElement, where: Surface, ticks: Record<string, boolean>): Promise<unknown> }} DrawContext
 */

/** What the person ticked or unticked, by surface and action_id; a redraw keeps it. */
const ticked = new Map();

/**
 * @param {Surface} where
 * @param {string} actionId
 */
function tickKey(where, actionId) {
  return `${JSON.stringify(where)} ${actionId}`;
}

/**
 * @param {ButtonElement | CheckboxesElement | TextObject | OtherElement | undefined} element
 * @returns {element is ButtonElement}
 */
function isButton(element) {
  return element !== undefined && element.type === "button";
}

/**
 * @param {ButtonElement | CheckboxesElement | TextObject | OtherElement} element
 * @returns {element is CheckboxesElement}
 */
function isCheckboxes(element) {
  return element.type === "checkboxes" && Array.isArray(/** @type {CheckboxesElement} */ (element).options);
}

/**
 * @param {Block[]} blocks
 * @param {Surface | null} where the surface its buttons are on; null in a modal, whose blocks are inputs
 * @param {DrawContext} context
 */
export function renderBlocks(blocks, where, context) {
  const container = el("div", { class: "blocks" });
  for (const block of blocks) container.append(renderBlock(block, where, context));
  return container;
}

/**
 * @param {Block} block
 * @param {Surface | null} where
 * @param {DrawContext} context
 * @returns {HTMLElement}
 */
function renderBlock(block, where, context) {
  const names = context.names;
  switch (block && block.type) {
    case "header":
      return el("div", { class: "b-header", html: textObject(block.text, names) });
    case "section": {
      const body = el("div", { class: "b-section-body" });
      if (block.text) body.append(el("div", { class: "b-text", html: textObject(block.text, names) }));
      if (Array.isArray(block.fields) && block.fields.length > 0) {
        body.append(el("div", { class: "b-fields" }, block.fields.map((field) => el("div", { class: "b-field", html: textObject(field, names) }))));
      }
      const accessory = isButton(block.accessory) ? el("div", { class: "b-accessory" }, [renderButton(block.accessory, where, context)]) : null;
      return el("div", { class: "b-section" }, [body, accessory]);
    }
    case "context":
      return el("div", { class: "b-context" }, (block.elements || []).map((element) => el("span", { html: isText(element) ? textObject(element, names) : "" })));
    case "divider":
      return el("hr", { class: "b-divider" });
    case "actions":
      return el(
        "div",
        { class: "b-actions" },
        (block.elements || []).map((element) => (isButton(element) ? renderButton(element, where, context) : isCheckboxes(element) ? renderCheckboxes(element, where, names) : null)),
      );
    case "input":
      return renderInput(block, names);
    default:
      return el("div", { class: "b-unknown", text: `[a ${block && block.type} block, which the console does not draw]` });
  }
}

/**
 * A group of boxes (the app draws one box per group): ticked as the person left it, else as the app drew it.
 * @param {CheckboxesElement} group
 * @param {Surface | null} where
 * @param {Names} names
 */
function renderCheckboxes(group, where, names) {
  const remembered = where ? ticked.get(tickKey(where, group.action_id)) : undefined;
  const initially = (group.initial_options || []).length > 0;
  return el(
    "div",
    { class: "b-checkboxes" },
    group.options.map((option) => {
      const box = el("input", { type: "checkbox", "data-action-id": group.action_id, value: option.value, disabled: !where });
      box.checked = remembered === undefined ? initially : remembered;
      box.addEventListener("change", () => {
        if (where) ticked.set(tickKey(where, group.action_id), box.checked);
      });
      return el("label", { class: "b-checkbox" }, [
        box,
        el("span", { class: "b-checkbox-text" }, [
          el("span", { html: textObject(option.text, names) }),
          option.description ? el("span", { class: "b-checkbox-description", html: textObject(option.description, names) }) : null,
        ]),
      ]);
    }),
  );
}

/**
 * The boxes on the surface a button is on, as its press sends them.
 * @param {HTMLElement} node
 * @returns {Record<string, boolean>}
 */
function ticksNear(node) {
  /** @type {Record<string, boolean>} */
  const ticks = {};
  const surface = node.closest(".blocks");
  if (!surface) return ticks;
  for (const box of surface.querySelectorAll("input[type=checkbox][data-action-id]")) {
    if (box instanceof HTMLInputElement) ticks[box.dataset.actionId || ""] = box.checked;
  }
  return ticks;
}

/**
 * @param {ButtonElement | CheckboxesElement | TextObject | OtherElement} element
 * @returns {element is TextObject}
 */
function isText(element) {
  return (element.type === "mrkdwn" || element.type === "plain_text") && typeof element.text === "string";
}

/**
 * @param {ButtonElement} button
 * @param {Surface | null} where
 * @param {DrawContext} context
 */
function renderButton(button, where, context) {
  const classes = ["sbtn", button.style === "primary" ? "primary" : "", button.style === "danger" ? "danger" : ""].filter(Boolean).join(" ");
  // a screen reader says which one of several "Suspend" buttons this is, as in Slack
  const node = el("button", { type: "button", class: classes, "data-action-id": button.action_id, "aria-label": button.accessibility_label, html: textObject(button.text, context.names) });
  const url = button.url;
  if (url) {
    node.addEventListener("click", () => window.open(url, "_blank", "noopener"));
    return node;
  }
  if (!where) {
    // a button inside a modal would need the view's state; the app draws none there
    node.disabled = true;
    return node;
  }
  const surface = where;
  const press = async () => {
    node.disabled = true;
    try {
      await context.press(button, surface, ticksNear(node));
    } finally {
      node.disabled = false;
    }
  };
  node.addEventListener("click", () => {
    if (button.confirm) showConfirm(button.confirm, context.names, press);
    else void press();
  });
  return node;
}

/**
 * @param {Block} block
 * @param {Names} names
 */
function renderInput(block, names) {
  const element = block.element;
  const blockId = block.block_id || "";
  const id = `input-${blockId}`;
  const attrs = { id, name: blockId, "data-block-id": blockId, placeholder: element && element.placeholder ? element.placeholder.text : undefined, maxlength: element && element.max_length };
  const field = element && element.multiline ? el("textarea", attrs) : el("input", { ...attrs, type: "text" });
  return el("div", { class: "b-input", "data-block-id": blockId }, [
    el("label", { for: id, html: textObject(block.label, names) }),
    field,
    el("div", { class: "b-input-error", role: "alert", hidden: true }),
  ]);
}
