// When to try a Microsoft API call again and how long to wait first: bounded attempts and total
// time, exponential backoff with jitter, never sooner than Retry-After asks. Shared by the Partner
// Center and Graph clients so both ride out throttling the same way.

export interface RetryOptions {
  /** attempts per call, the first included (default 6) */
  maxAttempts?: number;
  /** give up once waiting again would pass this much time since the first attempt (default 120 s) */
  maxTotalMs?: number;
  /** first backoff delay; doubles per attempt (default 500 ms) */
  baseDelayMs?: number;
  /** cap on one backoff delay, Retry-After aside (default 30 s) */
  maxDelayMs?: number;
}

export const RETRY_DEFAULTS: Required<RetryOptions> = { maxAttempts: 6, maxTotalMs: 120_000, baseDelayMs: 500, maxDelayMs: 30_000 };

export class RetryPolicy {
  readonly settings: Required<RetryOptions>;

  constructor(
    options: RetryOptions = {},
    private readonly random: () => number = Math.random,
  ) {
    this.settings = { ...RETRY_DEFAULTS, ...options };
  }

  /** true when another attempt fits both bounds after waiting `delay` */
  mayRetry(attempt: number, startedAt: number, delay: number, now = Date.now()): boolean {
    return attempt < this.settings.maxAttempts && now - startedAt + delay <= this.settings.maxTotalMs;
  }

  /** exponential backoff with jitter, never shorter than what Retry-After asked for */
  backoff(attempt: number, retryAfter: string | null): number {
    const exponential = Math.min(this.settings.maxDelayMs, this.settings.baseDelayMs * 2 ** (attempt - 1));
    const jittered = exponential / 2 + (this.random() * exponential) / 2;
    const asked = parseRetryAfter(retryAfter);
    return asked === null ? jittered : asked + (this.random() * this.settings.baseDelayMs) / 4;
  }
}

/** Retry-After is seconds, or (rarely) an HTTP date. */
export function parseRetryAfter(value: string | null): number | null {
  if (!value) return null;
  if (/^\d+(\.\d+)?$/.test(value.trim())) return Number(value) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? null : Math.max(0, date - Date.now());
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
