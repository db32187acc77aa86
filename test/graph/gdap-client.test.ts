// The Graph client against the Graph stand-in over real HTTP on a loopback port.
import { gdapOutcome, gdapRefusal, planGdapEnding } from "../../src/domain/gdap";
import { GraphError } from "../../src/graph/gdap-api";
import type { GraphGdapClient } from "../../src/graph/gdap-client";
import { StaticTokenProvider } from "../../src/partner-center/auth";
import { DEMO_TENANTS } from "../../src/stand-ins/partner-center/demo-partner";
import { demoRelationshipId } from "../../src/stand-ins/graph/gdap-demo-data";
import { createGraphStandIn, type GraphStandIn } from "../../src/stand-ins/graph/graph-stand-in";
import { quickGraphClient, serveRoutes, type ServedRoutes } from "./graph-test-support";

const FOURTH_COFFEE = DEMO_TENANTS.clean;
const HELPDESK = demoRelationshipId("Fourth Coffee helpdesk");
const DRAFT = demoRelationshipId("Fourth Coffee licences (draft)");
const SLOW = demoRelationshipId("Fabrikam operations");

let standIn: GraphStandIn;
let served: ServedRoutes;
let client: GraphGdapClient;
let baseUrl: string;

beforeAll(async () => {
  // long enough that the first read after the terminate request still finds it requested, on a loaded machine too
  standIn = createGraphStandIn({ terminationMs: 800, slowTerminationMs: 60_000 });
  served = await serveRoutes(standIn.route);
  baseUrl = `${served.origin}/graph/v1.0`;
  client = quickGraphClient(baseUrl);
});

afterAll(async () => {
  await client.close();
  await served.close();
});

beforeEach(() => standIn.reset());

async function caught(promise: Promise<unknown>): Promise<GraphError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof GraphError) return error;
    throw error;
  }
  throw new Error("expected a GraphError");
}

const terminateRequestsOn = (id: string) => (standIn.relationships().find((r) => r.id === id)?.requests ?? []).filter((q) => q.action === "terminate");

describe("listing a customer's GDAP relationships", () => {
  test("filters on the customer's tenant and follows @odata.nextLink across pages", async () => {
    standIn.configure({ pageSize: 3 });
    const relationships = await client.listRelationships(FOURTH_COFFEE);
    expect(relationships.map((r) => r.displayName)).toEqual(["Fourth Coffee helpdesk", "Fourth Coffee security", "Fourth Coffee 2023 onboarding", "Fourth Coffee licences (draft)"]);

    const gets = standIn.requests().filter((r) => r.method === "GET");
    expect(gets).toHaveLength(2);
    expect(new URLSearchParams(gets[0]?.query).get("$filter")).toBe(`customer/tenantId eq '${FOURTH_COFFEE}'`);
    expect(new URLSearchParams(gets[1]?.query).get("$skiptoken")).toEqual(expect.any(String));

    const helpdesk = relationships[0];
    expect(helpdesk).toMatchObject({ id: HELPDESK, status: "active", customerTenantId: FOURTH_COFFEE, customerName: "Fourth Coffee", duration: "P730D" });
    expect(helpdesk?.roleIds).toEqual(["729827e3-9c14-49f7-bb1b-9608f156bbb8", "fe930be7-5e62-47db-91af-98c3a49a38b1"]);
    expect(helpdesk?.endsAt?.getTime()).toBeGreaterThan(Date.now());
    expect(helpdesk?.etag).toMatch(/^W\/"/);

    const plan = planGdapEnding(relationships);
    expect(plan.toTerminate).toHaveLength(2);
    expect(plan.toDelete.map((i) => i.relationship.id)).toEqual([DRAFT]);
    expect(plan.nothingToDo.map((i) => i.relationship.status)).toEqual(["terminated"]);
  });

  test("a customer without relationships lists none; a bad tenant id never reaches Graph", async () => {
    expect(await client.listRelationships(DEMO_TENANTS.bigCustomer)).toEqual([]);
    const error = await caught(client.listRelationships("x' or 1 eq 1 or 'x"));
    expect(error.kind).toBe("invalid_input");
    expect(standIn.requests()).toHaveLength(1);
  });
});

describe("terminating", () => {
  test("a terminate request is sent once, and the read-back shows it terminated", async () => {
    const sent = await client.terminateRelationship(HELPDESK);
    expect(sent.value).toMatchObject({ action: "terminate", status: "created" });
    const post = standIn.requests().find((r) => r.method === "POST");
    expect(post).toMatchObject({ action: "terminate", clientRequestId: sent.clientRequestId, requestId: sent.requestId, status: 201 });

    const read = await client.readUntilSettled(HELPDESK);
    expect(read.value.settled).toBe(true);
    expect(read.value.reads).toBeGreaterThan(1);
    expect(read.value.relationship?.status).toBe("terminated");
    expect(gdapOutcome("terminate", { gone: false, status: read.value.relationship?.status ?? "" }).kind).toBe("ended");
    expect(terminateRequestsOn(HELPDESK)).toEqual([expect.objectContaining({ status: "succeeded" })]);
    expect(standIn.requests().filter((r) => r.method === "POST")).toHaveLength(1);
  });

  test("a termination that stays requested is read back unsettled, and is still only terminationRequested", async () => {
    await client.terminateRelationship(SLOW);
    const read = await client.readUntilSettled(SLOW, { intervalMs: 20, maxWaitMs: 200 });
    expect(read.value.settled).toBe(false);
    expect(read.value.relationship?.status).toBe("terminationRequested");
    expect(gdapOutcome("terminate", { gone: false, status: "terminationRequested" })).toMatchObject({ kind: "ended", status: "terminationRequested" });
  });

  test("a refused termination is reported with Graph's words, and can be tried again", async () => {
    standIn.refuseTermination(HELPDESK, { status: 400, code: "BadRequest", message: "Relationship is locked by an ongoing access assignment update." });
    const error = await caught(client.terminateRelationship(HELPDESK));
    expect(error.kind).toBe("refused");
    expect(error.details).toMatchObject({ status: 400, code: "BadRequest", graphMessage: "Relationship is locked by an ongoing access assignment update." });
    expect(error.details.requestId).toEqual(expect.any(String));
    expect(gdapRefusal(error.details.graphMessage ?? "").text).toBe("Graph refused to end it: Relationship is locked by an ongoing access assignment update.");
    // refused once, sent once: no blind retry of a refusal
    expect(standIn.requests().filter((r) => r.method === "POST")).toHaveLength(1);
    expect((await client.getRelationship(HELPDESK)).value.status).toBe("active");

    const again = await client.terminateRelationship(HELPDESK);
    expect(again.value.action).toBe("terminate");
    expect(terminateRequestsOn(HELPDESK)).toHaveLength(1);
  });

  test("terminating a relationship Graph does not allow to be terminated is refused by Graph", async () => {
    const error = await caught(client.terminateRelationship(DRAFT));
    expect(error.kind).toBe("refused");
    expect(error.details.graphMessage).toMatch(/'created' cannot be terminated/);
  });
});

describe("deleting a relationship still in status created", () => {
  test("needs the current etag: a wrong one gets 412, the right one deletes it and the read-back finds it gone", async () => {
    const [draft] = (await client.listRelationships(FOURTH_COFFEE)).filter((r) => r.status === "created");
    if (!draft) throw new Error("demo data has a created relationship");

    const wrong = await caught(client.deleteRelationship({ id: draft.id, etag: 'W/"stale"' }));
    expect(wrong.kind).toBe("precondition_failed");
    expect(wrong.details.status).toBe(412);
    expect(standIn.relationships(FOURTH_COFFEE).map((r) => r.id)).toContain(draft.id);

    const deleted = await client.deleteRelationship(draft);
    expect(deleted.value.alreadyGone).toBe(false);
    expect(standIn.requests().filter((r) => r.method === "DELETE").map((r) => [r.ifMatch, r.status])).toEqual([
      ['W/"stale"', 412],
      [draft.etag, 204],
    ]);
    const read = await client.readUntilSettled(draft.id);
    expect(read.value.relationship).toBeNull();
    expect(gdapOutcome("delete", { gone: true }).kind).toBe("deleted");
    // deleting again (a resumed job) finds the goal reached
    expect((await client.deleteRelationship(draft)).value.alreadyGone).toBe(true);
  });

  test("an active relationship cannot be deleted: Graph says why", async () => {
    const helpdesk = (await client.getRelationship(HELPDESK)).value;
    const error = await caught(client.deleteRelationship(helpdesk));
    expect(error.kind).toBe("refused");
    expect(error.details.graphMessage).toBe("A relationship can only be deleted if it's in the 'created' status.");
  });
});

describe("throttling and faults", () => {
  test("a 429 storm is ridden out, each wait at least what Retry-After asked", async () => {
    const storm = quickGraphClient(baseUrl, { retry: { maxAttempts: 8, maxTotalMs: 20_000, baseDelayMs: 10, maxDelayMs: 50 } });
    try {
      standIn.throttleNext(5, 0.1);
      const relationships = await storm.listRelationships(FOURTH_COFFEE);
      expect(relationships).toHaveLength(4);
      const log = standIn.requests();
      expect(log.map((r) => r.status)).toEqual([429, 429, 429, 429, 429, 200]);
      expect(new Set(log.map((r) => r.clientRequestId)).size).toBe(1);
      for (let i = 1; i < log.length; i++) expect((log[i]?.at ?? 0) - (log[i - 1]?.at ?? 0)).toBeGreaterThanOrEqual(95);
    } finally {
      await storm.close();
    }
  });

  test("a storm longer than the bound ends in a throttled error with Graph's words", async () => {
    standIn.throttleNext(10, 0.01);
    const error = await caught(client.listRelationships(FOURTH_COFFEE));
    expect(error.kind).toBe("throttled");
    expect(error.details.graphMessage).toBe("Too many requests.");
    expect(standIn.requests()).toHaveLength(4);
  });

  test("a throttled terminate is sent again (Graph did not process it) and lands once", async () => {
    standIn.throttleNext(2, 0.01);
    await client.terminateRelationship(HELPDESK);
    expect(standIn.requests().map((r) => `${r.method} ${r.status}`)).toEqual(["POST 429", "POST 429", "POST 201"]);
    expect(terminateRequestsOn(HELPDESK)).toHaveLength(1);
  });

  test("5xx answers to reads are retried", async () => {
    standIn.failNext({ status: 503 }, { status: 500 });
    expect(await client.listRelationships(FOURTH_COFFEE)).toHaveLength(4);
    expect(standIn.requests().map((r) => r.status)).toEqual([503, 500, 200]);
  });

  test("a terminate whose answer is lost after it landed is found, not sent again", async () => {
    standIn.failNext({ status: 504, method: "POST", afterApplying: true });
    const sent = await client.terminateRelationship(HELPDESK);
    expect(sent.value.action).toBe("terminate");
    expect(standIn.requests().map((r) => `${r.method} ${r.status}`)).toEqual(["POST 504", "GET 200"]);
    expect(terminateRequestsOn(HELPDESK)).toHaveLength(1);
  });

  test("a terminate that failed before landing is sent again, after looking", async () => {
    standIn.failNext({ status: 503, method: "POST" });
    await client.terminateRelationship(HELPDESK);
    expect(standIn.requests().map((r) => `${r.method} ${r.status}`)).toEqual(["POST 503", "GET 200", "POST 201"]);
    expect(terminateRequestsOn(HELPDESK)).toHaveLength(1);
  });
});

describe("failing closed", () => {
  test("an unknown status is listed as Graph said it, planned as unrecognised, and never reported ended", async () => {
    standIn.setStatus(HELPDESK, "unknownFutureValue");
    const relationships = await client.listRelationships(FOURTH_COFFEE);
    const helpdesk = relationships.find((r) => r.id === HELPDESK);
    expect(helpdesk?.status).toBe("unknownFutureValue");
    const plan = planGdapEnding(relationships);
    expect(plan.unrecognised.map((i) => i.relationship.id)).toEqual([HELPDESK]);
    expect(plan.toTerminate.map((i) => i.relationship.id)).not.toContain(HELPDESK);
    const read = await client.readUntilSettled(HELPDESK);
    expect(gdapOutcome("terminate", { gone: false, status: read.value.relationship?.status ?? "" }).kind).toBe("unrecognised");
  });

  test("without a token Graph answers 401 and the client says so", async () => {
    const anonymous = quickGraphClient(baseUrl, { tokens: new StaticTokenProvider("") });
    try {
      const error = await caught(anonymous.listRelationships(FOURTH_COFFEE));
      expect(error.kind).toBe("auth");
      expect(error.details.graphMessage).toBe("Access token is empty.");
    } finally {
      await anonymous.close();
    }
  });
});
