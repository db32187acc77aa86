// The console's own routes on the app's port: the page, its state (long-polled), and the few
// things a person can do in Slack. Every action becomes a signed Slack request into the app's
// receiver, so the app cannot tell the console from Slack.
import fs from "node:fs/promises";
import type http from "node:http";
import path from "node:path";
import type { z } from "zod";
import type { Logger } from "../../logger";
import type { LocalSlackApi, PostedMessage } from "../slack/local-slack-api";
import { type SlackRequestSender, messageState } from "../slack/slack-request-signer";
import { BadRequest, SECURITY_HEADERS, pageAssets, parse, readJson, safeJson, sendJson } from "./console-http";
import type { Block, ConsoleChannel, ConsoleSlackError, ConsoleState, ModalView } from "./console-state";
import { BOT_NAME, CONSOLE_CHANNELS, CONSOLE_USERS, type ConsoleUser, consoleUser } from "./console-identities";
import {
  actionRequest,
  blockWithButtons,
  buttonElement,
  checkboxesElement,
  commandRequest,
  homeOpenedRequest,
  inputBlock,
  modalCloseRequest,
  openedView,
  publishedView,
  stateQuery,
  viewSubmissionAck,
  viewSubmissionRequest,
} from "./console-requests";

const LONG_POLL_MS = 20_000;

export interface ConsoleServerOptions {
  slack: LocalSlackApi;
  /** where the LocalSlackApi listens; response_urls point there */
  slackBaseUrl: string;
  pageDir: string;
  logger: Logger;
  /** the Host names the console answers to (DNS rebinding guard); empty allows any */
  allowedHosts: string[];
}

interface TrackedModal {
  user: string;
  closed: boolean;
}

export class ConsoleServer {
  private sender: SlackRequestSender | null = null;
  private version = 0;
  private waiters = new Set<() => void>();
  private closed = false;
  /** keyed by position in LocalSlackApi.openModals ("M<index>") */
  private readonly modals = new Map<string, TrackedModal>();
  private readonly stopListening: () => void;
  private readonly assets: Map<string, { file: string; type: string }>;

  constructor(private readonly options: ConsoleServerOptions) {
    this.assets = pageAssets(options.pageDir);
    this.stopListening = options.slack.onChange(() => this.bump());
  }

  /** The app is listening: from now on the console can send it requests. */
  attach(sender: SlackRequestSender): void {
    this.sender = sender;
  }

  /** Ends the long polls so the app's server can close at once. */
  close(): void {
    this.closed = true;
    this.stopListening();
    this.bump();
  }

  async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<boolean> {
    const url = new URL(req.url ?? "/", "http://console");
    const asset = req.method === "GET" ? this.assets.get(url.pathname) : undefined;
    const isApi = url.pathname.startsWith("/console/api/");
    if (!asset && !isApi) return false;
    try {
      this.checkHost(req);
      if (asset) {
        const body = await fs.readFile(path.join(this.options.pageDir, asset.file));
        res.writeHead(200, { "content-type": asset.type, ...SECURITY_HEADERS }).end(body);
        return true;
      }
      const answer = await this.api(req, url);
      sendJson(res, 200, answer);
    } catch (error) {
      if (error instanceof BadRequest) sendJson(res, error.status, { ok: false, error: error.message });
      else {
        this.options.logger.error({ err: String(error), path: url.pathname }, "console request failed");
        sendJson(res, 500, { ok: false, error: "The console could not do that; see the app's log." });
      }
    }
    return true;
  }

  private async api(req: http.IncomingMessage, url: URL): Promise<unknown> {
    const route = `${req.method ?? ""} ${url.pathname.slice("/console/api".length)}`;
    if (route === "GET /state") {
      const query = parse(stateQuery, Object.fromEntries(url.searchParams));
      await this.waitForChange(query.since);
      return this.state(query.user);
    }
    // JSON only: a cross-site form cannot send it without a CORS preflight, which we never allow
    if (!(req.headers["content-type"] ?? "").startsWith("application/json")) throw new BadRequest("send application/json", 415);
    const body = await readJson(req);
    switch (route) {
      case "POST /command":
        return this.command(parse(commandRequest, body));
      case "POST /action":
        return this.action(parse(actionRequest, body));
      case "POST /view-submission":
        return this.submitView(parse(viewSubmissionRequest, body));
      case "POST /modal-close":
        return this.closeModal(parse(modalCloseRequest, body));
      case "POST /home-opened": {
        const { user } = parse(homeOpenedRequest, body);
        return this.forward(await this.requireSender().appHomeOpened(userOf(user)));
      }
      default:
        throw new BadRequest("no such console endpoint", 404);
    }
  }

  private async command(input: z.infer<typeof commandRequest>): Promise<unknown> {
    const user = userOf(input.user);
    const text = input.text.replace(/^\/offboard\s*/, "");
    const responseUrl = this.options.slack.createResponseUrl(this.options.slackBaseUrl, input.channel, user.id);
    return this.forward(await this.requireSender().slashCommand(user, input.channel, text, responseUrl));
  }

  private async action(input: z.infer<typeof actionRequest>): Promise<unknown> {
    const user = userOf(input.user);
    const pressed = { action_id: input.actionId, value: input.value };
    // Slack issues the trigger for the press: the stand-in, so views.open is held to its 3 s and one use
    const triggerId = this.options.slack.issueTrigger(user.id);
    const sender = this.requireSender();
    const slack = this.options.slack;
    const where = input.surface;
    if (where.kind === "home") {
      const blocks = this.homeBlocks(user.id) ?? [];
      requireButton(blocks, pressed);
      return this.forward(await sender.homeBlockAction(user, `VHOME${user.id}`, pressed, { triggerId, state: stateOf(blocks, input.ticks) }));
    }
    if (where.kind === "ephemeral") {
      const ephemeral = slack.ephemerals.find((e) => e.id === where.id && e.user === user.id);
      if (!ephemeral) throw new BadRequest("that message is not visible to you", 404);
      requireButton(ephemeral.blocks, pressed);
      const responseUrl = slack.createResponseUrl(this.options.slackBaseUrl, ephemeral.channel, user.id);
      const state = stateOf(ephemeral.blocks, input.ticks);
      return this.forward(await sender.blockAction(user, ephemeral.channel, `${ephemeral.seq}.000000`, pressed, responseUrl, { triggerId, isEphemeral: true, state }));
    }
    const message = slack.messages.find((m) => m.channel === where.channel && m.ts === where.ts);
    if (!message) throw new BadRequest("no such message", 404);
    requireButton(message.blocks, pressed);
    const responseUrl = slack.createResponseUrl(this.options.slackBaseUrl, message.channel, user.id);
    return this.forward(await sender.blockAction(user, message.channel, message.ts, pressed, responseUrl, { triggerId, state: stateOf(message.blocks, input.ticks) }));
  }

  private async submitView(input: z.infer<typeof viewSubmissionRequest>): Promise<unknown> {
    const modal = this.openModalOf(input.user, input.modalId);
    const view = parse(openedView, modal.view, "the open view");
    const values: Record<string, Record<string, { type: string; value: string }>> = {};
    for (const block of view.blocks) {
      const input_ = inputBlock.safeParse(block);
      if (!input_.success) continue;
      const typed = input.values[input_.data.block_id] ?? "";
      values[input_.data.block_id] = { [input_.data.element.action_id]: { type: input_.data.element.type, value: typed } };
    }
    const unknownBlock = Object.keys(input.values).find((blockId) => !(blockId in values));
    if (unknownBlock) throw new BadRequest(`the view has no input ${unknownBlock}`);
    const answer = await this.requireSender().viewSubmission(userOf(input.user), { callback_id: view.callback_id, private_metadata: view.private_metadata, values });
    if (answer.status !== 200) return { ok: false, error: `the app answered ${answer.status}` };
    const ack = answer.body.trim() ? viewSubmissionAck.safeParse(safeJson(answer.body)) : null;
    if (ack?.success && ack.data.response_action === "errors") return { ok: false, errors: ack.data.errors ?? {} };
    // a plain ack (or "clear") closes the modal, as in Slack
    this.markClosed(input.modalId);
    return { ok: true };
  }

  private closeModal(input: z.infer<typeof modalCloseRequest>): unknown {
    this.openModalOf(input.user, input.modalId);
    this.markClosed(input.modalId);
    return { ok: true };
  }

  private state(userId: string): ConsoleState {
    const slack = this.options.slack;
    const visible = (m: PostedMessage) => ({ ts: m.ts, seq: m.seq, text: m.text, blocks: drawn(m.blocks), edited: m.updates > 0 });
    const dm = { id: slack.workspace.imWith(userId).id, name: BOT_NAME, topic: "Your direct messages with the app", kind: "dm" as const };
    const channels = [...CONSOLE_CHANNELS.map((c) => ({ ...c, kind: "channel" as const })), dm].map((channel): ConsoleChannel => {
      const all = slack.channelMessages(channel.id);
      return {
        ...channel,
        messages: all.filter((m) => !m.threadTs).map((m) => ({ ...visible(m), replies: all.filter((r) => r.threadTs === m.ts).map(visible) })),
        ephemerals: slack.ephemerals.filter((e) => e.channel === channel.id && e.user === userId).map((e) => ({ id: e.id, seq: e.seq, text: e.text, blocks: drawn(e.blocks) })),
      };
    });
    const home = this.homeBlocks(userId);
    const modal = this.latestModal(userId);
    return {
      version: this.version,
      me: userId,
      users: CONSOLE_USERS,
      bot: { id: slack.botUserId, name: BOT_NAME },
      channels,
      home: home ? { blocks: drawn(home) } : null,
      modal: modal ? { id: modal.id, view: modal.view as unknown as ModalView } : null,
      slackErrors: slackErrors(slack),
    };
  }

  private homeBlocks(userId: string): unknown[] | null {
    const view = publishedView.safeParse(this.options.slack.homeViews.get(userId));
    return view.success ? view.data.blocks : null;
  }

  private latestModal(userId: string): { id: string; view: Record<string, unknown> } | null {
    const open = this.options.slack.openModals;
    for (let index = open.length - 1; index >= 0; index -= 1) {
      const id = `M${index}`;
      const tracked = this.trackModal(id);
      const entry = open[index];
      if (entry && tracked && tracked.user === userId && !tracked.closed) return { id, view: entry.view };
    }
    return null;
  }

  private trackModal(id: string): TrackedModal | undefined {
    const known = this.modals.get(id);
    if (known) return known;
    const entry = this.options.slack.openModals[Number(id.slice(1))];
    // the stand-in knows whose press the modal's trigger came from
    const user = entry?.user;
    if (!user) return undefined;
    const tracked = { user, closed: false };
    this.modals.set(id, tracked);
    return tracked;
  }

  private openModalOf(userId: string, modalId: string): { view: Record<string, unknown> } {
    const tracked = this.trackModal(modalId);
    const entry = this.options.slack.openModals[Number(modalId.slice(1))];
    if (!tracked || !entry || tracked.user !== userId || tracked.closed) throw new BadRequest("that modal is not open for you", 404);
    return entry;
  }

  private markClosed(modalId: string): void {
    const tracked = this.modals.get(modalId);
    if (tracked) tracked.closed = true;
    this.bump();
  }

  private forward(answer: { status: number; body: string }): unknown {
    // Bolt answers 200 once a listener acks; anything else means Slack would have shown an error
    if (answer.status === 200) return { ok: true };
    this.options.logger.warn({ status: answer.status }, "the app refused a console request");
    return { ok: false, error: `the app answered ${answer.status}` };
  }

  private requireSender(): SlackRequestSender {
    if (!this.sender || this.closed) throw new BadRequest("the app is not listening yet", 503);
    return this.sender;
  }

  private bump(): void {
    this.version += 1;
    const waiting = [...this.waiters];
    this.waiters.clear();
    for (const wake of waiting) wake();
  }

  private waitForChange(since: number): Promise<void> {
    if (this.closed || this.version > since) return Promise.resolve();
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        this.waiters.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, LONG_POLL_MS);
      this.waiters.add(wake);
    });
  }

  private checkHost(req: http.IncomingMessage): void {
    const allowed = this.options.allowedHosts;
    const host = (req.headers.host ?? "").replace(/:\d+$/, "");
    if (allowed.length > 0 && !allowed.includes(host)) throw new BadRequest("unexpected Host header", 421);
  }
}

/**
 * The app's blocks (and modal views) as the page reads them: passed on as the app wrote them;
 * the page draws the kinds it knows and shows any other as a block it does not draw.
 */
function drawn(blocks: unknown[]): Block[] {
  return blocks as Block[];
}

/** The last calls the stand-in refused (not_in_channel, expired_trigger_id, invalid_blocks…), as a developer would see them. */
function slackErrors(slack: LocalSlackApi): ConsoleSlackError[] {
  return slack.refusals.slice(-5).map((call, i) => ({
    method: call.method,
    error: call.error ?? "",
    channel: typeof call.body.channel === "string" ? call.body.channel : null,
    seq: slack.calls.length - 5 + i,
  }));
}

function userOf(id: string): ConsoleUser {
  const user = consoleUser(id);
  if (!user) throw new BadRequest("unknown user");
  return user;
}

/** The state Slack would send with a press on these blocks; a tick for a box they do not show is refused. */
function stateOf(blocks: unknown[], ticks: Record<string, boolean>): ReturnType<typeof messageState> {
  const boxes = new Set<string>();
  for (const raw of blocks) {
    for (const candidate of blockWithButtons.safeParse(raw).data?.elements ?? []) {
      const group = checkboxesElement.safeParse(candidate);
      if (group.success) boxes.add(group.data.action_id);
    }
  }
  const unknown = Object.keys(ticks).find((actionId) => !boxes.has(actionId));
  if (unknown !== undefined) throw new BadRequest("that box is not on that message (any more)", 409);
  return messageState(blocks, ticks);
}

/** Refuses a press of a button the surface does not show (a hand-made request). */
function requireButton(blocks: unknown[], pressed: { action_id: string; value: string }): void {
  for (const raw of blocks) {
    const block = blockWithButtons.safeParse(raw);
    if (!block.success) continue;
    for (const candidate of [block.data.accessory, ...(block.data.elements ?? [])]) {
      const button = buttonElement.safeParse(candidate);
      if (button.success && button.data.action_id === pressed.action_id && (button.data.value ?? "") === pressed.value) return;
    }
  }
  throw new BadRequest("that button is not on that message (any more)", 409);
}

