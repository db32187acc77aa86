// Microsoft Graph v1.0 tenantRelationships/delegatedAdminRelationships for offboarding: list a
// customer's GDAP relationships, terminate one, delete one still in status created, and read one
// back until its status settles.
import { randomUUID } from "node:crypto";
import type { z } from "zod";
import { isSettledGdapStatus, type GdapRelationship } from "../domain/gdap";
import { RetryPolicy, sleep } from "../partner-center/retry-policy";
import { GraphError, type GdapApi, type GdapRead, type GdapRequest, type GraphCallOptions, type GraphTraced } from "./gdap-api";
import { collectionSchema, relationshipSchema, requestSchema, toRelationship, toRequest } from "./gdap-schemas";
import { GraphHttp, type GraphHttpOptions } from "./graph-http";

export interface GdapClientOptions extends GraphHttpOptions {
  /** how readUntilSettled polls (default every 2 s for at most 60 s) */
  poll?: { intervalMs?: number; maxWaitMs?: number };
  /** pages of one listing followed before giving up (default 100) */
  maxPages?: number;
  /** POSTs sent for one terminate when answers are lost (default 3) */
  maxTerminateSends?: number;
}

const RELATIONSHIPS = "/tenantRelationships/delegatedAdminRelationships";
const relationshipPage = collectionSchema(relationshipSchema);
const requestPage = collectionSchema(requestSchema);
const TENANT_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
// Graph's relationship ids are "<guid>-<guid>"; anything else never reaches a URL
const RELATIONSHIP_ID = /^[0-9a-z-]{1,128}$/i;

export class GraphGdapClient implements GdapApi {
  private readonly http: GraphHttp;
  private readonly retry: RetryPolicy;
  private readonly poll: { intervalMs: number; maxWaitMs: number };
  private readonly maxPages: number;
  private readonly maxTerminateSends: number;

  constructor(options: GdapClientOptions) {
    this.http = new GraphHttp(options);
    this.retry = new RetryPolicy(options.retry, options.random);
    this.poll = { intervalMs: options.poll?.intervalMs ?? 2_000, maxWaitMs: options.poll?.maxWaitMs ?? 60_000 };
    this.maxPages = options.maxPages ?? 100;
    this.maxTerminateSends = options.maxTerminateSends ?? 3;
  }

  async close(): Promise<void> {
    this.http.close();
  }

  async listRelationships(customerTenantId: string): Promise<GdapRelationship[]> {
    if (!TENANT_ID.test(customerTenantId)) throw new GraphError("invalid_input", `not a tenant id: ${JSON.stringify(customerTenantId.slice(0, 60))}`);
    const tenant = customerTenantId.toLowerCase();
    const context = { operation: "list GDAP relationships", customerTenantId: tenant };
    const filter = encodeURIComponent(`customer/tenantId eq '${tenant}'`);
    const relationships = new Map<string, GdapRelationship>();
    const followed = new Set<string>();
    let path: string | null = `${RELATIONSHIPS}?$filter=${filter}`;
    while (path) {
      if (followed.size >= this.maxPages || followed.has(path)) {
        throw new GraphError("unexpected_response", `Microsoft Graph's paging of ${context.operation} for ${tenant} did not end after ${followed.size} pages`);
      }
      followed.add(path);
      const page: GraphTraced<z.infer<typeof relationshipPage>> = await this.http.json({ method: "GET", path, context, idempotent: true }, relationshipPage);
      for (const raw of page.value.value) {
        const relationship = toRelationship(raw);
        // fail closed: acting on a list that holds another customer's relationship could end the wrong one
        if (relationship.customerTenantId.toLowerCase() !== tenant) {
          throw new GraphError("unexpected_response", `Microsoft Graph listed relationship ${relationship.id} of another customer (${relationship.customerTenantId || "none"}) for ${tenant}`, {
            clientRequestId: page.clientRequestId,
            requestId: page.requestId ?? undefined,
          });
        }
        relationships.set(relationship.id, relationship);
      }
      path = page.value["@odata.nextLink"] ?? null;
    }
    return [...relationships.values()];
  }

  async getRelationship(relationshipId: string, options?: GraphCallOptions): Promise<GraphTraced<GdapRelationship>> {
    const result = await this.http.json(
      { method: "GET", path: relationshipPath(relationshipId), context: { operation: "read GDAP relationship", relationshipId }, clientRequestId: options?.clientRequestId, idempotent: true },
      relationshipSchema,
    );
    return { ...result, value: toRelationship(result.value) };
  }

  async listRequests(relationshipId: string): Promise<GdapRequest[]> {
    const context = { operation: "list GDAP relationship requests", relationshipId };
    const requests: GdapRequest[] = [];
    let path: string | null = `${relationshipPath(relationshipId)}/requests`;
    for (let pages = 0; path; pages++) {
      if (pages >= this.maxPages) throw new GraphError("unexpected_response", `Microsoft Graph's paging of ${context.operation} did not end`);
      const page: GraphTraced<z.infer<typeof requestPage>> = await this.http.json({ method: "GET", path, context, idempotent: true }, requestPage);
      requests.push(...page.value.value.map(toRequest));
      path = page.value["@odata.nextLink"] ?? null;
    }
    return requests;
  }

  async terminateRelationship(relationshipId: string, options?: GraphCallOptions): Promise<GraphTraced<GdapRequest>> {
    const path = `${relationshipPath(relationshipId)}/requests`;
    const clientRequestId = options?.clientRequestId ?? randomUUID();
    const context = { operation: "terminate GDAP relationship", relationshipId };
    for (let send = 1; ; send++) {
      try {
        const result = await this.http.json({ method: "POST", path, body: { action: "terminate" }, context, clientRequestId, idempotent: false }, requestSchema);
        const request = toRequest(result.value);
        if (request.action.toLowerCase() !== "terminate") {
          throw new GraphError("unexpected_response", `Microsoft Graph answered a terminate request with action ${JSON.stringify(request.action)}`, { clientRequestId, requestId: result.requestId ?? undefined });
        }
        return { ...result, value: request };
      } catch (error) {
        // a 5xx or a lost answer may hide a terminate that landed: look before sending another
        if (!(error instanceof GraphError) || !error.details.ambiguous || send >= this.maxTerminateSends) throw error;
        const landed = await this.findTerminateRequest(relationshipId);
        if (landed) return { value: landed, clientRequestId, requestId: error.details.requestId ?? null };
        await sleep(this.retry.backoff(send, null));
      }
    }
  }

  async deleteRelationship(relationship: Pick<GdapRelationship, "id" | "etag">, options?: GraphCallOptions): Promise<GraphTraced<{ alreadyGone: boolean }>> {
    if (!relationship.etag) throw new GraphError("invalid_input", `GDAP relationship ${relationship.id} has no etag: read it again before deleting`);
    const clientRequestId = options?.clientRequestId ?? randomUUID();
    try {
      const trace = await this.http.empty({
        method: "DELETE",
        path: relationshipPath(relationship.id),
        headers: { "If-Match": relationship.etag },
        context: { operation: "delete GDAP relationship", relationshipId: relationship.id },
        clientRequestId,
        idempotent: true,
      });
      return { ...trace, value: { alreadyGone: false } };
    } catch (error) {
      // a repeated delete (after a lost answer, or a resumed job) finds it gone: the goal holds
      if (error instanceof GraphError && error.kind === "not_found") return { value: { alreadyGone: true }, clientRequestId, requestId: error.details.requestId ?? null };
      throw error;
    }
  }

  async readUntilSettled(relationshipId: string, options: { intervalMs?: number; maxWaitMs?: number } = {}): Promise<GraphTraced<GdapRead>> {
    const intervalMs = options.intervalMs ?? this.poll.intervalMs;
    const maxWaitMs = options.maxWaitMs ?? this.poll.maxWaitMs;
    const started = Date.now();
    for (let reads = 1; ; reads++) {
      let read: GraphTraced<GdapRelationship>;
      try {
        read = await this.getRelationship(relationshipId);
      } catch (error) {
        if (error instanceof GraphError && error.kind === "not_found") {
          return { value: { relationship: null, settled: true, reads }, clientRequestId: error.details.clientRequestId ?? "", requestId: error.details.requestId ?? null };
        }
        throw error;
      }
      const settled = isSettledGdapStatus(read.value.status);
      if (settled || Date.now() - started + intervalMs > maxWaitMs) return { ...read, value: { relationship: read.value, settled, reads } };
      await sleep(intervalMs);
    }
  }

  async ping(): Promise<void> {
    await this.http.json({ method: "GET", path: `${RELATIONSHIPS}?$top=1`, context: { operation: "list GDAP relationships" }, idempotent: true }, relationshipPage);
  }

  private async findTerminateRequest(relationshipId: string): Promise<GdapRequest | undefined> {
    const requests = await this.listRequests(relationshipId);
    return requests.find((r) => r.action.toLowerCase() === "terminate" && r.status !== "failed");
  }
}

function relationshipPath(relationshipId: string): string {
  if (!RELATIONSHIP_ID.test(relationshipId)) throw new GraphError("invalid_input", `not a GDAP relationship id: ${JSON.stringify(relationshipId.slice(0, 60))}`);
  return `${RELATIONSHIPS}/${encodeURIComponent(relationshipId)}`;
}
