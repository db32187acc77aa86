// Messages between the ack-latency bench and its driver process.
export const RATES = [50, 100, 200] as const;
export const SECONDS_PER_RATE = 5;
export const WARM_UP = { rate: 20, count: 30 } as const;

export interface DriverRequest {
  appUrl: string;
  signingSecret: string;
  caseId: string;
  responseUrls: string[];
}

export interface DriverResult {
  rate: number;
  sent: number;
  errors: number;
  p50: number;
  p99: number;
  max: number;
}

export function isDriverRequest(value: unknown): value is DriverRequest {
  return typeof value === "object" && value !== null && typeof (value as { appUrl?: unknown }).appUrl === "string";
}

export function isDriverResult(value: unknown): value is { results: DriverResult[] } {
  return typeof value === "object" && value !== null && Array.isArray((value as { results?: unknown }).results);
}
