// The console server's HTTP plumbing: the page's files and their headers, JSON bodies read with a
// size limit, and refusals as a status with a plain message.
import fs from "node:fs";
import type http from "node:http";
import path from "node:path";
import type { z } from "zod";
import { projectRoot } from "../../project-root";

const MAX_BODY_BYTES = 64 * 1024;

/** The page ships as files next to this module's source, found the same way from src/ and dist/. */
export function consolePageDir(): string {
  return path.join(projectRoot(), "src", "stand-ins", "console", "page");
}

const CONTENT_TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
};

/** URL path → file in the page folder: index.html on /, each script module and style sheet under /console/. */
export function pageAssets(pageDir: string): Map<string, { file: string; type: string }> {
  const assets = new Map([["/", { file: "index.html", type: CONTENT_TYPES[".html"] ?? "text/html" }]]);
  for (const file of fs.readdirSync(pageDir)) {
    const type = CONTENT_TYPES[path.extname(file)];
    if (type && file !== "index.html") assets.set(`/console/${file}`, { file, type });
  }
  return assets;
}

// the page loads nothing from elsewhere and runs no inline script
export const SECURITY_HEADERS = {
  "content-security-policy": "default-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  "x-content-type-options": "nosniff",
  "cache-control": "no-store",
};

export class BadRequest extends Error {
  constructor(
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

export function parse<T>(schema: z.ZodType<T>, value: unknown, what = "request"): T {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw new BadRequest(`invalid ${what}: ${issue?.path.join(".") || "body"}: ${issue?.message ?? "invalid"}`);
}

export function safeJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}

export async function readJson(req: http.IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new BadRequest("request too large", 413);
    chunks.push(chunk as Buffer);
  }
  const parsed = safeJson(Buffer.concat(chunks).toString("utf8"));
  if (parsed === null) throw new BadRequest("the body is not JSON");
  return parsed;
}

export function sendJson(res: http.ServerResponse, status: number, body: unknown): void {
  if (res.headersSent) return;
  res.writeHead(status, { "content-type": "application/json", ...SECURITY_HEADERS }).end(JSON.stringify(body));
}
