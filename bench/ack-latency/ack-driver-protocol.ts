// Messages between the ack-latency bench and its driver process.
/** the rate the target is set at, in rounds, each against the app and the bare-Bolt floor */
export const RATE = 200;
export const ROUNDS = 5;
export const SECONDS_PER_ROUND = 5;
export const WARM_UP = { rate: 20, count: 30 } as const;

export type Target = "app" | "floor";

export interface DriverRequest {
  appUrl: string;
  /** the bare Bolt app (bare-bolt.ts): same receiver, listeners that only ack */
  floorUrl: string;
  signingSecret: string;
  caseId: string;
  responseUrls: string[];
}

export interface DriverResult {
  target: Target;
  round: number;
  rate: number;
  sent: number;
  errors: number;
  p50: number;
  p99: number;
  max: number;
}

/** One round to send, from the bench to the driver; the driver answers with its DriverResult. */
export interface RoundRequest {
  kind: "round";
  target: Target;
  round: number;
  rate: number;
  count: number;
}

export function isRoundRequest(value: unknown): value is RoundRequest {
  return typeof value === "object" && value !== null && (value as { kind?: unknown }).kind === "round";
}

export function isDriverRequest(value: unknown): value is DriverRequest {
  return typeof value === "object" && value !== null && typeof (value as { appUrl?: unknown }).appUrl === "string" && typeof (value as { floorUrl?: unknown }).floorUrl === "string";
}

export function isDriverResult(value: unknown): value is DriverResult {
  return typeof value === "object" && value !== null && typeof (value as { p99?: unknown }).p99 === "number" && typeof (value as { target?: unknown }).target === "string";
}
