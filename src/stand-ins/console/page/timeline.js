// @ts-check
// A channel's timeline as Slack shows it: the app's messages with their threads, and the
// ephemeral ones ("Only visible to you") in order of arrival; and the app's Home tab.
import { renderBlocks } from "./block-kit.js";
import { el } from "./dom.js";
import { esc, mrkdwn } from "./mrkdwn.js";

/** @typedef {import("../console-state").ConsoleChannel} ConsoleChannel */
/** @typedef {import("../console-state").ConsoleMessage} ConsoleMessage */
/** @typedef {import("../console-state").ConsoleEphemeral} ConsoleEphemeral */
/** @typedef {import("../console-state").Surface} Surface */
/** @typedef {import("./block-kit.js").DrawContext} DrawContext */

/**
 * @param {ConsoleMessage | ConsoleEphemeral} message
 * @param {Surface} where
 * @param {{ ephemeral?: boolean, author: string }} options
 * @param {DrawContext} context
 * @returns {HTMLElement}
 */
function messageNode(message, where, options, context) {
  const body = el("div", { class: "msg-body" }, [
    options.ephemeral ? el("div", { class: "only-you", text: "Only visible to you" }) : null,
    el("div", { class: "msg-head" }, [
      el("span", { class: "msg-author", text: options.author }),
      el("span", { class: "app-badge", text: "APP" }),
      "edited" in message && message.edited ? el("span", { class: "edited", text: "(edited)" }) : null,
    ]),
    message.blocks && message.blocks.length > 0 ? renderBlocks(message.blocks, where, context) : el("div", { class: "msg-text", html: mrkdwn(message.text, context.names) }),
  ]);
  const replies = "replies" in message ? message.replies || [] : [];
  if (replies.length > 0 && where.kind === "message") {
    const channel = where.channel;
    body.append(
      el("div", { class: "thread" }, [
        el("div", { class: "thread-title", text: `${replies.length} ${replies.length === 1 ? "reply" : "replies"}` }),
        ...replies.map((reply) => messageNode(reply, { kind: "message", channel, ts: reply.ts }, { author: options.author }, context)),
      ]),
    );
  }
  return el("div", { class: options.ephemeral ? "msg ephemeral" : "msg", "data-ts": "ts" in message ? message.ts : undefined, "data-seq": message.seq }, [el("div", { class: "avatar", text: "RO" }), body]);
}

/**
 * The channel's messages and the viewer's ephemerals, oldest first.
 * @param {ConsoleChannel} channel
 * @param {string} author the app's name
 * @param {DrawContext} context
 * @returns {HTMLElement[]}
 */
export function renderChannel(channel, author, context) {
  const items = [
    ...channel.messages.map((m) => ({ seq: m.seq, node: () => messageNode(m, { kind: "message", channel: channel.id, ts: m.ts }, { author }, context) })),
    ...channel.ephemerals.map((e) => ({ seq: e.seq, node: () => messageNode(e, { kind: "ephemeral", id: e.id }, { ephemeral: true, author }, context) })),
  ].sort((a, b) => a.seq - b.seq);
  if (items.length === 0) return [el("div", { class: "empty", html: `This is the very beginning of <b>#${esc(channel.name)}</b>.` })];
  return items.map((item) => item.node());
}

/**
 * The app's Home tab, or a placeholder until the app has published it.
 * @param {{ blocks: import("../console-state").Block[] } | null} home
 * @param {DrawContext} context
 */
export function renderHome(home, context) {
  if (!home) return el("div", { class: "empty", text: "Loading the Home tab…" });
  return el("div", { class: "msg home" }, [el("div", { class: "avatar", text: "RO" }), renderBlocks(home.blocks, { kind: "home" }, context)]);
}

/**
 * The newest arrival in the channel, for its unread mark.
 * @param {ConsoleChannel} channel
 */
export function latestSeq(channel) {
  let max = 0;
  for (const m of channel.messages) max = Math.max(max, m.seq, ...(m.replies || []).map((r) => r.seq));
  for (const e of channel.ephemerals) max = Math.max(max, e.seq);
  return max;
}
