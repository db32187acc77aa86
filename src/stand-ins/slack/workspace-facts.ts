// What the Slack stand-in knows about its workspace beyond messages: the scopes the bot token was
// granted (sent in x-oauth-scopes as Slack does, and enforced), and the channels with their members
// (conversations.info). Tests take a scope away or the bot out of a channel to see what breaks.
import { manifestBotScopes } from "../../doctor/manifest-scopes";

export interface StandInChannel {
  name: string;
  isPrivate: boolean;
  members: Set<string>;
}

/** The scope a method needs (any one of them), as Slack documents it. */
const NEEDED: Record<string, string[]> = {
  "chat.postMessage": ["chat:write"],
  "chat.update": ["chat:write"],
  "chat.delete": ["chat:write"],
  "chat.postEphemeral": ["chat:write"],
  "usergroups.users.list": ["usergroups:read"],
  "conversations.info": ["channels:read", "groups:read"],
};

export class WorkspaceFacts {
  /** granted to the bot token; the app is installed from manifest.yml, so its bot scopes */
  readonly scopes: Set<string>;
  readonly channels = new Map<string, StandInChannel>();

  constructor(scopes: string[] = manifestBotScopes()) {
    this.scopes = new Set(scopes);
  }

  addChannel(id: string, channel: { name?: string; isPrivate?: boolean; members?: string[] } = {}): StandInChannel {
    const entry = { name: channel.name ?? id.toLowerCase(), isPrivate: channel.isPrivate ?? false, members: new Set(channel.members ?? []) };
    this.channels.set(id, entry);
    return entry;
  }

  /** Headers on every Web API answer to a bot token. */
  headers(): Record<string, string> {
    return { "x-oauth-scopes": [...this.scopes].join(",") };
  }

  /** Slack's missing_scope refusal when the token lacks what `method` needs, else undefined. */
  refusal(method: string): Record<string, unknown> | undefined {
    const needed = NEEDED[method];
    if (!needed || needed.some((scope) => this.scopes.has(scope))) return undefined;
    return { ok: false, error: "missing_scope", needed: needed.join(","), provided: [...this.scopes].join(",") };
  }

  /** The methods answered here; undefined for any other. */
  answer(method: string, body: Record<string, unknown>, botUserId: string): Record<string, unknown> | undefined {
    if (method !== "conversations.info") return undefined;
    const id = String(body.channel ?? "");
    const channel = this.channels.get(id);
    // a private channel the bot is not in looks like no channel at all, as in Slack
    if (!channel || (channel.isPrivate && !channel.members.has(botUserId))) return { ok: false, error: "channel_not_found" };
    // public needs channels:read, private groups:read
    if (!this.scopes.has(channel.isPrivate ? "groups:read" : "channels:read")) return { ok: false, error: "missing_scope", needed: channel.isPrivate ? "groups:read" : "channels:read" };
    return {
      ok: true,
      channel: { id, name: channel.name, is_channel: !channel.isPrivate, is_private: channel.isPrivate, is_archived: false, is_member: channel.members.has(botUserId) },
    };
  }
}
