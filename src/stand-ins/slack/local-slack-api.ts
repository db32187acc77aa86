// A local stand-in for the part of the Slack Web API this app calls, and for response_url.
// The tests and the local console point the app's SLACK_API_URL here; the app cannot tell it
// from Slack, and it keeps Slack's rules: the bot posts only where it may (slack-workspace.ts),
// a trigger_id opens one modal within 3 s and a response_url takes 5 posts in 30 minutes
// (interaction-tokens.ts), Block Kit past Slack's limits is refused (block-kit-rules.ts), and
// each method needs its scope. It keeps what the app posted so a test (or the console) can read it.
import crypto from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { z } from "zod";
import { blockKitProblems, viewProblems } from "./block-kit-rules";
import { InteractionTokens } from "./interaction-tokens";
import { LocalSlackFiles } from "./local-slack-files";
import { localWorkspace } from "./local-workspace";
import { METHOD_SCOPES, SlackWorkspace, type WorkspaceSpec } from "./slack-workspace";
import { asBlocks, asView, readBody, refuse, type Answer } from "./web-api-bodies";

export interface PostedMessage {
  channel: string;
  ts: string;
  text: string;
  blocks: unknown[];
  threadTs?: string | undefined;
  updates: number;
  /** order of arrival across messages and ephemerals (the console interleaves them) */
  seq: number;
}

export interface EphemeralMessage {
  channel: string;
  user: string;
  text: string;
  blocks: unknown[];
  at: number;
  /** lets a client point at one ephemeral (the console's buttons on it) */
  id: string;
  seq: number;
}

export interface ApiCall {
  method: string;
  body: Record<string, unknown>;
  at: number;
  /** Slack's error code when the call was refused */
  error?: string;
}

export interface OpenedModal {
  id: string;
  triggerId: string;
  /** who pressed: the trigger was issued for their interaction */
  user: string | undefined;
  view: Record<string, unknown>;
}

const MAX_TEXT = 40_000;

const messageBody = z.object({
  channel: z.string().min(1),
  text: z.string().optional(),
  blocks: z.unknown().optional(),
  thread_ts: z.string().optional(),
  ts: z.string().optional(),
  user: z.string().optional(),
});

export class LocalSlackApi {
  readonly messages: PostedMessage[] = [];
  readonly ephemerals: EphemeralMessage[] = [];
  readonly calls: ApiCall[] = [];
  readonly homeViews = new Map<string, unknown>();
  readonly openModals: OpenedModal[] = [];
  /** files uploaded and shared through files.getUploadURLExternal / files.completeUploadExternal */
  readonly files = new LocalSlackFiles();
  readonly workspace: SlackWorkspace;
  readonly tokens = new InteractionTokens();
  private clock = 1_700_000_000;
  /** Socket Mode: the WebSocket URL apps.connections.open hands out, and the token it wants */
  socketModeUrl: string | null = null;
  appToken: string | null = null;
  private listeners = new Set<() => void>();
  private sequence = 0;

  /**
   * @param botToken the token the app must present (a wrong one gets invalid_auth, as Slack does)
   * @param workspace changes to the local workspace (people, channels, user groups, scopes)
   */
  constructor(
    private readonly botToken: string,
    workspace: Partial<WorkspaceSpec> = {},
    readonly botUserId = "UBOT000001",
  ) {
    this.workspace = new SlackWorkspace(localWorkspace(workspace), botUserId);
  }

  /** A response_url the app can answer a command or an action on, tied to a channel and user. */
  createResponseUrl(baseUrl: string, channel: string, user: string, options: { ageMs?: number } = {}): string {
    return `${baseUrl}/response/${this.tokens.issueResponseUrl({ channel, user }, options.ageMs)}`;
  }

  /** A trigger_id for an interaction by `user`, as Slack puts in the payload; `ageMs` backdates it. */
  issueTrigger(user: string, options: { ageMs?: number } = {}): string {
    return this.tokens.issueTrigger(user, options.ageMs);
  }

  /** Called whenever something changes (the console page polls; tests wait). */
  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  channelMessages(channel: string): PostedMessage[] {
    return this.messages.filter((m) => m.channel === channel);
  }

  /** The app's direct messages with a person. */
  directMessages(user: string): PostedMessage[] {
    return this.channelMessages(this.workspace.imWith(user).id);
  }

  /** Calls Slack refused, newest last: what the console shows as Slack's errors. */
  get refusals(): ApiCall[] {
    return this.calls.filter((c) => c.error !== undefined);
  }

  /** Handles a request under `prefix` (`/api/<method>` and `/response/<id>`); false if not ours. */
  async handle(req: http.IncomingMessage, res: http.ServerResponse, prefix = ""): Promise<boolean> {
    const url = new URL(req.url ?? "/", "http://local");
    if (!url.pathname.startsWith(prefix)) return false;
    const path = url.pathname.slice(prefix.length);
    if (req.method === "POST" && path.startsWith("/api/")) {
      const body = await readBody(req);
      const token = (req.headers.authorization ?? "").replace(/^Bearer /, "") || (typeof body.token === "string" ? body.token : "");
      const method = path.slice("/api/".length);
      const allowed = method === "apps.connections.open" ? token === this.appToken : token === this.botToken;
      const answer = allowed ? this.callOrFiles(method, body, `http://${req.headers.host ?? "localhost"}${prefix}`) : refuse("invalid_auth");
      this.calls.push({ method, body, at: Date.now(), ...(answer.ok ? {} : { error: String(answer.error) }) });
      // Slack names the token's scopes on every answer (x-oauth-scopes), as `npm run doctor` reads them
      res.writeHead(200, { "content-type": "application/json", ...(allowed ? { "x-oauth-scopes": [...this.workspace.scopes].join(",") } : {}) }).end(JSON.stringify(answer));
      this.changed();
      return true;
    }
    if (await this.files.upload(req, res, path)) {
      this.changed();
      return true;
    }
    if (req.method === "POST" && path.startsWith("/response/")) {
      const body = await readBody(req);
      const answer = this.respond(path.slice("/response/".length), body);
      this.calls.push({ method: "response_url", body, at: Date.now(), ...(answer.ok ? {} : { error: String(answer.error) }) });
      // Slack answers a spent or expired response_url with 404, and a bad message with 400
      const status = answer.ok ? 200 : answer.error === "invalid_blocks" || answer.error === "no_text" ? 400 : 404;
      res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(answer));
      this.changed();
      return true;
    }
    return false;
  }

  private respond(id: string, body: Record<string, unknown>): Answer {
    const used = this.tokens.useResponseUrl(id);
    if (!used.ok) return refuse(used.error);
    const blocks = asBlocks(body.blocks);
    const text = typeof body.text === "string" ? body.text : "";
    const problem = this.messageProblem(text, body.blocks);
    if (problem) return problem;
    if (body.response_type === "in_channel") this.post(used.target.channel, text, blocks);
    else this.addEphemeral(used.target.channel, used.target.user, text, blocks);
    return { ok: true };
  }

  private changed(): void {
    for (const listener of this.listeners) listener();
  }

  private nextTs(): string {
    this.clock += 1;
    return `${this.clock}.${String(this.messages.length).padStart(6, "0")}`;
  }

  private post(channel: string, text: string, blocks: unknown[], threadTs?: string): PostedMessage {
    const message: PostedMessage = { channel, ts: this.nextTs(), text, blocks, threadTs, updates: 0, seq: ++this.sequence };
    this.messages.push(message);
    return message;
  }

  private addEphemeral(channel: string, user: string, text: string, blocks: unknown[]): void {
    this.ephemerals.push({ channel, user, text, blocks, at: Date.now(), id: crypto.randomUUID(), seq: ++this.sequence });
  }

  /** A message Slack would not take: no content, too long, or blocks past Block Kit's limits. */
  private messageProblem(text: string, rawBlocks: unknown): Answer | null {
    if (rawBlocks === undefined && text === "") return refuse("no_text");
    if (text.length > MAX_TEXT) return refuse("msg_too_long");
    if (rawBlocks === undefined) return null;
    const problems = blockKitProblems(asBlocks(rawBlocks, null), "message");
    return problems.length > 0 ? refuse("invalid_blocks", { errors: problems, response_metadata: { messages: problems.map((p) => `[ERROR] ${p}`) } }) : null;
  }

  /** files.* (local-slack-files.ts) under the same rules as the rest: the scope, and a conversation the bot is in */
  private callOrFiles(method: string, body: Record<string, unknown>, baseUrl: string): Answer {
    if (!method.startsWith("files.")) return this.call(method, body);
    const scope = METHOD_SCOPES[method];
    if (scope && !this.workspace.hasScope(scope)) return refuse("missing_scope", { needed: scope });
    if (method === "files.completeUploadExternal" && typeof body.channel_id === "string") {
      const where = this.workspace.canShareFile(body.channel_id);
      if (!where.ok) return refuse(where.error);
    }
    const answer = this.files.call(method, body, baseUrl);
    return answer ? (answer as Answer) : refuse("unknown_method");
  }

  private call(method: string, body: Record<string, unknown>): Answer {
    const scope = METHOD_SCOPES[method];
    if (scope && !this.workspace.hasScope(scope)) return refuse("missing_scope", { needed: scope, provided: [...this.workspace.scopes].join(",") });
    switch (method) {
      case "auth.test":
        return { ok: true, user_id: this.botUserId, bot_id: "BLOCAL", team_id: this.workspace.teamId, team: "Local", url: "https://local.slack/" };
      case "chat.postMessage":
        return this.postMessage(body);
      case "chat.update":
        return this.updateMessage(body);
      case "chat.delete": {
        const parsed = messageBody.safeParse(body);
        const index = parsed.success ? this.messages.findIndex((m) => m.channel === parsed.data.channel && m.ts === parsed.data.ts) : -1;
        if (!parsed.success || index < 0) return refuse("message_not_found");
        this.messages.splice(index, 1);
        return { ok: true, channel: parsed.data.channel, ts: parsed.data.ts };
      }
      case "chat.postEphemeral": {
        const parsed = messageBody.safeParse(body);
        if (!parsed.success || !parsed.data.user) return refuse("user_not_in_channel");
        const where = this.workspace.canPostEphemeral(parsed.data.channel, parsed.data.user);
        if (!where.ok) return refuse(where.error);
        const problem = this.messageProblem(parsed.data.text ?? "", parsed.data.blocks);
        if (problem) return problem;
        this.addEphemeral(where.channel, parsed.data.user, parsed.data.text ?? "", asBlocks(parsed.data.blocks));
        return { ok: true, message_ts: this.nextTs() };
      }
      case "views.open":
        return this.openView(body);
      case "views.update":
        return this.updateView(body);
      case "views.publish": {
        const view = asView(body.view);
        const user = String(body.user_id ?? "");
        if (!this.workspace.person(user)) return refuse("user_not_found");
        const problems = viewProblems(view);
        if (problems.length > 0) return refuse("invalid_blocks", { errors: problems });
        this.homeViews.set(user, view);
        return { ok: true, view };
      }
      case "conversations.info": {
        const info = this.workspace.describe(String(body.channel ?? ""));
        return info.ok ? { ok: true, channel: info.channel } : refuse(info.error, info.needed ? { needed: info.needed } : {});
      }
      case "users.info": {
        const user = this.workspace.userInfo(String(body.user ?? ""));
        return user ? { ok: true, user } : refuse("user_not_found");
      }
      case "usergroups.users.list": {
        const users = this.workspace.usergroupMembers(String(body.usergroup ?? ""));
        return users ? { ok: true, users } : refuse("no_such_subteam");
      }
      case "apps.connections.open":
        // Socket Mode asks for its WebSocket URL with the app-level token
        return this.socketModeUrl ? { ok: true, url: this.socketModeUrl } : refuse("not_allowed_token_type");
      default:
        return refuse("unknown_method");
    }
  }

  private postMessage(body: Record<string, unknown>): Answer {
    const parsed = messageBody.safeParse(body);
    if (!parsed.success) return refuse("channel_not_found");
    const where = this.workspace.canPost(parsed.data.channel);
    if (!where.ok) return refuse(where.error);
    const problem = this.messageProblem(parsed.data.text ?? "", parsed.data.blocks);
    if (problem) return problem;
    const threadTs = parsed.data.thread_ts;
    if (threadTs && !this.messages.some((m) => m.channel === where.channel && m.ts === threadTs)) return refuse("thread_not_found");
    const message = this.post(where.channel, parsed.data.text ?? "", asBlocks(parsed.data.blocks), threadTs);
    return { ok: true, channel: message.channel, ts: message.ts, message: { text: message.text } };
  }

  private updateMessage(body: Record<string, unknown>): Answer {
    const parsed = messageBody.safeParse(body);
    if (!parsed.success) return refuse("channel_not_found");
    // the bot must still see the conversation: one it was removed from (if private) is gone for it
    const where = this.workspace.canPost(parsed.data.channel);
    if (!where.ok && where.error !== "not_in_channel") return refuse(where.error);
    const message = this.messages.find((m) => m.channel === parsed.data.channel && m.ts === parsed.data.ts);
    if (!message) return refuse("message_not_found");
    const problem = this.messageProblem(parsed.data.text ?? message.text, parsed.data.blocks);
    if (problem) return problem;
    message.text = parsed.data.text ?? message.text;
    message.blocks = asBlocks(parsed.data.blocks);
    message.updates += 1;
    return { ok: true, channel: message.channel, ts: message.ts };
  }

  private openView(body: Record<string, unknown>): Answer {
    const triggerId = String(body.trigger_id ?? "");
    const view = asView(body.view);
    const problems = viewProblems(view);
    if (problems.length > 0) return refuse("invalid_blocks", { errors: problems });
    const triggerProblem = this.tokens.useTrigger(triggerId);
    if (triggerProblem) return refuse(triggerProblem);
    const id = `V${String(this.openModals.length + 1).padStart(8, "0")}`;
    this.openModals.push({ id, triggerId, user: this.tokens.triggerUser(triggerId), view });
    return { ok: true, view: { id, ...view } };
  }

  private updateView(body: Record<string, unknown>): Answer {
    const modal = this.openModals.find((m) => m.id === body.view_id);
    if (!modal) return refuse("not_found");
    const view = asView(body.view);
    const problems = viewProblems(view);
    if (problems.length > 0) return refuse("invalid_blocks", { errors: problems });
    modal.view = view;
    return { ok: true, view: { id: modal.id, ...view } };
  }
}

export interface LocalSlackServer {
  /** where it listens; the app's SLACK_API_URL is `${url}/api/`, response_urls start with it too */
  url: string;
  close(): Promise<void>;
}

/** Serves `slack` on a free loopback port, so the app's client has its URL before the app listens. */
export async function serveLocalSlackApi(slack: LocalSlackApi, onError: (error: unknown) => void = () => undefined): Promise<LocalSlackServer> {
  const server = http.createServer((req, res) => {
    slack
      .handle(req, res)
      .then((handled) => {
        if (!handled) res.writeHead(404).end();
      })
      .catch((error: unknown) => {
        // a request it cannot read is answered, never left hanging
        onError(error);
        if (!res.headersSent) res.writeHead(500).end();
      });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", resolve);
  });
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
