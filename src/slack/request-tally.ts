// How each request to /slack/events fared against the signing secret, counted in memory on the
// ack path (the app writes the counts to the store now and then: store/slack-request-repository.ts).
// A wrong secret, e.g. the Client Secret pasted in its place, fails every request Slack sends, and
// this is the only place it shows: Slack has no API to check a signing secret.
import crypto from "node:crypto";
import type http from "node:http";
import type { SlackRequestCounts } from "../store";

/** Bolt's rule: a timestamp over five minutes old is refused before the signature is looked at. */
const STALE_AFTER_SECONDS = 5 * 60;
const SIGNATURE = /^v0=[0-9a-f]{64}$/;

/**
 * verified: the signature matches; bad-signature: it does not (a wrong SLACK_SIGNING_SECRET);
 * stale: the timestamp is too old (this machine's clock ahead, or a replay); unsigned: no
 * signature shaped as Slack's, so not a request from Slack and not counted.
 */
export type SignatureVerdict = "verified" | "bad-signature" | "stale" | "unsigned";

function header(req: http.IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return typeof value === "string" ? value : undefined;
}

/** The same verdict Bolt's verification reaches (it answers 401 to all but verified), with the reason kept. */
export function judgeSignature(req: http.IncomingMessage, body: Buffer, signingSecret: string, nowMs = Date.now()): SignatureVerdict {
  const signature = header(req, "x-slack-signature");
  const timestamp = header(req, "x-slack-request-timestamp");
  if (!signature || !SIGNATURE.test(signature) || !timestamp || !/^\d{1,12}$/.test(timestamp)) return "unsigned";
  if (Number(timestamp) < Math.floor(nowMs / 1000) - STALE_AFTER_SECONDS) return "stale";
  const expected = crypto.createHmac("sha256", signingSecret).update(`v0:${timestamp}:`).update(body).digest();
  return crypto.timingSafeEqual(expected, Buffer.from(signature.slice(3), "hex")) ? "verified" : "bad-signature";
}

export function emptyCounts(): SlackRequestCounts {
  return {
    verified: 0,
    lastVerifiedAt: null,
    badSignature: 0,
    lastBadSignatureAt: null,
    badSignatureStreak: 0,
    badSignatureStreakSince: null,
    stale: 0,
    lastStaleAt: null,
    staleStreak: 0,
    staleStreakSince: null,
  };
}

/** This instance's counts; `changes` tells the writer whether there is anything new to write. */
export class SlackRequestTally {
  private counts = emptyCounts();
  private changeCount = 0;

  record(verdict: SignatureVerdict, at = new Date()): void {
    const c = this.counts;
    if (verdict === "unsigned") return;
    this.changeCount += 1;
    if (verdict === "verified") {
      // a verified request ends both streaks: the secret and the clock worked for it
      Object.assign(c, { verified: c.verified + 1, lastVerifiedAt: at, badSignatureStreak: 0, badSignatureStreakSince: null, staleStreak: 0, staleStreakSince: null });
    } else if (verdict === "bad-signature") {
      Object.assign(c, { badSignature: c.badSignature + 1, lastBadSignatureAt: at, badSignatureStreak: c.badSignatureStreak + 1, badSignatureStreakSince: c.badSignatureStreakSince ?? at });
    } else {
      Object.assign(c, { stale: c.stale + 1, lastStaleAt: at, staleStreak: c.staleStreak + 1, staleStreakSince: c.staleStreakSince ?? at });
    }
  }

  changes(): number {
    return this.changeCount;
  }

  snapshot(): SlackRequestCounts {
    return { ...this.counts };
  }
}
