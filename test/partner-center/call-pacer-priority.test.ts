// Interactive calls go first: a scan's background calls queued ahead of an operator's must not
// delay them, and background calls never fill every slot in flight.
import { CallPacer } from "../../src/partner-center/call-pacer";
import { currentPriority, inBackground } from "../../src/partner-center/call-priority";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

test("an interactive call queued behind many background calls starts next", async () => {
  const pacer = new CallPacer({ limit: 100, windowMs: 1_000, maxConcurrent: 4 });
  const order: string[] = [];
  const background = Array.from({ length: 30 }, (_, i) => pacer.schedule(async () => void order.push(`b${i}`), "background"));
  await sleep(55); // a few background calls have started at 10 ms spacing
  const startedBefore = order.length;
  const interactive = Array.from({ length: 5 }, (_, i) => pacer.schedule(async () => void order.push(`i${i}`), "interactive"));
  await Promise.all([...background, ...interactive]);
  // the five interactive calls take the next five starts, ahead of the 20-odd background ones still queued
  expect(startedBefore).toBeLessThan(25);
  expect(order.slice(startedBefore, startedBefore + 5)).toEqual(["i0", "i1", "i2", "i3", "i4"]);
  expect(order).toHaveLength(35);
});

test("background calls leave a slot in flight for interactive ones", async () => {
  const pacer = new CallPacer({ limit: 10_000, windowMs: 1_000, maxConcurrent: 4 });
  let backgroundInFlight = 0;
  let most = 0;
  const slow = Array.from({ length: 12 }, () =>
    pacer.schedule(async () => {
      most = Math.max(most, ++backgroundInFlight);
      await sleep(40);
      backgroundInFlight -= 1;
    }, "background"),
  );
  await sleep(5);
  // with every background slot busy, an interactive call still starts at once
  let busyAtStart = -1;
  await pacer.schedule(async () => void (busyAtStart = backgroundInFlight), "interactive");
  await Promise.all(slow);
  expect(most).toBe(3);
  expect(busyAtStart).toBe(3);
});

test("inBackground marks the calls made inside it, however deep, and nothing outside", async () => {
  expect(currentPriority()).toBe("interactive");
  const seen = await inBackground(async () => {
    await sleep(1);
    return Promise.all([Promise.resolve().then(() => currentPriority()), (async () => currentPriority())()]);
  });
  expect(seen).toEqual(["background", "background"]);
  expect(currentPriority()).toBe("interactive");
});

test("a worker calling one after another keeps every start: background waits until it is quiet", async () => {
  // a Suspend-all worker: a call, a moment of its own work (I/O), the next call; background calls queued all along
  const pacer = new CallPacer({ limit: 1_000, windowMs: 1_000, maxConcurrent: 4, quietMs: 50 });
  const order: string[] = [];
  const background = Array.from({ length: 10 }, (_, i) => pacer.schedule(async () => void order.push(`b${i}`), "background"));
  const worker = (async () => {
    for (let i = 0; i < 20; i += 1) {
      await pacer.schedule(async () => {
        order.push(`i${i}`);
        await sleep(3);
      });
      await sleep(2);
    }
  })();
  await Promise.all([worker, ...background]);
  const lastInteractive = order.indexOf("i19");
  const firstBackgroundAfterStart = order.findIndex((name, index) => name.startsWith("b") && index > order.indexOf("i0"));
  // background calls that started before the worker's first call are fine; none while it worked
  expect(firstBackgroundAfterStart === -1 || firstBackgroundAfterStart > lastInteractive).toBe(true);
  expect(order.filter((name) => name.startsWith("b"))).toHaveLength(10);
});
