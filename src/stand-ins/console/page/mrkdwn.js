// @ts-check
// Slack's text to safe HTML: mrkdwn (code, <mentions|links>, *bold*, _italic_, ~strike~, emoji,
// line breaks) and plain text objects. Text from the app is always escaped before display.

/** @typedef {import("../console-state").TextObject} TextObject */
/** @typedef {{ user(id: string): string, channel(id: string): string }} Names how mentions are shown */

/** @type {Readonly<Record<string, string>>} */
const EMOJI = {
  white_check_mark: "✅", warning: "⚠️", no_entry: "⛔", hourglass_flowing_sand: "⏳", gear: "⚙️", x: "❌",
  alarm_clock: "⏰", leftwards_arrow_with_hook: "↩️", information_source: "ℹ️", heavy_check_mark: "✔️",
  rotating_light: "🚨", lock: "🔒", link: "🔗", mag: "🔍", memo: "📝", hourglass: "⌛", arrows_counterclockwise: "🔄",
  large_green_circle: "🟢", red_circle: "🔴", large_yellow_circle: "🟡", stop_sign: "🛑", tada: "🎉", wave: "👋",
  clipboard: "📋", bust_in_silhouette: "👤", heavy_minus_sign: "➖", no_entry_sign: "🚫", package: "📦", email: "📧",
};

/** @param {unknown} text */
export function esc(text) {
  return String(text).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#39;");
}

/**
 * Slack escapes &, < and > in message text; undo that before escaping for HTML.
 * @param {string} text
 */
function decode(text) {
  return String(text).replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");
}

/** @param {string} html */
function emoji(html) {
  return html.replace(/:([a-z0-9_+-]+):/g, (whole, /** @type {string} */ name) => EMOJI[name] || whole);
}

/**
 * @param {string} text
 * @param {string} separator
 * @returns {[string, string]}
 */
function splitOnce(text, separator) {
  const at = text.indexOf(separator);
  return at < 0 ? [text, ""] : [text.slice(0, at), text.slice(at + 1)];
}

/**
 * One <…> token: a user or channel mention, a special mention, or a link.
 * @param {string} inner
 * @param {Names} names
 */
function special(inner, names) {
  const [target, label] = splitOnce(inner, "|");
  if (target.startsWith("@")) return `<span class="mention">@${esc(names.user(target.slice(1)))}</span>`;
  if (target.startsWith("#")) return `<span class="mention">${esc(label ? `#${label}` : names.channel(target.slice(1)))}</span>`;
  // a date is shown in the reader's own time zone, as Slack does
  const date = /^!date\^(\d+)\^/.exec(target);
  if (date) return `<time>${esc(new Date(Number(date[1]) * 1000).toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" }))}</time>`;
  if (target.startsWith("!")) {
    if (label) return esc(decode(label));
    return `<span class="mention">@${esc(target.slice(1).split("^")[0])}</span>`;
  }
  const url = decode(target);
  const text = esc(decode(label || target));
  // only web and mail links become links; anything else (javascript:, data:) stays text
  if (!/^(https?:|mailto:)/i.test(url)) return text;
  return `<a href="${esc(url)}" target="_blank" rel="noopener noreferrer">${text}</a>`;
}

/**
 * Slack's mrkdwn to safe HTML.
 * @param {string} text
 * @param {Names} names
 */
export function mrkdwn(text, names) {
  /** @type {string[]} */
  const slots = [];
  /** @param {string} html */
  const hold = (html) => `\u0000${slots.push(html) - 1}\u0000`;
  // NUL marks the held pieces below, so none may come from the text itself
  // eslint-disable-next-line no-control-regex
  let s = String(text).replace(/\u0000/g, "");
  s = s.replace(/```([\s\S]+?)```/g, (_, /** @type {string} */ code) => hold(`<pre class="code-block">${esc(decode(code))}</pre>`));
  s = s.replace(/`([^`\n]+)`/g, (_, /** @type {string} */ code) => hold(`<code>${esc(decode(code))}</code>`));
  s = s.replace(/<([^<>\n]+)>/g, (_, /** @type {string} */ inner) => hold(special(inner, names)));
  s = esc(decode(s));
  s = s.replace(/(^|[^\w*])\*(?!\s)([^*\n]+?)\*(?!\w)/g, "$1<b>$2</b>");
  s = s.replace(/(^|[^\w_])_(?!\s)([^_\n]+?)_(?!\w)/g, "$1<i>$2</i>");
  s = s.replace(/(^|[^\w~])~(?!\s)([^~\n]+?)~(?!\w)/g, "$1<s>$2</s>");
  s = emoji(s).replace(/\n/g, "<br>");
  // eslint-disable-next-line no-control-regex
  return s.replace(/\u0000(\d+)\u0000/g, (_, /** @type {string} */ index) => slots[Number(index)] ?? "");
}

/**
 * A Block Kit text object to safe HTML.
 * @param {TextObject | undefined} object
 * @param {Names} names
 */
export function textObject(object, names) {
  if (!object) return "";
  return object.type === "mrkdwn" ? mrkdwn(object.text, names) : emoji(esc(object.text));
}
