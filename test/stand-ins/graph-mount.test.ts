// The local Partner Center serves the Graph stand-in on the same port under /graph/v1.0, and the
// app reaches it (or the Graph GRAPH_URL names, or none) through connectGraph.
import { connectGraph } from "../../src/graph/connect-graph";
import { DEMO_TENANTS } from "../../src/stand-ins/partner-center/demo-partner";
import { startLocalPartnerCenter } from "../../src/stand-ins/partner-center";
import type { LocalPartnerCenter } from "../../src/partner-center/connect-partner-center";

let local: LocalPartnerCenter;

beforeAll(async () => {
  local = await startLocalPartnerCenter({ port: 0, dataDir: undefined });
});
afterAll(async () => local.close());

const NO_PARTNER_CENTER = { GRAPH_URL: undefined, GRAPH_DISABLED: false, PARTNER_CENTER_URL: undefined };

test("the emulator's server answers Partner Center under /v1 and Graph under /graph/v1.0", async () => {
  const origin = new URL(local.url).origin;
  expect(local.graphUrl).toBe(`${origin}/graph/v1.0`);
  const listed = await fetch(`${origin}/graph/v1.0/tenantRelationships/delegatedAdminRelationships`, { headers: { Authorization: "Bearer any" } });
  expect(listed.status).toBe(200);
  expect(listed.headers.get("request-id")).toMatch(/^[0-9a-f-]{36}$/);
  const body = (await listed.json()) as { value: Array<{ status: string; customer: { tenantId: string } }> };
  expect(body.value.length).toBeGreaterThanOrEqual(10);
  expect(body.value.map((r) => r.status)).toEqual(expect.arrayContaining(["active", "approvalPending", "terminated", "expiring"]));
  // Graph's rules hold there too: no token, no answer
  expect((await fetch(`${origin}/graph/v1.0/tenantRelationships/delegatedAdminRelationships`)).status).toBe(401);
  expect((await fetch(`${local.url}/customers`, { headers: { Authorization: "Bearer any" } })).status).toBe(200);
});

test("with no GRAPH_URL and no PARTNER_CENTER_URL the app reads GDAP relationships from the local stand-in", async () => {
  const graph = connectGraph(NO_PARTNER_CENTER, { localGraphUrl: local.graphUrl });
  try {
    expect(graph.description).toBe(local.graphUrl);
    const relationships = (await graph.api?.listRelationships(DEMO_TENANTS.clean)) ?? [];
    expect(relationships.map((r) => r.status).sort()).toEqual(["active", "active", "created", "terminated"]);
  } finally {
    await graph.close();
  }
});

test("GRAPH_DISABLED leaves GDAP alone; a Graph URL without credentials stops the start with what to set", () => {
  expect(connectGraph({ ...NO_PARTNER_CENTER, GRAPH_DISABLED: true }, { localGraphUrl: local.graphUrl }).api).toBeNull();
  expect(() => connectGraph({ ...NO_PARTNER_CENTER, GRAPH_URL: "https://graph.microsoft.com/v1.0" })).toThrow(/AZURE_TENANT_ID, AZURE_CLIENT_ID and AZURE_CLIENT_SECRET or set GRAPH_DISABLED=true/);
  // a real Partner Center never falls back to the stand-in
  expect(() => connectGraph({ ...NO_PARTNER_CENTER, PARTNER_CENTER_URL: "https://api.partnercenter.microsoft.com/v1" }, { localGraphUrl: local.graphUrl })).toThrow(/GRAPH_URL/);
  const real = connectGraph({ ...NO_PARTNER_CENTER, GRAPH_URL: "https://graph.microsoft.com/v1.0", AZURE_TENANT_ID: "t", AZURE_CLIENT_ID: "c", AZURE_CLIENT_SECRET: "s" });
  expect(real.api).not.toBeNull();
  expect(real.description).toBe("https://graph.microsoft.com/v1.0");
});
