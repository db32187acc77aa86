// What a route hands back, and Partner Center's error body: every refusal the emulator gives is
// an HttpError turned into {code, description, data, source} by `answerOf`.
import type http from "node:http";

export interface Answer {
  status: number;
  body: string;
  headers?: Record<string, string>;
}

/** One request as a route sees it: the path below the mount point, the body read as JSON. */
export interface EmulatorRequest {
  method: string;
  segments: string[];
  query: URLSearchParams;
  headers: http.IncomingHttpHeaders;
  /** keys with their first letter lower-cased: Partner Center accepts either casing */
  body: Record<string, unknown>;
}

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: number,
    readonly description: string,
  ) {
    super(description);
  }
}

export function partnerFd(code: number, description: string): string {
  return JSON.stringify({ code, description, data: [], source: "PartnerFD" });
}

export const json = (status: number, value: unknown): Answer => ({ status, body: JSON.stringify(value) });

/** Runs a route; an HttpError it throws becomes Partner Center's error answer. */
export function answerOf(run: () => Answer): Answer {
  try {
    return run();
  } catch (error) {
    if (error instanceof HttpError) return { status: error.status, body: partnerFd(error.code, error.description) };
    throw error;
  }
}

export function header(headers: http.IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}
