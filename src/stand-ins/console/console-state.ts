// What the console's server sends its page (GET /console/api/state), and the parts of Block Kit
// the page draws. The server builds it in TypeScript; the page, checked JavaScript, reads it
// through JSDoc imports of these types, so the two cannot drift apart unnoticed.
import type { z } from "zod";
import type { ButtonElement, CheckboxesElement, TextObject } from "../../slack/blocks/block-kit";
import type { ConsoleUser } from "./console-identities";
import type { surface } from "./console-requests";

// the text objects and buttons the app builds are the ones the page draws
export type { ButtonElement, CheckboxesElement, ConfirmDialog, TextObject } from "../../slack/blocks/block-kit";

export interface InputElement {
  type: string;
  action_id: string;
  multiline?: boolean;
  placeholder?: TextObject;
  min_length?: number;
  max_length?: number;
}

/** An element the page does not draw as such (an image in a context block, a select). */
export interface OtherElement {
  type: string;
  text?: string;
}

/**
 * A block as the page reads it: every field it may look at, each one optional but the type, so
 * a kind of block it does not know is still drawn (as such) rather than taken for another.
 */
export interface Block {
  type: string;
  block_id?: string;
  text?: TextObject;
  fields?: TextObject[];
  accessory?: ButtonElement | OtherElement;
  elements?: Array<ButtonElement | CheckboxesElement | TextObject | OtherElement>;
  label?: TextObject;
  element?: InputElement;
  optional?: boolean;
}

export interface ModalView {
  title: TextObject;
  blocks?: Block[];
  submit?: TextObject;
  close?: TextObject;
}

export interface ConsoleMessage {
  ts: string;
  seq: number;
  text: string;
  blocks: Block[];
  edited: boolean;
  /** thread replies, for a channel's top-level messages */
  replies?: ConsoleMessage[];
}

export interface ConsoleEphemeral {
  id: string;
  seq: number;
  text: string;
  blocks: Block[];
}

export interface ConsoleChannel {
  id: string;
  name: string;
  /** a channel, or the app's direct messages with the viewer */
  kind: "channel" | "dm";
  topic: string;
  messages: ConsoleMessage[];
  ephemerals: ConsoleEphemeral[];
}

/** A Web API call the stand-in refused, as Slack would have (what a developer looks for in the logs). */
export interface ConsoleSlackError {
  method: string;
  error: string;
  /** the conversation the call was about, when it named one */
  channel: string | null;
  seq: number;
}

export interface ConsoleState {
  /** bumped on every change; the page long-polls with the last one it saw */
  version: number;
  me: string;
  users: readonly ConsoleUser[];
  bot: { id: string; name: string };
  channels: ConsoleChannel[];
  home: { blocks: Block[] } | null;
  modal: { id: string; view: ModalView } | null;
  /** the latest calls the stand-in refused, newest last */
  slackErrors: ConsoleSlackError[];
}

/** Where a pressed button is: a channel message, an ephemeral message, or the Home tab. */
export type Surface = z.infer<typeof surface>;
