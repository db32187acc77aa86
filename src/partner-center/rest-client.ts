// The Partner Center client: the calls the app makes, in domain terms, over the transport
// (retries, pacing, MS-RequestId, zod at the edge). Which calls need App+User is decided here.
import { randomUUID } from "node:crypto";
import { z } from "zod";
import { type AzureSubscription, type Customer, type SoftwarePurchase, type SubscriptionChange, changeApplied } from "../domain";
import { readEntitlements } from "./entitlement-reader";
import { PartnerCenterTransport, type TransportOptions } from "./http-transport";
import { nextPage, readAllItems } from "./paged-reads";
import {
  type CallOptions,
  type CustomerPage,
  type EntitlementHoldings,
  type PartnerCenterApi,
  PartnerCenterError,
  type SubscriptionRecord,
  type SubscriptionRef,
  type SubscriptionUpdate,
  type Traced,
} from "./partner-center-api";
import { deriveRequestId } from "./request-ids";
import { toAzureSubscription, toCustomer, toRequestLink, toSoftwarePurchase, toSubscriptionRecord } from "./response-mapping";
import { azureEntitlementSchema, collectionSchema, customerSchema, orderSchema, relationshipRequestSchema, removalSchema } from "./response-schemas";

export type { RetryOptions } from "./http-transport";
export { parseRetryAfter } from "./http-transport";
export type RestClientOptions = TransportOptions;

function operationOf(change: SubscriptionChange): string {
  if (!("status" in change)) return "turn off auto-renew";
  return change.status === "suspended" ? "suspend subscription" : change.status === "deleted" ? "cancel subscription" : "reactivate subscription";
}

export class PartnerCenterRestClient implements PartnerCenterApi {
  private readonly transport: PartnerCenterTransport;

  constructor(settings: RestClientOptions) {
    this.transport = new PartnerCenterTransport(settings);
  }

  /** stops the pacer's timer; pending calls are dropped and later ones fail at once */
  async close(): Promise<void> {
    this.transport.close();
  }

  async listCustomers(options: { pageSize?: number; continuation?: CustomerPage["continuation"] } = {}): Promise<CustomerPage> {
    const continuation = options.continuation;
    const result = await this.transport.send({
      method: "GET",
      path: continuation ? continuation.uri : `/customers?size=${options.pageSize ?? 100}`,
      headers: continuation?.headers,
      auth: "app",
      schema: collectionSchema(customerSchema),
      context: { operation: "list customers" },
    });
    const next = result.value.links?.next;
    return {
      customers: result.value.items.map(toCustomer),
      continuation: next ? { uri: next.uri, headers: nextPage(next).headers } : undefined,
    };
  }

  async getCustomer(tenantId: string): Promise<Customer> {
    const result = await this.transport.send({ method: "GET", path: customerPath(tenantId), auth: "app", schema: customerSchema, context: { operation: "get customer", tenantId } });
    return toCustomer(result.value);
  }

  async listSubscriptions(tenantId: string): Promise<SubscriptionRecord[]> {
    const items = await readAllItems(this.transport, { path: `${customerPath(tenantId)}/subscriptions`, auth: "app", context: { operation: "list subscriptions", tenantId } });
    return items.map(toSubscriptionRecord);
  }

  async getSubscription(tenantId: string, subscriptionId: string): Promise<SubscriptionRecord> {
    const result = await this.transport.send({
      method: "GET",
      path: `${customerPath(tenantId)}/subscriptions/${enc(subscriptionId)}`,
      auth: "app",
      schema: z.unknown(),
      context: { operation: "get subscription", tenantId, subscriptionId },
    });
    return toSubscriptionRecord(result.value, 0);
  }

  async updateSubscription(tenantId: string, subscription: SubscriptionRef, change: SubscriptionChange, options: CallOptions = {}): Promise<SubscriptionUpdate> {
    const given = subscription.resource ? toSubscriptionRecord(subscription.resource, 0) : null;
    // read unless given, and again when what was given has no etag to send (an earlier change's answer): the change goes with If-Match
    let current = given && (given.etag || subscription.etag) ? given : await this.getSubscription(tenantId, subscription.id);
    const requestId = options.requestId ?? randomUUID();
    for (let attempt = 1; ; attempt++) {
      if (changeApplied(current, change)) return { value: current, requestId: null, correlationId: null, alreadyApplied: true };
      const etag = current.etag ?? subscription.etag;
      try {
        const result = await this.transport.send({
          method: "PATCH",
          path: `${customerPath(tenantId)}/subscriptions/${enc(subscription.id)}`,
          auth: "app",
          headers: etag ? { "If-Match": etag } : undefined,
          // the full resource as read, with the one field changed
          body: { ...current.resource, ...change },
          schema: z.unknown(),
          context: { operation: operationOf(change), tenantId, subscriptionId: subscription.id },
          options: { requestId: attempt === 1 ? requestId : deriveRequestId(requestId, "after-412"), correlationId: options.correlationId },
        });
        return { value: toSubscriptionRecord(result.value, 0), requestId: result.requestId, correlationId: result.correlationId, alreadyApplied: false };
      } catch (error) {
        // someone changed it since it was read: read it again and try once more
        if (attempt > 1 || !(error instanceof PartnerCenterError && error.details.status === 412)) throw error;
        current = await this.getSubscription(tenantId, subscription.id);
      }
    }
  }

  async listAzureSubscriptions(tenantId: string, planSubscriptionId: string): Promise<AzureSubscription[]> {
    const context = { operation: "list the Azure plan's Azure subscriptions", tenantId, subscriptionId: planSubscriptionId };
    const items = await readAllItems(this.transport, { path: `${customerPath(tenantId)}/subscriptions/${enc(planSubscriptionId)}/azureEntitlements`, auth: "app", context });
    const parsed = z.array(azureEntitlementSchema).safeParse(items);
    if (!parsed.success) throw new PartnerCenterError("unexpected_response", `Partner Center's answer to ${context.operation} is not in the documented shape`);
    return parsed.data.map((item) => toAzureSubscription(planSubscriptionId, item));
  }

  readEntitlements(tenantId: string): Promise<EntitlementHoldings> {
    return readEntitlements(this.transport, tenantId);
  }

  async cancelSoftwarePurchase(tenantId: string, purchase: Pick<SoftwarePurchase, "id" | "lineItems">, options?: CallOptions): Promise<Traced<SoftwarePurchase>> {
    const result = await this.transport.send({
      method: "PATCH",
      path: `${customerPath(tenantId)}/orders/${enc(purchase.id)}`,
      auth: "app",
      body: { id: purchase.id, status: "cancelled", lineItems: purchase.lineItems },
      schema: orderSchema,
      context: { operation: "cancel software purchase", tenantId, orderId: purchase.id },
      options,
    });
    return { ...result, value: toSoftwarePurchase(result.value) };
  }

  async removeResellerRelationship(tenantId: string, options?: CallOptions): Promise<Traced<{ relationshipToPartner: "none" }>> {
    const result = await this.transport.send({
      method: "PATCH",
      path: customerPath(tenantId),
      auth: "app_user",
      body: { relationshipToPartner: "none", attributes: { objectType: "Customer" } },
      schema: removalSchema,
      context: { operation: "remove reseller relationship", tenantId },
      options,
    });
    if (result.value.relationshipToPartner.toLowerCase() !== "none") {
      throw new PartnerCenterError("unexpected_response", `removal of ${tenantId} answered relationshipToPartner "${result.value.relationshipToPartner}" instead of "none"`, {
        requestId: result.requestId,
        correlationId: result.correlationId,
      });
    }
    return { ...result, value: { relationshipToPartner: "none" } };
  }

  async getRelationshipRequestLink(): Promise<string> {
    const result = await this.transport.send({
      method: "GET",
      path: "/customers/relationshiprequests",
      auth: "app_user",
      schema: relationshipRequestSchema,
      context: { operation: "get relationship request link" },
    });
    return toRequestLink(result.value);
  }

  async ping(): Promise<void> {
    await this.listCustomers({ pageSize: 1 });
  }
}

function enc(segment: string): string {
  return encodeURIComponent(segment);
}

function customerPath(tenantId: string): string {
  return `/customers/${enc(tenantId)}`;
}
