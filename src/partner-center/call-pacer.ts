// Paces calls to Partner Center: a bounded number in flight, starts spread evenly at the rate
// limit, and never more than the limit in any window. The spacing keeps an ideal schedule (each
// start is due one interval after the previous start was due, not after it happened), because a
// timer always fires a little late and spacing from the actual start lost ~12% of the rate:
// 500 suspends at 100/s took 5.7 s instead of 5.0. The schedule is kept through a main thread
// busy for up to CATCH_UP_MS (the calls due meanwhile start at once, a few together, still within
// the window's count): at 200 calls/s a 20 ms stall lost 4 starts for good, and 500 suspends
// during a portfolio scan started over 2.53 s instead of 2.50.
// Two queues share the one budget: an interactive call always starts before a background one
// (the portfolio scan), background calls never hold every slot in flight, and a background call
// starts only once interactive work has been quiet for a moment (none in flight, none ended
// within quietMs). Without that pause a background call took the slot each Suspend-all worker
// left free between one PATCH's answer and its next PATCH, and cost Suspend all half its pace.
import type { CallPriority } from "./call-priority";

/** how late a start may be and still keep the ideal schedule (at least one interval) */
const CATCH_UP_MS = 25;

export interface CallPacerOptions {
  /** calls allowed per window (Partner Center counts per minute) */
  limit: number;
  windowMs?: number;
  maxConcurrent: number;
  /** slots in flight background calls may hold (default: all but a quarter of maxConcurrent, at least one kept free) */
  maxBackgroundConcurrent?: number;
  /** how long interactive work must have been quiet before a background call starts (default 100 ms) */
  quietMs?: number;
  now?: () => number;
}

interface Waiting {
  start: () => void;
  reject: (error: Error) => void;
}

export class CallPacerClosedError extends Error {
  override name = "CallPacerClosedError";
}

export class CallPacer {
  private readonly intervalMs: number;
  private readonly catchUpMs: number;
  private readonly windowMs: number;
  private readonly now: () => number;
  /** when the next start is due on the ideal schedule */
  private due = Number.NEGATIVE_INFINITY;
  /** the last `limit` start times, oldest first once full (a ring) */
  private readonly starts: number[] = [];
  private oldest = 0;
  private inFlight = 0;
  private backgroundInFlight = 0;
  private interactiveInFlight = 0;
  private lastInteractiveAt = Number.NEGATIVE_INFINITY;
  private readonly quietMs: number;
  private readonly maxBackground: number;
  private readonly waiting: Waiting[] = [];
  private readonly waitingBackground: Waiting[] = [];
  private timer: NodeJS.Timeout | null = null;
  private closed = false;

  constructor(private readonly options: CallPacerOptions) {
    this.windowMs = options.windowMs ?? 60_000;
    this.intervalMs = this.windowMs / options.limit;
    this.catchUpMs = Math.max(this.intervalMs, CATCH_UP_MS);
    this.now = options.now ?? (() => performance.now());
    const kept = Math.max(1, Math.floor(options.maxConcurrent / 4));
    this.maxBackground = options.maxBackgroundConcurrent ?? Math.max(1, options.maxConcurrent - kept);
    this.quietMs = options.quietMs ?? 100;
  }

  /** Runs `work` when the pace allows; rejects with CallPacerClosedError once closed. */
  schedule<T>(work: () => Promise<T>, priority: CallPriority = "interactive"): Promise<T> {
    if (this.closed) return Promise.reject(new CallPacerClosedError("the pacer is closed"));
    const background = priority === "background";
    return new Promise<T>((resolve, reject) => {
      (background ? this.waitingBackground : this.waiting).push({
        start: () => {
          work().then(resolve, reject).finally(() => {
            this.inFlight -= 1;
            if (background) this.backgroundInFlight -= 1;
            else {
              this.interactiveInFlight -= 1;
              this.lastInteractiveAt = this.now();
            }
            this.pump();
          });
        },
        reject,
      });
      this.pump();
    });
  }

  /** calls waiting for their turn */
  get queued(): number {
    return this.waiting.length + this.waitingBackground.length;
  }

  /** Drops the calls still waiting (they reject) and refuses new ones; calls in flight finish. */
  close(): void {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    for (const waiting of [...this.waiting.splice(0), ...this.waitingBackground.splice(0)]) waiting.reject(new CallPacerClosedError("the pacer was closed before the call was sent"));
  }

  /** the queue whose call starts next, or ms until a background call may (interactive work quiet) */
  private nextQueue(now: number): Waiting[] | number | null {
    if (this.waiting.length > 0) return this.waiting;
    if (this.waitingBackground.length === 0 || this.backgroundInFlight >= this.maxBackground || this.interactiveInFlight > 0) return null;
    const quietFor = now - this.lastInteractiveAt;
    return quietFor >= this.quietMs ? this.waitingBackground : this.quietMs - quietFor;
  }

  private wakeIn(ms: number): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.pump();
    }, Math.ceil(ms));
  }

  private pump(): void {
    while (this.inFlight < this.options.maxConcurrent) {
      const now = this.now();
      const queue = this.nextQueue(now);
      if (queue === null) return;
      if (typeof queue === "number") return this.wakeIn(queue);
      const wait = this.waitFor(now);
      if (wait > 0) return this.wakeIn(wait);
      this.record(now);
      this.inFlight += 1;
      if (queue === this.waitingBackground) this.backgroundInFlight += 1;
      else {
        this.interactiveInFlight += 1;
        this.lastInteractiveAt = now;
      }
      queue.shift()?.start();
    }
  }

  /** ms until a start is allowed: by the even spacing and by the window's count */
  private waitFor(now: number): number {
    const bySpacing = this.due - now;
    const full = this.starts.length >= this.options.limit;
    const byWindow = full ? (this.starts[this.oldest] ?? now) + this.windowMs - now : 0;
    return Math.max(bySpacing, byWindow, 0);
  }

  private record(now: number): void {
    // a start less than catchUpMs late keeps the ideal schedule, so the next ones are due that
    // much sooner; after a pause the schedule starts again from now (no burst to make up for it)
    this.due = (now - this.due < this.catchUpMs ? this.due : now) + this.intervalMs;
    if (this.starts.length < this.options.limit) this.starts.push(now);
    else {
      this.starts[this.oldest] = now;
      this.oldest = (this.oldest + 1) % this.options.limit;
    }
  }
}
