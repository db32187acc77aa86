// Answers the stand-in never gives, from a throwaway server: the client must refuse them plainly.
import { GraphError } from "../../src/graph/gdap-api";
import type { GraphGdapClient } from "../../src/graph/gdap-client";
import { sendJson, tinyServer, type TinyServer } from "../partner-center/partner-center-test-support";
import { quickGraphClient } from "./graph-test-support";

const TENANT = "0f3c6b1e-2a4d-4e8f-9b7a-1c2d3e4f5a61";
const OTHER = "8c1e5f2a-7b3d-4c9e-a1f0-2b3c4d5e6f72";

function relationship(id: string, tenantId: string, extra: Record<string, unknown> = {}) {
  return { id, displayName: id, status: "active", customer: { tenantId, displayName: "x" }, accessDetails: { unifiedRoles: [] }, "@odata.etag": 'W/"1"', ...extra };
}

let server: TinyServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function failure(answer: Parameters<typeof tinyServer>[0], run: (client: GraphGdapClient) => Promise<unknown>): Promise<GraphError> {
  server = await tinyServer(answer);
  const client = quickGraphClient(server.url.replace(/\/v1$/, "/v1.0"));
  try {
    await run(client);
  } catch (error) {
    if (error instanceof GraphError) return error;
    throw error;
  } finally {
    await client.close();
  }
  throw new Error("expected a GraphError");
}

test("a relationship of another customer in the list fails the whole read", async () => {
  const error = await failure(
    (_req, res) => sendJson(res, 200, { value: [relationship("a", TENANT), relationship("b", OTHER)] }, { "request-id": "rid-1" }),
    (client) => client.listRelationships(TENANT),
  );
  expect(error.kind).toBe("unexpected_response");
  expect(error.message).toContain(OTHER);
  expect(error.details.requestId).toBe("rid-1");
});

test("a nextLink to another host is not followed (it would carry our token there)", async () => {
  const error = await failure(
    (_req, res) => sendJson(res, 200, { value: [relationship("a", TENANT)], "@odata.nextLink": "https://graph.example.net/v1.0/tenantRelationships/delegatedAdminRelationships?$skiptoken=x" }),
    (client) => client.listRelationships(TENANT),
  );
  expect(error.kind).toBe("unexpected_response");
  expect(error.message).toMatch(/another host/);
  expect(server?.seen).toHaveLength(1);
});

test("a nextLink that points at itself does not loop", async () => {
  const error = await failure(
    (req, res) => sendJson(res, 200, { value: [relationship("a", TENANT)], "@odata.nextLink": `http://${req.headers.host}${req.url}` }),
    (client) => client.listRelationships(TENANT),
  );
  expect(error.kind).toBe("unexpected_response");
  expect(server?.seen.length).toBeLessThanOrEqual(3);
});

test("a relationship without a status, or with a date that is not one, is an unexpected response", async () => {
  const noStatus = await failure(
    (_req, res) => sendJson(res, 200, { value: [relationship("a", TENANT, { status: undefined })] }),
    (client) => client.listRelationships(TENANT),
  );
  expect(noStatus.kind).toBe("unexpected_response");
  expect(noStatus.message).toMatch(/value\.0\.status/);
  await server?.close();

  const badDate = await failure(
    (_req, res) => sendJson(res, 200, relationship("a", TENANT, { endDateTime: "soon" })),
    (client) => client.getRelationship("a"),
  );
  expect(badDate.message).toMatch(/endDateTime: not a date/);
});

test("a terminate answered with another action is not taken for a termination", async () => {
  const error = await failure(
    (_req, res) => sendJson(res, 201, { id: "q1", action: "lockForApproval", status: "created" }),
    (client) => client.terminateRelationship("a-b"),
  );
  expect(error.kind).toBe("unexpected_response");
});

test("a 403 keeps Graph's words and names the permission to check; a delete needs an etag", async () => {
  const error = await failure(
    (_req, res) => sendJson(res, 403, { error: { code: "Authorization_RequestDenied", message: "Insufficient privileges to complete the operation.", innerError: { "request-id": "rid-9", date: "2025-01-01T00:00:00" } } }),
    (client) => client.listRelationships(TENANT),
  );
  expect(error.kind).toBe("forbidden");
  expect(error.message).toContain("DelegatedAdminRelationship.ReadWrite.All");
  expect(error.details).toMatchObject({ code: "Authorization_RequestDenied", graphMessage: "Insufficient privileges to complete the operation.", requestId: "rid-9", date: "2025-01-01T00:00:00" });

  const client = quickGraphClient("http://127.0.0.1:9/v1.0");
  await expect(client.deleteRelationship({ id: "a-b", etag: null })).rejects.toMatchObject({ kind: "invalid_input" });
  await expect(client.getRelationship("../../me")).rejects.toMatchObject({ kind: "invalid_input" });
  await client.close();
});
