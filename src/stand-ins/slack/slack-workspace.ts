// The workspace the Slack stand-in plays: its people (full members, guests, bots, deactivated
// accounts, and people of another organisation reaching it through Slack Connect), its
// conversations (public and private channels, direct messages) and who is in them, its user
// groups, and the scopes the app was granted. The rules for where the bot may post live here.

export interface WorkspacePerson {
  id: string;
  name: string;
  /** their own organisation's workspace: another one than the workspace's means Slack Connect */
  teamId?: string;
  guest?: "restricted" | "ultra_restricted";
  bot?: boolean;
  deleted?: boolean;
  tz?: string;
}

export interface WorkspaceConversation {
  id: string;
  name: string;
  kind: "public" | "private" | "im" | "mpim";
  /** the people in it (ids); the bot only when `bot` is true */
  members: string[];
  bot: boolean;
  archived?: boolean;
}

export interface WorkspaceSpec {
  teamId: string;
  people: WorkspacePerson[];
  conversations: WorkspaceConversation[];
  usergroups: Record<string, string[]>;
  /** the bot token's scopes, as installed */
  scopes: string[];
}

/** The scope each Web API method needs (Slack's documentation); methods not here need none. */
export const METHOD_SCOPES: Readonly<Record<string, string>> = {
  "chat.postMessage": "chat:write",
  "chat.postEphemeral": "chat:write",
  "chat.update": "chat:write",
  "chat.delete": "chat:write",
  "users.info": "users:read",
  "usergroups.users.list": "usergroups:read",
  "files.getUploadURLExternal": "files:write",
  "files.completeUploadExternal": "files:write",
};

/** conversations.info needs the read scope of the kind of conversation asked about. */
export const CONVERSATION_READ_SCOPES: Readonly<Record<WorkspaceConversation["kind"], string>> = {
  public: "channels:read",
  private: "groups:read",
  im: "im:read",
  mpim: "mpim:read",
};

export type PostCheck = { ok: true; channel: string } | { ok: false; error: string; needed?: string };

export class SlackWorkspace {
  private readonly people = new Map<string, WorkspacePerson>();
  private readonly conversations = new Map<string, WorkspaceConversation>();
  /** the bot token's scopes as installed; a test takes one away to see what breaks */
  readonly scopes: Set<string>;

  constructor(
    readonly spec: WorkspaceSpec,
    readonly botUserId: string,
  ) {
    for (const person of spec.people) this.people.set(person.id, person);
    for (const conversation of spec.conversations) this.conversations.set(conversation.id, { ...conversation, members: [...conversation.members] });
    this.scopes = new Set(spec.scopes);
  }

  get teamId(): string {
    return this.spec.teamId;
  }

  hasScope(scope: string): boolean {
    return this.scopes.has(scope);
  }

  person(id: string): WorkspacePerson | undefined {
    return this.people.get(id);
  }

  conversation(id: string): WorkspaceConversation | undefined {
    return this.conversations.get(id);
  }

  /** The bot's direct message with a person, opened on first use as Slack does. */
  imWith(userId: string): WorkspaceConversation {
    const id = `D${userId}`;
    let im = this.conversations.get(id);
    if (!im) this.conversations.set(id, (im = { id, name: userId, kind: "im", members: [userId], bot: true }));
    return im;
  }

  /** Whether the bot may post in `channel` (a conversation id, or a user id for their DM). */
  canPost(channel: string): PostCheck {
    const person = this.people.get(channel);
    if (person) return person.deleted ? { ok: false, error: "user_disabled" } : { ok: true, channel: this.imWith(person.id).id };
    const c = this.conversations.get(channel);
    // a private conversation the bot is not in is one it cannot see at all
    if (!c || (!c.bot && c.kind !== "public")) return { ok: false, error: "channel_not_found" };
    if (c.archived) return { ok: false, error: "is_archived" };
    if (c.bot) return { ok: true, channel: c.id };
    return this.hasScope("chat:write.public") ? { ok: true, channel: c.id } : { ok: false, error: "not_in_channel" };
  }

  /** Sharing a file (files.completeUploadExternal) takes a conversation the bot is in: chat:write.public does not reach it. */
  canShareFile(channel: string): PostCheck {
    const c = this.conversations.get(channel);
    if (!c || (!c.bot && c.kind !== "public")) return { ok: false, error: "channel_not_found" };
    if (c.archived) return { ok: false, error: "is_archived" };
    return c.bot ? { ok: true, channel: c.id } : { ok: false, error: "not_in_channel" };
  }

  /** An ephemeral needs the bot in the conversation (or a public one with chat:write.public) and the person in it. */
  canPostEphemeral(channel: string, userId: string): PostCheck {
    const check = this.canPost(channel);
    if (!check.ok) return check;
    const c = this.conversations.get(check.channel);
    if (!c?.members.includes(userId)) return { ok: false, error: "user_not_in_channel" };
    return check;
  }

  /** What conversations.info shows the bot, or why not. */
  describe(channel: string): { ok: true; channel: Record<string, unknown> } | { ok: false; error: string; needed?: string } {
    const c = this.conversations.get(channel);
    if (!c || (!c.bot && c.kind !== "public")) return { ok: false, error: "channel_not_found" };
    const needed = CONVERSATION_READ_SCOPES[c.kind];
    if (!this.hasScope(needed)) return { ok: false, error: "missing_scope", needed };
    return {
      ok: true,
      channel: {
        id: c.id,
        name: c.name,
        is_channel: c.kind === "public",
        is_group: c.kind === "private",
        is_im: c.kind === "im",
        is_mpim: c.kind === "mpim",
        is_private: c.kind !== "public",
        is_archived: c.archived ?? false,
        is_member: c.bot,
        is_ext_shared: false,
      },
    };
  }

  /** users.info's user object: the person's own workspace, and what they are. */
  userInfo(userId: string): Record<string, unknown> | null {
    const p = this.people.get(userId);
    if (!p) return null;
    const external = (p.teamId ?? this.teamId) !== this.teamId;
    return {
      id: p.id,
      team_id: p.teamId ?? this.teamId,
      name: p.name,
      real_name: p.name,
      deleted: p.deleted ?? false,
      is_bot: p.bot ?? false,
      is_restricted: p.guest !== undefined,
      is_ultra_restricted: p.guest === "ultra_restricted",
      is_stranger: external || undefined,
      tz: p.tz ?? "Europe/London",
    };
  }

  usergroupMembers(id: string): string[] | null {
    return this.spec.usergroups[id] ?? null;
  }

  // ---- what tests and the console change --------------------------------------------------

  /** The bot joins or leaves a conversation (an admin invites it, or removes it). */
  setBotMember(channel: string, member: boolean): void {
    const c = this.conversations.get(channel);
    if (!c) throw new Error(`no conversation ${channel} in the stand-in's workspace`);
    c.bot = member;
  }

  /** A conversation the world needs (the approvals channel a setting names), added unless it exists. */
  ensureChannel(id: string, channel: { name: string; kind: WorkspaceConversation["kind"]; bot: boolean }): void {
    if (this.conversations.has(id)) return;
    const staff = [...this.people.values()].filter((p) => !p.deleted && !p.guest && (p.teamId ?? this.teamId) === this.teamId).map((p) => p.id);
    this.conversations.set(id, { id, ...channel, members: staff });
  }

  addPerson(person: WorkspacePerson): void {
    this.people.set(person.id, person);
  }
}
