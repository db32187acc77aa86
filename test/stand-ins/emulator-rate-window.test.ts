// The emulator's rate limit counts requests over the last minute, as Partner Center does: these
// drive its fault injector with a fake clock through many minutes' worth of requests.
import { FaultInjector } from "../../src/stand-ins/partner-center/controls/faults";

afterEach(() => jest.useRealTimers());

function throttled(injector: FaultInjector): boolean {
  return injector.interfere("GET /customers")?.kind === "throttled";
}

test("allows rpm requests in any minute, throttles the next, and lets requests through again as the minute moves on", () => {
  jest.useFakeTimers({ now: new Date("2026-11-30T10:00:00Z") });
  const injector = new FaultInjector({ rpm: 3 }, 1);
  expect([throttled(injector), throttled(injector), throttled(injector), throttled(injector)]).toEqual([false, false, false, true]);
  // a throttled request does not count: a minute after the first three, three more pass
  jest.advanceTimersByTime(60_001);
  expect([throttled(injector), throttled(injector), throttled(injector), throttled(injector)]).toEqual([false, false, false, true]);
});

test("through minutes of steady traffic and bursts, decides exactly as counting the whole last minute would", () => {
  jest.useFakeTimers({ now: new Date("2026-11-30T10:00:00Z") });
  const rpm = 1_000;
  const injector = new FaultInjector({ rpm }, 1);
  // the reference: every passed request's time, the whole last minute counted each time
  const passedAt: number[] = [];
  let step = 7;
  for (let i = 0; i < 12_000; i += 1) {
    const now = Date.now();
    const expected = passedAt.filter((t) => t > now - 60_000).length >= rpm;
    expect(throttled(injector)).toBe(expected);
    if (!expected) passedAt.push(now);
    // mostly ~80 a second, with bursts of back-to-back requests now and then
    step = (step * 31 + 11) % 97;
    jest.advanceTimersByTime(step < 10 ? 0 : step / 4);
  }
  // both throttled and passed requests happened, so both branches were compared
  expect(passedAt.length).toBeLessThan(12_000);
  expect(passedAt.length).toBeGreaterThan(rpm * 2);
});
