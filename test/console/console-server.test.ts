// The console's endpoints without a browser: what the page may send is checked before anything
// reaches the app, and what it sends becomes the same signed Slack requests Slack would send.
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import type { Application } from "../../src/app";
import { startLocalConsole } from "../../src/stand-ins/local-world";
import { createLogger } from "../../src/logger";

jest.setTimeout(60_000);

describe("local console endpoints", () => {
  let app: Application & { consoleUrl: string };
  let dataDir: string;

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "console-server-"));
    app = await startLocalConsole({ PORT: "0", EMULATOR_PORT: "0", DATA_DIR: dataDir, LOG_LEVEL: "silent" }, { logger: createLogger("silent") });
  });

  afterAll(async () => {
    await app.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  const post = (endpoint: string, body: unknown, headers: Record<string, string> = { "content-type": "application/json" }) =>
    fetch(`${app.url}/console/api/${endpoint}`, { method: "POST", headers, body: JSON.stringify(body) });

  it("serves the page on / of the app's port, next to the health routes", async () => {
    const page = await fetch(`${app.url}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get("content-security-policy")).toContain("default-src 'self'");
    expect(await page.text()).toContain("/console/console.js");
    expect((await fetch(`${app.url}/console/console.js`)).status).toBe(200);
    expect((await fetch(`${app.url}/healthz`)).status).toBe(200);
    expect(app.consoleUrl).toBe(`http://localhost:${app.port}/`);
  });

  it("runs the app as Slack would: the command's answer arrives through the Web API stand-in", async () => {
    expect((await (await post("command", { user: "U0OLIVIA", channel: "C0OFFBOARD", text: "/offboard help" })).json()) as unknown).toEqual({ ok: true });
    const deadline = Date.now() + 10_000;
    for (;;) {
      const state = (await (await fetch(`${app.url}/console/api/state?user=U0OLIVIA`)).json()) as { channels: Array<{ id: string; ephemerals: Array<{ text: string }> }> };
      const offboarding = state.channels.find((c) => c.id === "C0OFFBOARD");
      if (offboarding?.ephemerals.some((e) => e.text.includes("/offboard"))) break;
      if (Date.now() > deadline) throw new Error("no help message arrived");
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    // ephemerals are for their user only
    const nora = (await (await fetch(`${app.url}/console/api/state?user=U0NORA`)).json()) as { channels: Array<{ ephemerals: unknown[] }> };
    expect(nora.channels.every((c) => c.ephemerals.length === 0)).toBe(true);
  });

  it("refuses what the page should never send", async () => {
    // not JSON: a cross-site form post
    expect((await post("command", { user: "U0OLIVIA", channel: "C0OFFBOARD", text: "/offboard help" }, { "content-type": "text/plain" })).status).toBe(415);
    // someone the console does not know
    expect((await post("command", { user: "U0MALLORY", channel: "C0OFFBOARD", text: "/offboard help" })).status).toBe(400);
    // another command
    expect((await post("command", { user: "U0OLIVIA", channel: "C0OFFBOARD", text: "/remind me" })).status).toBe(400);
    // a button that is on no message: hand-made, never forwarded
    const forged = await post("action", { user: "U0NORA", surface: { kind: "home" }, actionId: "approve", value: '{"c":"00000000-0000-4000-8000-000000000000"}' });
    expect(forged.status).toBe(409);
    expect((await post("action", { user: "U0NORA", surface: { kind: "message", channel: "C0APPROVALS", ts: "1.2" }, actionId: "approve", value: "{}" })).status).toBe(404);
    // a modal nobody opened
    expect((await post("view-submission", { user: "U0ALEX", modalId: "M0", values: { reason_block: "why" } })).status).toBe(404);
    // another site's name for this address (DNS rebinding)
    // (fetch will not set Host, so a plain http request does)
    const status = await new Promise<number | undefined>((resolve, reject) => {
      http.get({ host: "127.0.0.1", port: app.port, path: "/console/api/state?user=U0NORA", headers: { host: "evil.example" } }, (res) => {
        res.resume();
        resolve(res.statusCode);
      }).on("error", reject);
    });
    expect(status).toBe(421);
  });

  it("never shows the signing secret or the bot token to the page", async () => {
    const state = await (await fetch(`${app.url}/console/api/state?user=U0ALEX`)).text();
    expect(state).not.toMatch(/xoxb-/);
  });
});
