// Test controls: what the emulator was asked and how it answered — counters by route and status,
// and the last requests (bounded), so tests can check what really reached Partner Center.

export interface RecordedRequest {
  method: string;
  path: string;
  route: string;
  status: number;
  requestId: string | undefined;
  correlationId: string | undefined;
  replayed: boolean;
  /** mutating requests only: the If-Match header and the body as sent */
  ifMatch?: string | undefined;
  body?: Record<string, unknown> | undefined;
}

export interface EmulatorStats {
  /** API requests (not /_emulator ones) */
  total: number;
  /** "PATCH /customers/{id}/subscriptions/{id}" → count */
  byRoute: Record<string, number>;
  byStatus: Record<string, number>;
  throttled: number;
  faults: number;
  replays: number;
}

const MAX_RECORDED = 2_000;

function emptyStats(): EmulatorStats {
  return { total: 0, byRoute: {}, byStatus: {}, throttled: 0, faults: 0, replays: 0 };
}

export class RequestLog {
  private counters: EmulatorStats = emptyStats();
  private recorded: RecordedRequest[] = [];

  /** a request arrived at a route (counted before it is answered) */
  arrived(route: string): void {
    this.counters.total += 1;
    this.counters.byRoute[route] = (this.counters.byRoute[route] ?? 0) + 1;
  }

  interfered(kind: "throttled" | "fault"): void {
    if (kind === "throttled") this.counters.throttled += 1;
    else this.counters.faults += 1;
  }

  answered(request: RecordedRequest): void {
    this.counters.byStatus[request.status] = (this.counters.byStatus[request.status] ?? 0) + 1;
    if (request.replayed) this.counters.replays += 1;
    this.recorded.push(request);
    if (this.recorded.length > MAX_RECORDED) this.recorded = this.recorded.slice(-MAX_RECORDED / 2);
  }

  stats(): EmulatorStats {
    return structuredClone(this.counters);
  }

  requests(): RecordedRequest[] {
    return [...this.recorded];
  }

  reset(): void {
    this.counters = emptyStats();
    this.recorded = [];
  }
}
