// @ts-check
// The app's open modal (views.open). It is drawn once and left alone while it stays open, so
// typing is not lost; a submission is checked as Slack's client checks it, and the app's
// response_action errors are shown under their inputs.
import { renderBlocks } from "./block-kit.js";
import { post } from "./console-api.js";
import { byId, el } from "./dom.js";
import { textObject } from "./mrkdwn.js";

/** @typedef {import("../console-state").ConsoleState["modal"]} OpenModal */
/** @typedef {NonNullable<OpenModal>} Modal */
/** @typedef {import("./block-kit.js").DrawContext} DrawContext */

/** @type {string | null} the id of the modal on screen */
let shownModal = null;

/**
 * Shows `modal` for `me`, or takes the layer down when there is none.
 * @param {OpenModal} modal
 * @param {string} me
 * @param {DrawContext} context
 */
export function renderModal(modal, me, context) {
  const layer = byId("modal-layer", HTMLDivElement);
  if (!modal) {
    shownModal = null;
    layer.hidden = true;
    layer.replaceChildren();
    return;
  }
  if (shownModal === modal.id) return;
  shownModal = modal.id;
  const view = modal.view;
  const names = context.names;
  const form = el("form", { class: "dialog", role: "dialog", "aria-modal": "true", "aria-labelledby": "modal-title", novalidate: true });
  const closeModal = () => void post("modal-close", { user: me, modalId: modal.id }).then(() => renderModal(null, me, context));
  form.append(
    el("div", { class: "dialog-head" }, [
      el("h2", { id: "modal-title", html: textObject(view.title, names) }),
      el("button", { type: "button", class: "dialog-x", "aria-label": "Close", text: "×", onclick: closeModal }),
    ]),
    el("div", { class: "dialog-body" }, [renderBlocks(view.blocks || [], null, context)]),
    el("div", { class: "dialog-foot" }, [
      el("button", { type: "button", class: "sbtn", html: textObject(view.close || { type: "plain_text", text: "Cancel" }, names), onclick: closeModal }),
      view.submit ? el("button", { type: "submit", class: "sbtn primary", html: textObject(view.submit, names) }) : null,
    ]),
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    void submitModal(form, modal, me, context);
  });
  layer.replaceChildren(form);
  layer.hidden = false;
  const first = form.querySelector("textarea, input");
  if (first instanceof HTMLElement) first.focus();
}

/**
 * @param {HTMLFormElement} form
 * @param {Record<string, string>} errors block_id → message
 */
function showInputErrors(form, errors) {
  for (const wrapper of form.querySelectorAll(".b-input")) {
    if (!(wrapper instanceof HTMLElement)) continue;
    const message = errors[wrapper.dataset.blockId || ""];
    const slot = wrapper.querySelector(".b-input-error");
    wrapper.classList.toggle("invalid", Boolean(message));
    if (!(slot instanceof HTMLElement)) continue;
    slot.hidden = !message;
    slot.textContent = message || "";
  }
}

/**
 * @param {HTMLFormElement} form
 * @param {Modal} modal
 * @param {string} me
 * @param {DrawContext} context
 */
async function submitModal(form, modal, me, context) {
  /** @type {Record<string, string>} */
  const values = {};
  /** @type {Record<string, string>} */
  const local = {};
  for (const block of modal.view.blocks || []) {
    if (block.type !== "input" || !block.block_id) continue;
    const scope = `[data-block-id="${CSS.escape(block.block_id)}"]`;
    const field = form.querySelector(`${scope} textarea, ${scope} input`);
    const value = field instanceof HTMLInputElement || field instanceof HTMLTextAreaElement ? field.value : "";
    values[block.block_id] = value;
    // Slack's client checks these before the app ever sees the submission
    const element = block.element || { type: "", action_id: "" };
    if (!block.optional && value.trim() === "") local[block.block_id] = "Please fill out this field.";
    else if (element.min_length && value.length < element.min_length) local[block.block_id] = `Must have at least ${element.min_length} characters`;
    else if (element.max_length && value.length > element.max_length) local[block.block_id] = `Must have at most ${element.max_length} characters`;
  }
  if (Object.keys(local).length > 0) return showInputErrors(form, local);
  const submit = form.querySelector("button[type=submit]");
  if (submit instanceof HTMLButtonElement) submit.disabled = true;
  const answer = await post("view-submission", { user: me, modalId: modal.id, values }).finally(() => {
    if (submit instanceof HTMLButtonElement) submit.disabled = false;
  });
  if (answer.errors) return showInputErrors(form, answer.errors);
  if (answer.ok) renderModal(null, me, context);
}
