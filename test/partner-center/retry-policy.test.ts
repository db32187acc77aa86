import { RetryPolicy, parseRetryAfter } from "../../src/partner-center/retry-policy";

describe("RetryPolicy", () => {
  test("backs off exponentially with jitter, capped", () => {
    const low = new RetryPolicy({ baseDelayMs: 100, maxDelayMs: 1_000 }, () => 0);
    const high = new RetryPolicy({ baseDelayMs: 100, maxDelayMs: 1_000 }, () => 0.999999);
    expect(low.backoff(1, null)).toBe(50);
    expect(low.backoff(3, null)).toBe(200);
    expect(high.backoff(3, null)).toBeCloseTo(400, 0);
    // capped at maxDelayMs, jitter only halves it
    expect(high.backoff(10, null)).toBeCloseTo(1_000, 0);
  });

  test("never waits less than Retry-After asks, even past the cap", () => {
    const policy = new RetryPolicy({ baseDelayMs: 100, maxDelayMs: 1_000 }, () => 0);
    expect(policy.backoff(1, "3")).toBe(3_000);
    expect(policy.backoff(1, "0.5")).toBe(500);
  });

  test("stops at the attempt bound and at the total-time bound", () => {
    const policy = new RetryPolicy({ maxAttempts: 3, maxTotalMs: 10_000 });
    const start = 1_000_000;
    expect(policy.mayRetry(2, start, 100, start + 100)).toBe(true);
    expect(policy.mayRetry(3, start, 100, start + 100)).toBe(false);
    expect(policy.mayRetry(1, start, 2_000, start + 9_000)).toBe(false);
  });

  test("Retry-After is seconds or an HTTP date; anything else is ignored", () => {
    expect(parseRetryAfter("2")).toBe(2_000);
    expect(parseRetryAfter(null)).toBeNull();
    expect(parseRetryAfter("soon")).toBeNull();
    const inFive = new Date(Date.now() + 5_000).toUTCString();
    expect(parseRetryAfter(inFive)).toBeGreaterThan(3_000);
    expect(parseRetryAfter(new Date(Date.now() - 60_000).toUTCString())).toBe(0);
  });
});
