// Test controls: the emulator's latency, its rate limit, random faults and forced answers, all
// decided before a request reaches its route.
import { seededRandom } from "../../seeded-random";
import { type Answer, partnerFd } from "../answers";

export interface EmulatorSettings {
  /** added to every API answer */
  latencyMs: number;
  /** API requests per rolling minute before 429s; 0 = unlimited */
  rpm: number;
  /** share (0..1) of API requests answered 503 at random */
  faultRate: number;
  /** share (0..1) of API requests answered 429 at random, with Retry-After throttleRetryAfterSeconds */
  throttleFaultRate: number;
  throttleRetryAfterSeconds: number;
}

/** A forced answer for the next API request(s), for deterministic fault tests. */
export interface ForcedResponse {
  status: number;
  retryAfterSeconds?: number;
  /** raw body; a PartnerFD error (or the throttling body for 429) when absent */
  body?: string;
  /**
   * the request is carried out first and only its answer is replaced: a change Partner Center
   * made whose answer was lost or garbled (not remembered for replay either)
   */
  afterApplying?: boolean;
  /** only a request on this route takes it (e.g. "PATCH /customers/{id}"); others pass as usual */
  route?: string;
}

export type SettingsUpdate = Partial<EmulatorSettings> & { failNext?: ForcedResponse[] };

const SETTING_KEYS = ["latencyMs", "rpm", "faultRate", "throttleFaultRate", "throttleRetryAfterSeconds"] as const;

function throttleBody(seconds: number): string {
  return JSON.stringify({ statusCode: 429, message: `Rate limit is exceeded. Try again in ${seconds} seconds.` });
}

export class FaultInjector {
  readonly settings: EmulatorSettings;
  private readonly random: () => number;
  private failNext: ForcedResponse[] = [];
  /** request times of the last minute, oldest at `windowStart` (a queue: at 200 requests a second, filtering the whole minute per request cost the emulator ~100 KB of garbage each) */
  private window: number[] = [];
  private windowStart = 0;

  constructor(initial: Partial<EmulatorSettings>, seed: number) {
    this.settings = {
      latencyMs: initial.latencyMs ?? 0,
      rpm: initial.rpm ?? 0,
      faultRate: initial.faultRate ?? 0,
      throttleFaultRate: initial.throttleFaultRate ?? 0,
      throttleRetryAfterSeconds: initial.throttleRetryAfterSeconds ?? 1,
    };
    this.random = seededRandom(seed);
  }

  configure(update: SettingsUpdate): EmulatorSettings {
    for (const key of SETTING_KEYS) {
      const value = update[key];
      if (typeof value === "number" && Number.isFinite(value) && value >= 0) this.settings[key] = value;
    }
    if (Array.isArray(update.failNext)) this.failNext = [...this.failNext, ...update.failNext];
    return { ...this.settings };
  }

  /** forced answers and the rate window are forgotten; the settings stay */
  reset(): void {
    this.failNext = [];
    this.window = [];
    this.windowStart = 0;
  }

  /** The answer that replaces the real one (throttled or faulted), if any, and which kind it was. */
  interfere(route: string): { answer: Answer; kind: "throttled" | "fault"; afterApplying?: boolean } | undefined {
    const index = this.failNext.findIndex((f) => f.route === undefined || f.route === route);
    const [forced] = index >= 0 ? this.failNext.splice(index, 1) : [];
    if (forced) {
      const headers: Record<string, string> = forced.retryAfterSeconds !== undefined ? { "Retry-After": String(forced.retryAfterSeconds) } : {};
      const body = forced.body ?? (forced.status === 429 ? throttleBody(forced.retryAfterSeconds ?? 1) : partnerFd(0, `Injected failure (HTTP ${forced.status}).`));
      return { answer: { status: forced.status, body, headers }, kind: forced.status === 429 ? "throttled" : "fault", afterApplying: forced.afterApplying === true };
    }
    const now = Date.now();
    if (this.settings.rpm > 0) {
      while (this.windowStart < this.window.length && (this.window[this.windowStart] ?? now) <= now - 60_000) this.windowStart += 1;
      if (this.windowStart > 1024 && this.windowStart * 2 > this.window.length) {
        this.window = this.window.slice(this.windowStart);
        this.windowStart = 0;
      }
      if (this.window.length - this.windowStart >= this.settings.rpm) {
        const seconds = Math.max(1, Math.ceil(((this.window[this.windowStart] ?? now) + 60_000 - now) / 1000));
        return { answer: { status: 429, body: throttleBody(seconds), headers: { "Retry-After": String(seconds) } }, kind: "throttled" };
      }
      this.window.push(now);
    }
    if (this.settings.throttleFaultRate > 0 && this.random() < this.settings.throttleFaultRate) {
      const seconds = this.settings.throttleRetryAfterSeconds;
      return { answer: { status: 429, body: throttleBody(seconds), headers: { "Retry-After": String(seconds) } }, kind: "throttled" };
    }
    if (this.settings.faultRate > 0 && this.random() < this.settings.faultRate) {
      return { answer: { status: 503, body: partnerFd(0, "The service is temporarily unavailable (injected fault).") }, kind: "fault" };
    }
    return undefined;
  }
}
