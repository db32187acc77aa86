// Small typed Block Kit helpers and Slack's size limits, so no message is rejected by Slack, and
// the one way text from outside (company names, reasons, Partner Center's errors) gets into
// mrkdwn: escaped and clipped (`outside`).
export const MAX_BLOCKS = 50;
export const MAX_VIEW_BLOCKS = 100;
const MAX_SECTION_TEXT = 3000;
const MAX_BUTTON_TEXT = 75;
/** chat.postMessage's `text` is the notification and the fallback; Slack advises at most 4,000 (it truncates past 40,000) */
const MAX_FALLBACK_TEXT = 3000;

export interface TextObject {
  type: "mrkdwn" | "plain_text";
  text: string;
  emoji?: boolean;
}

export interface ConfirmDialog {
  title: TextObject;
  text: TextObject;
  confirm: TextObject;
  deny: TextObject;
  style?: "primary" | "danger";
}

export interface ButtonElement {
  type: "button";
  action_id: string;
  text: TextObject;
  value?: string;
  url?: string;
  style?: "primary" | "danger";
  confirm?: ConfirmDialog;
  /** what a screen reader says instead of the visible text (75 characters) */
  accessibility_label?: string;
}

export interface CheckboxOption {
  text: TextObject;
  value: string;
  description?: TextObject;
}

/** Slack sends its ticked options with every button press on the same message (state.values). */
export interface CheckboxesElement {
  type: "checkboxes";
  action_id: string;
  options: CheckboxOption[];
  initial_options?: CheckboxOption[];
}

export type ActionElement = ButtonElement | CheckboxesElement;

/** A multi-select of fixed options (a modal's input): 100 options per list or per group, 100 groups. */
export interface MultiSelectElement {
  type: "multi_static_select";
  action_id: string;
  placeholder?: TextObject;
  max_selected_items?: number;
  options?: CheckboxOption[];
  option_groups?: Array<{ label: TextObject; options: CheckboxOption[] }>;
}

export type Block =
  | { type: "header"; text: TextObject; block_id?: string }
  | { type: "section"; text?: TextObject; fields?: TextObject[]; accessory?: ButtonElement; block_id?: string }
  | { type: "context"; elements: TextObject[]; block_id?: string }
  | { type: "divider"; block_id?: string }
  | { type: "actions"; elements: ActionElement[]; block_id?: string }
  | {
      type: "input";
      block_id: string;
      label: TextObject;
      element: { type: "plain_text_input"; action_id: string; multiline?: boolean; min_length?: number; max_length?: number; placeholder?: TextObject } | MultiSelectElement;
    };

export function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/**
 * Clips mrkdwn without cutting a mention, link or entity in half (a cut `<@U12` or `&am` would
 * show as stray characters): the cut moves back to before an unclosed `<` or `&`.
 */
function clipMarkup(text: string, max: number): string {
  if (text.length <= max) return text;
  let cut = text.slice(0, max - 1);
  const open = cut.lastIndexOf("<");
  if (open > cut.lastIndexOf(">")) cut = cut.slice(0, open);
  const amp = cut.lastIndexOf("&");
  if (amp >= 0 && !cut.slice(amp).includes(";")) cut = cut.slice(0, amp);
  return `${cut}…`;
}

/** Escapes the three characters Slack's mrkdwn treats as control characters. */
export function escapeText(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** Text that did not come from us, made safe for mrkdwn: clipped to `max`, then escaped. */
export function outside(text: string, max = 300): string {
  return escapeText(clip(text.replace(/\s+/g, " ").trim(), max));
}

/** A message's fallback `text` (notifications, screen readers): clipped, markup kept whole. */
export function fallbackText(text: string): string {
  return clipMarkup(text, MAX_FALLBACK_TEXT);
}

/** A date each reader sees in their own time zone; the fallback is UTC. */
export function slackDate(date: Date | null | undefined, format = "{date_short_pretty} at {time}"): string {
  if (!date) return "-";
  const fallback = `${date.toISOString().slice(0, 16).replace("T", " ")} UTC`;
  return `<!date^${Math.floor(date.getTime() / 1000)}^${format}|${fallback}>`;
}

export const plain = (text: string, max = 150): TextObject => ({ type: "plain_text", text: clip(text, max), emoji: true });
export const mrkdwn = (text: string): TextObject => ({ type: "mrkdwn", text: clipMarkup(text, MAX_SECTION_TEXT) });

export const header = (text: string): Block => ({ type: "header", text: plain(text, 150) });
export const section = (text: string, accessory?: ButtonElement): Block => (accessory ? { type: "section", text: mrkdwn(text), accessory } : { type: "section", text: mrkdwn(text) });
export const fields = (items: string[]): Block => ({ type: "section", fields: items.slice(0, 10).map((f) => ({ type: "mrkdwn" as const, text: clipMarkup(f, 2000) })) });
export const context = (text: string): Block => ({ type: "context", elements: [mrkdwn(text)] });
export const divider = (): Block => ({ type: "divider" });
export const actions = (elements: ActionElement[], blockId?: string): Block =>
  blockId ? { type: "actions", elements: elements.slice(0, 25), block_id: blockId } : { type: "actions", elements: elements.slice(0, 25) };

export interface ButtonOptions {
  style?: "primary" | "danger";
  confirm?: ConfirmDialog;
  /** for buttons repeated down a message ("Suspend", "Suspend", …): which one this is */
  label?: string;
}

export function button(actionId: string, text: string, value: string, options: ButtonOptions = {}): ButtonElement {
  const { label, ...rest } = options;
  return { type: "button", action_id: actionId, text: plain(text, MAX_BUTTON_TEXT), value, ...rest, ...(label ? { accessibility_label: clip(label, 75) } : {}) };
}

/** A confirm dialog: Slack shows its title, text and buttons as plain text, so outside text goes in as it is. */
/** One checkbox, ticked or not to begin with; Slack allows 10 options and 75 characters of option text. */
export function checkbox(actionId: string, option: { text: string; value: string; description?: string }, ticked: boolean): CheckboxesElement {
  const choice: CheckboxOption = { text: plain(option.text, 75), value: option.value, ...(option.description ? { description: plain(option.description, 75) } : {}) };
  return { type: "checkboxes", action_id: actionId, options: [choice], ...(ticked ? { initial_options: [choice] } : {}) };
}

export function confirm(title: string, text: string, yes: string, style: "primary" | "danger" = "danger"): ConfirmDialog {
  return { title: plain(title, 100), text: plain(text, 300), confirm: plain(yes, 30), deny: plain("Go back", 30), style };
}

/**
 * Keeps a message inside Slack's block limit: past it, a line says how many were left out. The last
 * `keepLast` blocks (a message's closing part: its buttons) stay whatever is cut before them.
 */
export function fitBlocks(blocks: Block[], max = MAX_BLOCKS, keepLast = 0): Block[] {
  if (blocks.length <= max) return blocks;
  const tail = Math.max(0, Math.min(keepLast, max - 2));
  const head = max - 1 - tail;
  const note = context(`…and ${blocks.length - head - tail} more lines left out to stay within Slack's limits.`);
  return [...blocks.slice(0, head), note, ...blocks.slice(blocks.length - tail)];
}
