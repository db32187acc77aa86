// Shared helpers for the Partner Center tests: a client tuned for speed, a recording logger and
// a tiny HTTP server for answers the emulator would never give.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { StaticTokenProvider, type TokenProvider } from "../../src/partner-center/auth";
import type { Logger } from "../../src/logger";
import { PartnerCenterRestClient, type RestClientOptions } from "../../src/partner-center/rest-client";

export interface LogLine {
  level: string;
  obj: Record<string, unknown>;
  msg: string;
}

export function recordingLogger(): Logger & { lines: LogLine[] } {
  const lines: LogLine[] = [];
  const at = (level: string) => (obj: Record<string, unknown>, msg: string) => void lines.push({ level, obj, msg });
  return { lines, info: at("info"), warn: at("warn"), error: at("error"), debug: at("debug") };
}

/** What makes a client quick under test (the Partner Center and the Graph one alike): a static token, no pacing to speak of, retries in milliseconds. */
export function quickClientSettings() {
  return {
    tokens: new StaticTokenProvider("test-token"),
    rpm: 100_000,
    retry: { maxAttempts: 4, maxTotalMs: 10_000, baseDelayMs: 10, maxDelayMs: 50 },
    timeoutMs: 5_000,
  };
}

export function fastClient(baseUrl: string, overrides: Partial<RestClientOptions> & { tokens?: TokenProvider } = {}): PartnerCenterRestClient {
  return new PartnerCenterRestClient({ baseUrl, ...quickClientSettings(), maxConcurrent: 16, ...overrides });
}

export interface SeenRequest {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

export interface TinyServer {
  url: string;
  seen: SeenRequest[];
  close(): Promise<void>;
}

/** A throwaway server: `answer` decides each response. */
export async function tinyServer(answer: (req: SeenRequest, res: http.ServerResponse) => void): Promise<TinyServer> {
  const seen: SeenRequest[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const entry = { method: req.method ?? "GET", url: req.url ?? "/", headers: req.headers, body: Buffer.concat(chunks).toString("utf8") };
      seen.push(entry);
      answer(entry, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    seen,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

export function sendJson(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { "Content-Type": "application/json", ...headers });
  res.end(typeof body === "string" ? body : JSON.stringify(body));
}
