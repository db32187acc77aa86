// GET /metrics in Prometheus' text format: what is recorded shows up under the documented names.
import crypto from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { WebClient } from "@slack/web-api";
import { openCase } from "../src/domain";
import { Metrics } from "../src/metrics";
import { StaticTokenProvider } from "../src/partner-center/auth";
import { PartnerCenterRestClient } from "../src/partner-center/rest-client";
import { type Database, createStore } from "../src/store";
import { type Harness, startHarness } from "./support/app-harness";
import { openTestDatabase } from "./support/test-database";

const METRIC_NAMES = [
  "offboarding_slack_acks_total",
  "offboarding_slack_ack_duration_seconds",
  "offboarding_jobs",
  "offboarding_jobs_finished_total",
  "offboarding_partner_center_calls_total",
  "offboarding_partner_center_call_duration_seconds",
  "offboarding_partner_center_throttled_total",
  "offboarding_slack_api_errors_total",
];

/** Every line is a comment (# HELP / # TYPE) or `name{labels} value`, as Prometheus reads them. */
function expectExpositionFormat(text: string): void {
  const sample = /^[a-zA-Z_:][a-zA-Z0-9_:]*(\{([a-zA-Z_][a-zA-Z0-9_]*="([^"\\\n]|\\.)*",?)*\})? -?([0-9.e+-]+|NaN|\+Inf|-Inf)$/;
  const bad = text
    .split("\n")
    .filter((line) => line !== "" && !line.startsWith("# HELP ") && !line.startsWith("# TYPE "))
    .filter((line) => !sample.test(line));
  expect(bad).toEqual([]);
}

/** The value of one sample, by its exact name and labels as printed. */
function sampleValue(text: string, series: string): number | undefined {
  const line = text.split("\n").find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe("metrics", () => {
  test("acks and Partner Center calls are counted, timed, and 429s counted apart", async () => {
    const m = new Metrics();
    m.ack("block_action", 12);
    m.ack("block_action", 400);
    m.ack("command", 3);
    m.partnerCenterCall("get customer", 200, 40);
    m.partnerCenterCall("get customer", 429, 5);
    m.partnerCenterCall("remove reseller relationship", "unreachable", 10_000);
    const text = await m.registry.metrics();
    expectExpositionFormat(text);
    expect(sampleValue(text, 'offboarding_slack_acks_total{kind="block_action"}')).toBe(2);
    expect(sampleValue(text, 'offboarding_slack_ack_duration_seconds_bucket{le="0.025",kind="block_action"}')).toBe(1);
    expect(sampleValue(text, 'offboarding_slack_ack_duration_seconds_bucket{le="0.5",kind="block_action"}')).toBe(2);
    expect(sampleValue(text, 'offboarding_slack_acks_total{kind="command"}')).toBe(1);
    expect(sampleValue(text, 'offboarding_partner_center_calls_total{operation="get customer",status="200"}')).toBe(1);
    expect(sampleValue(text, 'offboarding_partner_center_calls_total{operation="get customer",status="429"}')).toBe(1);
    expect(sampleValue(text, 'offboarding_partner_center_calls_total{operation="remove reseller relationship",status="unreachable"}')).toBe(1);
    expect(sampleValue(text, 'offboarding_partner_center_throttled_total{operation="get customer"}')).toBe(1);
    expect(sampleValue(text, 'offboarding_partner_center_call_duration_seconds_count{operation="get customer"}')).toBe(2);
  });

  test("Slack Web API errors are counted by method and Slack's error code, through the client's fetch", async () => {
    const server = http.createServer((req, res) => {
      const method = (req.url ?? "").split("/").pop();
      if (method === "users.info") return void res.writeHead(500).end("boom");
      const body = method === "chat.postMessage" ? { ok: false, error: "channel_not_found" } : { ok: true };
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(body));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const m = new Metrics();
      const client = new WebClient("xoxb-test", { slackApiUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/`, retryConfig: { retries: 0 }, fetch: m.slackFetch() });
      await expect(client.chat.postMessage({ channel: "C404", text: "hello" })).rejects.toThrow(/channel_not_found/);
      await expect(client.users.info({ user: "U1" })).rejects.toThrow();
      await expect(client.auth.test()).resolves.toMatchObject({ ok: true });
      const text = await m.registry.metrics();
      expectExpositionFormat(text);
      expect(sampleValue(text, 'offboarding_slack_api_errors_total{method="chat.postMessage",error="channel_not_found"}')).toBe(1);
      expect(sampleValue(text, 'offboarding_slack_api_errors_total{method="users.info",error="http_500"}')).toBe(1);
      expect(text).not.toContain('method="auth.test"');
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  describe("job gauges", () => {
    let db: Database;
    beforeAll(async () => {
      db = await openTestDatabase();
    });
    afterAll(async () => db.close());

    test("read from the database at each scrape; a failed read leaves no numbers and is counted", async () => {
      const store = createStore(db);
      const m = new Metrics();
      const stop = m.watchJobs(() => store.jobs.countByState());
      const before = await m.registry.metrics();
      expect(sampleValue(before, 'offboarding_jobs{kind="suspend_all",state="queued"}')).toBe(0);
      expect(sampleValue(before, 'offboarding_jobs{kind="suspend_all",state="dead"}')).toBe(0);

      const c = await store.cases.create(openCase({ id: crypto.randomUUID(), tenantId: crypto.randomUUID(), companyName: "Contoso", domain: "contoso.example", openedBy: "U1", now: new Date() }));
      await store.jobs.create({ caseId: c.id, requestedBy: "U1", items: [{ subscriptionId: "s1", label: "Office", action: "suspend" }] });
      const after = await m.registry.metrics();
      expectExpositionFormat(after);
      expect(sampleValue(after, 'offboarding_jobs{kind="suspend_all",state="queued"}')).toBe(1);
      expect(sampleValue(after, 'offboarding_jobs{kind="suspend_all",state="running"}')).toBe(0);

      stop();
      m.watchJobs(() => Promise.reject(new Error("database gone")));
      const failed = await m.registry.metrics();
      expect(failed).not.toMatch(/^offboarding_jobs\{/m);
      // counters are read while the gauge still waits for the database: the failure shows from the next scrape
      expect(sampleValue(await m.registry.metrics(), "offboarding_metrics_collect_errors_total")).toBe(1);
    });
  });

  describe("on the app's port", () => {
    let h: Harness;
    beforeAll(async () => {
      h = await startHarness();
    });
    afterAll(async () => h.close());

    test("GET /metrics answers in Prometheus' format with every metric named", async () => {
      const response = await fetch(`${h.app.url}/metrics`);
      expect(response.status).toBe(200);
      expect(response.headers.get("content-type")).toMatch(/^text\/plain; version=0\.0\.4/);
      const text = await response.text();
      expectExpositionFormat(text);
      for (const name of METRIC_NAMES) expect(text).toContain(`# TYPE ${name} `);
      // the app's own database answers the job gauges
      expect(sampleValue(text, 'offboarding_jobs{kind="suspend_all",state="queued"}')).toBe(0);
      // and the process' own figures come along
      expect(text).toContain("# TYPE offboarding_process_resident_memory_bytes gauge");
    });

    test("the app's Partner Center calls are counted by operation and status, a 429 as throttled", async () => {
      const scrape = async () => (await fetch(`${h.app.url}/metrics`)).text();
      const calls = (text: string, status: string) => sampleValue(text, `offboarding_partner_center_calls_total{operation="list customers",status="${status}"}`) ?? 0;
      const throttled = (text: string) => sampleValue(text, 'offboarding_partner_center_throttled_total{operation="list customers"}') ?? 0;
      const before = await scrape();
      // Partner Center throttles the first try; the client waits Retry-After and tries again
      h.emulator.configure({ failNext: [{ status: 429, retryAfterSeconds: 0, route: "GET /customers" }] });
      await h.app.partnerCenter.api.ping();
      const after = await scrape();
      expectExpositionFormat(after);
      expect(calls(after, "429") - calls(before, "429")).toBe(1);
      expect(calls(after, "200") - calls(before, "200")).toBe(1);
      expect(throttled(after) - throttled(before)).toBe(1);
      expect(sampleValue(after, 'offboarding_partner_center_call_duration_seconds_count{operation="list customers"}')).toBeGreaterThanOrEqual(2);
    });
  });

  test("a Partner Center that cannot be reached is counted as unreachable, each attempt", async () => {
    // a port that was free a moment ago: nothing answers there
    const probe = http.createServer();
    await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
    const port = (probe.address() as AddressInfo).port;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    const m = new Metrics();
    const client = new PartnerCenterRestClient({ baseUrl: `http://127.0.0.1:${port}/v1`, tokens: new StaticTokenProvider("t"), metrics: m, retry: { maxAttempts: 2, baseDelayMs: 1 } });
    try {
      await expect(client.ping()).rejects.toThrow(/could not be reached/);
    } finally {
      client.close();
    }
    const text = await m.registry.metrics();
    expect(sampleValue(text, 'offboarding_partner_center_calls_total{operation="list customers",status="unreachable"}')).toBe(2);
    expect(text).not.toContain('status="200"');
  });
});
