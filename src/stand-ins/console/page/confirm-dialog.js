// @ts-check
// A button's confirm dialog, as Slack's client shows it before the press reaches the app.
import { byId, el } from "./dom.js";
import { textObject } from "./mrkdwn.js";

/** @typedef {import("../console-state").ConfirmDialog} ConfirmDialog */
/** @typedef {import("./mrkdwn.js").Names} Names */

/**
 * @param {ConfirmDialog} confirm
 * @param {Names} names
 * @param {() => unknown} onConfirm
 */
export function showConfirm(confirm, names, onConfirm) {
  const layer = byId("confirm-layer", HTMLDivElement);
  const close = () => {
    layer.hidden = true;
    layer.replaceChildren();
  };
  const yesClass = confirm.style === "danger" ? "sbtn danger-solid" : "sbtn primary";
  const yes = el("button", {
    type: "button",
    class: yesClass,
    html: textObject(confirm.confirm || { type: "plain_text", text: "Yes" }, names),
    onclick: () => {
      close();
      void onConfirm();
    },
  });
  const dialog = el("div", { class: "dialog", role: "alertdialog", "aria-modal": "true", "aria-labelledby": "confirm-title" }, [
    el("div", { class: "dialog-head" }, [el("h2", { id: "confirm-title", html: textObject(confirm.title, names) })]),
    el("div", { class: "dialog-body", html: textObject(confirm.text, names) }),
    el("div", { class: "dialog-foot" }, [el("button", { type: "button", class: "sbtn", html: textObject(confirm.deny || { type: "plain_text", text: "Cancel" }, names), onclick: close }), yes]),
  ]);
  layer.replaceChildren(dialog);
  layer.hidden = false;
  yes.focus();
}
