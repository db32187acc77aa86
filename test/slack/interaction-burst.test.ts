// The work behind acks waits while Slack requests pour in (so the receiver keeps the main thread),
// is worked at full width once they stop, and never waits on a burst without end.
import type { WebClient } from "@slack/web-api";
import { silentLogger } from "../../src/logger";
import { type Interaction, InteractionJobs } from "../../src/slack/interaction-jobs";

const accepted: string[] = [];
const store = { accept: async (key: string) => (accepted.push(key), true), kick: () => undefined, settle: async () => undefined };
const help: Interaction = { type: "command", text: "help", userId: "U1", channelId: "C1", responseUrl: "https://hooks.slack.test/r" };

async function acceptEvery(jobs: InteractionJobs, from: number, to: number, everyMs: number): Promise<void> {
  for (let t = from; t < to; t += everyMs) await jobs.accept(`slack:trigger:${t}`, help, t);
}

test("quiet: full width; a burst: none; a burst past ten seconds: one at a time; after it: full width", async () => {
  const jobs = new InteractionJobs(store, {} as WebClient, silentLogger);
  const t0 = 1_000_000;
  // a few requests a second is no burst
  await acceptEvery(jobs, t0, t0 + 5_000, 500);
  expect(jobs.concurrencyNow(t0 + 5_000)).toBe(jobs.concurrency);
  // 200 a second
  await acceptEvery(jobs, t0 + 5_000, t0 + 6_000, 5);
  expect(jobs.concurrencyNow(t0 + 6_000)).toBe(0);
  await acceptEvery(jobs, t0 + 6_000, t0 + 15_000, 5);
  expect(jobs.concurrencyNow(t0 + 15_000)).toBe(0);
  await acceptEvery(jobs, t0 + 15_000, t0 + 17_000, 5);
  expect(jobs.concurrencyNow(t0 + 17_000)).toBe(1);
  // a second after the last request the burst is over
  expect(jobs.concurrencyNow(t0 + 18_001)).toBe(jobs.concurrency);
  // every request was persisted, none dropped while the work waited
  expect(accepted).toHaveLength(10 + 200 + 1800 + 400);
});
