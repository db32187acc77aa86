// The Graph stand-in on its own, over HTTP: Graph's shapes, its rules, and a route module that
// leaves other paths to the server's other routes.
import { DEMO_PARTNER_ID, DEMO_TENANTS } from "../../src/stand-ins/partner-center/demo-partner";
import { demoRelationshipId } from "../../src/stand-ins/graph/gdap-demo-data";
import { createGraphStandIn, type GraphStandIn } from "../../src/stand-ins/graph/graph-stand-in";
import { serveRoutes, type ServedRoutes } from "../graph/graph-test-support";

let clock = Date.parse("2025-06-01T12:00:00Z");
let standIn: GraphStandIn;
let served: ServedRoutes;
const COLLECTION = "/graph/v1.0/tenantRelationships/delegatedAdminRelationships";

beforeAll(async () => {
  standIn = createGraphStandIn({ now: () => clock, terminationMs: 5_000, slowTerminationMs: 600_000 });
  served = await serveRoutes(standIn.route, (_req, res) => {
    res.writeHead(418).end();
    return true;
  });
});
afterAll(() => served.close());
beforeEach(() => standIn.reset());

async function call(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(`${served.origin}${path}`, {
    method,
    headers: { Authorization: "Bearer t", "client-request-id": "cid-1", ...(body === undefined ? {} : { "Content-Type": "application/json" }), ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, json: text ? (JSON.parse(text) as Record<string, unknown>) : undefined };
}

test("lists every demo relationship of the partner in Graph's collection shape", async () => {
  const { status, json, headers } = await call("GET", COLLECTION);
  expect(status).toBe(200);
  expect(headers.get("request-id")).toMatch(/^[0-9a-f-]{36}$/);
  expect(headers.get("client-request-id")).toBe("cid-1");
  const value = json?.value as Array<Record<string, unknown>>;
  expect(value.length).toBe(11);
  expect(new Set(value.map((r) => r.status))).toEqual(new Set(["active", "approvalPending", "terminated", "created", "expired", "expiring"]));
  const first = value[0];
  expect(first).toMatchObject({ "@odata.etag": expect.stringMatching(/^W\//), partner: { tenantId: DEMO_PARTNER_ID }, customer: { tenantId: DEMO_TENANTS.clean } });
  expect(first?.accessDetails).toEqual({ unifiedRoles: [{ roleDefinitionId: expect.any(String) }, { roleDefinitionId: expect.any(String) }] });
});

test("refuses filters it does not understand, and requests without a token, in Graph's error shape", async () => {
  const bad = await call("GET", `${COLLECTION}?$filter=${encodeURIComponent("status eq 'active'")}`);
  expect(bad.status).toBe(400);
  expect(bad.json).toMatchObject({ error: { code: "BadRequest", message: expect.stringMatching(/Invalid filter clause/), innerError: { "request-id": expect.any(String), "client-request-id": "cid-1" } } });
  const anonymous = await call("GET", COLLECTION, undefined, { Authorization: "" });
  expect(anonymous.status).toBe(401);
});

test("leaves other paths to the server's next route", async () => {
  expect((await call("GET", "/v1/customers")).status).toBe(418);
  expect((await call("GET", "/graph/v1.0/me")).status).toBe(418);
  expect(standIn.requests()).toHaveLength(0);
});

test("a termination stays requested for its time, then shows terminated with its request succeeded", async () => {
  const id = demoRelationshipId("Fourth Coffee security");
  const made = await call("POST", `${COLLECTION}/${id}/requests`, { action: "terminate" });
  expect(made.status).toBe(201);
  expect(made.headers.get("location")).toBe(`${served.origin}${COLLECTION}/${id}/requests/${String(made.json?.id)}`);
  expect((await call("GET", `${COLLECTION}/${id}`)).json?.status).toBe("terminationRequested");
  expect((await call("POST", `${COLLECTION}/${id}/requests`, { action: "terminate" })).status).toBe(400);

  clock += 5_000;
  const after = await call("GET", `${COLLECTION}/${id}`);
  expect(after.json).toMatchObject({ status: "terminated", endDateTime: new Date(clock).toISOString() });
  const request = await call("GET", `${COLLECTION}/${id}/requests/${String(made.json?.id)}`);
  expect(request.json).toMatchObject({ action: "terminate", status: "succeeded" });

  // the slow one is still requested long after
  const slow = demoRelationshipId("Fabrikam operations");
  await call("POST", `${COLLECTION}/${slow}/requests`, { action: "terminate" });
  clock += 300_000;
  expect((await call("GET", `${COLLECTION}/${slow}`)).json?.status).toBe("terminationRequested");
  clock += 300_000;
  expect((await call("GET", `${COLLECTION}/${slow}`)).json?.status).toBe("terminated");
});

test("a created relationship can be locked for approval; an approval-pending one can be terminated", async () => {
  const draft = demoRelationshipId("Fourth Coffee licences (draft)");
  expect((await call("POST", `${COLLECTION}/${draft}/requests`, { action: "lockForApproval" })).status).toBe(201);
  expect((await call("GET", `${COLLECTION}/${draft}`)).json?.status).toBe("approvalPending");
  expect((await call("POST", `${COLLECTION}/${draft}/requests`, { action: "terminate" })).status).toBe(201);
  expect((await call("POST", `${COLLECTION}/${draft}/requests`, {})).status).toBe(400);
});

test("answers without HTTP too, for a server that reads the request itself (segments below the version root)", async () => {
  standIn.configure({ pageSize: 1 });
  const headers = { authorization: "Bearer t", host: "127.0.0.1:4010" };
  const query = new URLSearchParams({ $filter: `customer/tenantId eq '${DEMO_TENANTS.legacyOnly}'` });
  const page = await standIn.answer({ method: "GET", segments: ["tenantRelationships", "delegatedAdminRelationships"], query, headers, body: {} });
  expect(page.status).toBe(200);
  expect(page.headers["Content-Type"]).toMatch(/^application\/json/);
  const json = JSON.parse(page.body) as { value: unknown[]; "@odata.nextLink": string };
  expect(json.value).toHaveLength(1);
  expect(json["@odata.nextLink"]).toMatch(/^http:\/\/127\.0\.0\.1:4010\/graph\/v1\.0\/tenantRelationships\/delegatedAdminRelationships\?/);

  const elsewhere = await standIn.answer({ method: "GET", segments: ["me"], query: new URLSearchParams(), headers, body: {} });
  expect(elsewhere.status).toBe(400);
  expect(JSON.parse(elsewhere.body)).toMatchObject({ error: { message: "Resource not found for the segment 'me'." } });
  expect(standIn.requests().map((r) => `${r.path} ${r.status}`)).toEqual(["/graph/v1.0/tenantRelationships/delegatedAdminRelationships 200", "/graph/v1.0/me 400"]);
});

test("a body that is not JSON is refused in Graph's words", async () => {
  const response = await fetch(`${served.origin}${COLLECTION}/${demoRelationshipId("Contoso admin")}/requests`, { method: "POST", headers: { Authorization: "Bearer t", "Content-Type": "application/json" }, body: "{not json" });
  expect(response.status).toBe(400);
  expect(await response.json()).toMatchObject({ error: { code: "BadRequest", message: "Unable to read JSON request payload." } });
});
