// Reading what the app sends the Web API stand-in (JSON or form bodies, blocks and views sent
// as JSON text) and answering as Slack does: HTTP 200 with { ok: false, error } on refusal.
import type http from "node:http";

export type Answer = { ok: true; [key: string]: unknown } | { ok: false; error: string; [key: string]: unknown };

export function refuse(error: string, more: Record<string, unknown> = {}): Answer {
  return { ok: false, error, ...more };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** Blocks as sent (an array, or JSON text of one); `fallback` for what is neither. */
export function asBlocks(value: unknown): unknown[];
export function asBlocks(value: unknown, fallback: null): unknown[] | null;
export function asBlocks(value: unknown, fallback: unknown[] | null = []): unknown[] | null {
  const parsed = typeof value === "string" ? parseJson(value) : value;
  return Array.isArray(parsed) ? parsed : fallback;
}

export function asView(value: unknown): Record<string, unknown> {
  const parsed = typeof value === "string" ? parseJson(value) : value;
  return parsed && typeof parsed === "object" && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : {};
}

export async function readBody(req: http.IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const raw = Buffer.concat(chunks).toString("utf8");
  if (!raw) return {};
  if ((req.headers["content-type"] ?? "").includes("application/json")) {
    const parsed = parseJson(raw);
    return parsed && typeof parsed === "object" ? (parsed as Record<string, unknown>) : {};
  }
  return Object.fromEntries(new URLSearchParams(raw));
}
