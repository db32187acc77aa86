// What Slack hands out with each interaction and then limits: a trigger_id opens one modal,
// within 3 seconds; a response_url takes 5 posts within 30 minutes.
import crypto from "node:crypto";

export const TRIGGER_LIFETIME_MS = 3_000;
export const RESPONSE_URL_POSTS = 5;
export const RESPONSE_URL_LIFETIME_MS = 30 * 60_000;

export interface ResponseTarget {
  channel: string;
  user: string;
}

export class InteractionTokens {
  private readonly triggers = new Map<string, { user: string; issuedAt: number; used: boolean }>();
  private readonly responseUrls = new Map<string, ResponseTarget & { issuedAt: number; posts: number }>();

  constructor(private readonly now: () => number = Date.now) {}

  /** A trigger for an interaction by `user`; `ageMs` makes one that was issued that long ago. */
  issueTrigger(user: string, ageMs = 0): string {
    const id = `${Date.now()}.${crypto.randomBytes(8).toString("hex")}`;
    this.triggers.set(id, { user, issuedAt: this.now() - ageMs, used: false });
    return id;
  }

  /** Whose interaction a trigger came from (the console shows the modal to them). */
  triggerUser(id: string): string | undefined {
    return this.triggers.get(id)?.user;
  }

  /** Uses a trigger to open a view: null when it may, else Slack's error. */
  useTrigger(id: string): string | null {
    const trigger = this.triggers.get(id);
    if (!trigger) return "invalid_trigger_id";
    if (trigger.used) return "exchanged_trigger_id";
    if (this.now() - trigger.issuedAt > TRIGGER_LIFETIME_MS) return "expired_trigger_id";
    trigger.used = true;
    return null;
  }

  issueResponseUrl(target: ResponseTarget, ageMs = 0): string {
    const id = crypto.randomUUID();
    this.responseUrls.set(id, { ...target, issuedAt: this.now() - ageMs, posts: 0 });
    return id;
  }

  /** Takes one post on a response_url: its target, or Slack's error. */
  useResponseUrl(id: string): { ok: true; target: ResponseTarget } | { ok: false; error: string } {
    const url = this.responseUrls.get(id);
    if (!url) return { ok: false, error: "invalid_url" };
    if (this.now() - url.issuedAt > RESPONSE_URL_LIFETIME_MS) return { ok: false, error: "expired_url" };
    if (url.posts >= RESPONSE_URL_POSTS) return { ok: false, error: "used_url" };
    url.posts += 1;
    return { ok: true, target: { channel: url.channel, user: url.user } };
  }
}
