// A local stand-in for the part of the Slack Web API this app calls, and for response_url.
// The tests and the local console point the app's SLACK_API_URL here; the app cannot tell it
// from Slack. It keeps what the app posted so a test (or the console page) can read it.
import crypto from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { z } from "zod";
import { LocalSlackFiles } from "./local-slack-files";
import { WorkspaceFacts } from "./workspace-facts";

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
}

const messageBody = z.object({
  channel: z.string().min(1),
  text: z.string().optional(),
  blocks: z.union([z.array(z.unknown()), z.string()]).optional(),
  thread_ts: z.string().optional(),
  ts: z.string().optional(),
  user: z.string().optional(),
});

function asBlocks(value: unknown): unknown[] {
  if (Array.isArray(value)) return value;
  if (typeof value === "string") {
    try {
      const parsed: unknown = JSON.parse(value);
      return Array.isArray(parsed) ? parsed : [];
    } catch {
      return [];
    }
  }
  return [];
}

async function readBody(req: http.IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const raw = Buffer.concat(chunks).toString("utf8");
  if (!raw) return {};
  if ((req.headers["content-type"] ?? "").includes("application/json")) {
    const parsed: unknown = JSON.parse(raw);
    return parsed && typeof parsed === "object" ? (parsed as Record<string, unknown>) : {};
  }
  return Object.fromEntries(new URLSearchParams(raw));
}

export class LocalSlackApi {
  readonly messages: PostedMessage[] = [];
  readonly ephemerals: EphemeralMessage[] = [];
  readonly calls: ApiCall[] = [];
  readonly homeViews = new Map<string, unknown>();
  /** files uploaded and shared through files.getUploadURLExternal / files.completeUploadExternal */
  readonly files = new LocalSlackFiles();
  readonly openModals: Array<{ triggerId: string; view: Record<string, unknown> }> = [];
  private readonly responseUrls = new Map<string, { channel: string; user: string }>();
  private clock = 1_700_000_000;
  /** Socket Mode: the WebSocket URL apps.connections.open hands out, and the token it wants */
  socketModeUrl: string | null = null;
  appToken: string | null = null;
  private listeners = new Set<() => void>();
  /** scopes granted and channels with their members (workspace-facts.ts) */
  readonly workspace = new WorkspaceFacts();
  private sequence = 0;

  /**
   * @param botToken the token the app must present (a wrong one gets invalid_auth, as Slack does)
   * @param usergroups members of user groups, for usergroups.users.list
   */
  constructor(
    private readonly botToken: string,
    private readonly usergroups: Record<string, string[]> = {},
    readonly botUserId = "UBOT000001",
  ) {}

  /** A response_url the app can answer a command or an action on, tied to a channel and user. */
  createResponseUrl(baseUrl: string, channel: string, user: string): string {
    const id = crypto.randomUUID();
    this.responseUrls.set(id, { channel, user });
    return `${baseUrl}/response/${id}`;
  }

  /** Called whenever something changes (the console page polls; tests wait). */
  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  channelMessages(channel: string): PostedMessage[] {
    return this.messages.filter((m) => m.channel === channel);
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
      this.calls.push({ method, body, at: Date.now() });
      const allowed = method === "apps.connections.open" ? token === this.appToken : token === this.botToken;
      const answer = allowed
        ? (this.workspace.refusal(method) ?? this.files.call(method, body, `http://${req.headers.host ?? "localhost"}${prefix}`) ?? this.call(method, body))
        : { ok: false, error: "invalid_auth" };
      res.writeHead(200, { "content-type": "application/json", ...(allowed ? this.workspace.headers() : {}) }).end(JSON.stringify(answer));
      this.changed();
      return true;
    }
    if (await this.files.upload(req, res, path)) {
      this.changed();
      return true;
    }
    if (req.method === "POST" && path.startsWith("/response/")) {
      const target = this.responseUrls.get(path.slice("/response/".length));
      const body = await readBody(req);
      if (!target) {
        res.writeHead(404).end("unknown response_url");
        return true;
      }
      this.calls.push({ method: "response_url", body, at: Date.now() });
      if (body.response_type === "in_channel") {
        this.post(target.channel, String(body.text ?? ""), asBlocks(body.blocks));
      } else {
        this.addEphemeral(target.channel, target.user, String(body.text ?? ""), asBlocks(body.blocks));
      }
      res.writeHead(200, { "content-type": "text/plain" }).end("ok");
      this.changed();
      return true;
    }
    return false;
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

  private call(method: string, body: Record<string, unknown>): Record<string, unknown> {
    switch (method) {
      case "auth.test":
        return { ok: true, user_id: this.botUserId, bot_id: "BLOCAL", team_id: "TLOCAL", url: "https://local.slack/" };
      case "chat.postMessage": {
        const parsed = messageBody.safeParse(body);
        if (!parsed.success) return { ok: false, error: "channel_not_found" };
        const message = this.post(parsed.data.channel, parsed.data.text ?? "", asBlocks(parsed.data.blocks), parsed.data.thread_ts);
        return { ok: true, channel: message.channel, ts: message.ts, message: { text: message.text } };
      }
      case "chat.update": {
        const parsed = messageBody.safeParse(body);
        const message = parsed.success ? this.messages.find((m) => m.channel === parsed.data.channel && m.ts === parsed.data.ts) : undefined;
        if (!parsed.success || !message) return { ok: false, error: "message_not_found" };
        message.text = parsed.data.text ?? message.text;
        message.blocks = asBlocks(parsed.data.blocks);
        message.updates += 1;
        return { ok: true, channel: message.channel, ts: message.ts };
      }
      case "chat.delete": {
        const parsed = messageBody.safeParse(body);
        const index = parsed.success ? this.messages.findIndex((m) => m.channel === parsed.data.channel && m.ts === parsed.data.ts) : -1;
        if (!parsed.success || index < 0) return { ok: false, error: "message_not_found" };
        this.messages.splice(index, 1);
        return { ok: true, channel: parsed.data.channel, ts: parsed.data.ts };
      }
      case "chat.postEphemeral": {
        const parsed = messageBody.safeParse(body);
        if (!parsed.success || !parsed.data.user) return { ok: false, error: "user_not_in_channel" };
        this.addEphemeral(parsed.data.channel, parsed.data.user, parsed.data.text ?? "", asBlocks(parsed.data.blocks));
        return { ok: true, message_ts: this.nextTs() };
      }
      case "views.open": {
        const view = typeof body.view === "string" ? (JSON.parse(body.view) as Record<string, unknown>) : (body.view as Record<string, unknown>);
        this.openModals.push({ triggerId: String(body.trigger_id ?? ""), view });
        return { ok: true, view: { id: `V${this.openModals.length}`, ...view } };
      }
      case "views.publish": {
        const view: unknown = typeof body.view === "string" ? JSON.parse(body.view) : body.view;
        this.homeViews.set(String(body.user_id ?? ""), view);
        return { ok: true };
      }
      case "apps.connections.open":
        // Socket Mode asks for its WebSocket URL with the app-level token
        return this.socketModeUrl ? { ok: true, url: this.socketModeUrl } : { ok: false, error: "not_allowed_token_type" };
      case "usergroups.users.list":
        return { ok: true, users: this.usergroups[String(body.usergroup ?? "")] ?? [] };
      default:
        return this.workspace.answer(method, body, this.botUserId) ?? { ok: false, error: "unknown_method" };
    }
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
