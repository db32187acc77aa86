// Shutdown must not drop requests Slack has been told we took: they are worked before the app
// closes its database, within a deadline, and whoever sent one that is not worked is told.
import { PostAckQueue } from "../../src/slack/post-ack-queue";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

test("never runs more than its concurrency at once", async () => {
  const queue = new PostAckQueue(2);
  let running = 0;
  let most = 0;
  await Promise.all(
    Array.from({ length: 10 }, () =>
      queue.run(async () => {
        most = Math.max(most, ++running);
        await sleep(5);
        running--;
      }),
    ),
  );
  expect(most).toBe(2);
  expect(queue.backlog).toBe(0);
});

test("drain waits for acknowledged work, queued and running, then turns new work away politely", async () => {
  const queue = new PostAckQueue(1);
  const done: number[] = [];
  const runs = [1, 2, 3].map((n) =>
    queue.run(async () => {
      await sleep(30);
      done.push(n);
    }),
  );
  expect(await queue.drain(5_000)).toBe(0);
  expect(done).toEqual([1, 2, 3]);
  await Promise.all(runs);
  const told: string[] = [];
  await queue.run(async () => done.push(4), async () => told.push("restarting"));
  expect(done).toEqual([1, 2, 3]);
  expect(told).toEqual(["restarting"]);
});

test("drain gives up at its deadline: what has not started is not started, and its sender is told", async () => {
  const queue = new PostAckQueue(1);
  const started: number[] = [];
  const told: number[] = [];
  const runs = [1, 2, 3].map((n) =>
    queue.run(
      async () => {
        started.push(n);
        await sleep(200);
      },
      async () => told.push(n),
    ),
  );
  // one running at the deadline, two abandoned
  expect(await queue.drain(50)).toBe(3);
  await Promise.all(runs);
  expect(started).toEqual([1]);
  expect(told).toEqual([2, 3]);
});
