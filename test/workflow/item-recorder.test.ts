// The recorder batches finished items off the workers' path; what matters is that nothing handed
// to it is lost, and that a job cannot be finished while something is unwritten.
import type { ItemOutcome } from "../../src/store";
import { ItemRecorder } from "../../src/workflow/item-recorder";
import { silentLogger } from "../../src/logger";

function outcome(subscriptionId: string): ItemOutcome {
  return { subscriptionId, state: "done", lastError: null, audit: { actor: "U1", action: "subscription.suspend", outcome: "ok" } };
}

test("writes in batches of at most maxBatch, and flush writes the rest", async () => {
  const batches: string[][] = [];
  const recorder = new ItemRecorder({ recordItems: async (_jobId, items) => void batches.push(items.map((i) => i.subscriptionId)) }, "job-1", silentLogger, 3, 60_000);
  for (const id of ["a", "b", "c", "d", "e"]) recorder.add(outcome(id));
  await recorder.flush();
  expect(batches).toEqual([["a", "b", "c"], ["d", "e"]]);
});

test("a failed write keeps its items: flush reports it, and the next write carries them", async () => {
  const written: string[] = [];
  let failNext = true;
  const recorder = new ItemRecorder(
    {
      recordItems: async (_jobId, items) => {
        if (failNext) {
          failNext = false;
          throw new Error("database restarting");
        }
        written.push(...items.map((i) => i.subscriptionId));
      },
    },
    "job-1",
    silentLogger,
    10,
    60_000,
  );
  recorder.add(outcome("a"));
  await expect(recorder.flush()).rejects.toThrow("database restarting");
  recorder.add(outcome("b"));
  await recorder.flush();
  expect(written).toEqual(["a", "b"]);
});

test("a batch goes out after maxDelayMs even when it is not full", async () => {
  const written: string[] = [];
  const recorder = new ItemRecorder({ recordItems: async (_jobId, items) => void written.push(...items.map((i) => i.subscriptionId)) }, "job-1", silentLogger, 50, 20);
  recorder.add(outcome("a"));
  for (let i = 0; i < 100 && written.length === 0; i += 1) await new Promise((resolve) => setTimeout(resolve, 10));
  expect(written).toEqual(["a"]);
});
