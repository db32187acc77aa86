// A collection read to its end. The documentation shows no paging for a customer's subscriptions,
// entitlements, orders or an Azure plan's Azure subscriptions, but Partner Center's collections
// carry links.next when they do page (the customer list does, with MS-ContinuationToken). A page
// not read would hide a subscription or a reservation that blocks removal, so a next link is
// followed exactly as given, and a list that never ends is refused rather than cut short.
import type { PartnerCenterTransport, RequestSpec } from "./http-transport";
import { PartnerCenterError } from "./partner-center-api";
import { looseCollectionSchema } from "./response-schemas";

/** pages one list may take before it is refused (a loop in the links, not a real customer) */
const MAX_PAGES = 50;

/** Every item of the collection, page after page. */
export async function readAllItems(transport: PartnerCenterTransport, spec: Omit<RequestSpec<typeof looseCollectionSchema>, "schema" | "method">): Promise<unknown[]> {
  const items: unknown[] = [];
  let page: { path: string; headers?: Record<string, string> | undefined } = { path: spec.path, headers: spec.headers };
  for (let read = 1; ; read++) {
    const result = await transport.send({ ...spec, ...page, method: "GET", schema: looseCollectionSchema });
    items.push(...result.value.items);
    const next = result.value.links?.next;
    if (!next) return items;
    if (read >= MAX_PAGES) {
      throw new PartnerCenterError("unexpected_response", `Partner Center's answer to ${spec.context.operation} did not end after ${MAX_PAGES} pages`, {
        requestId: result.requestId,
        correlationId: result.correlationId,
      });
    }
    page = nextPage(next);
  }
}

/** A next link as Partner Center gives it: its uri, and its headers (MS-ContinuationToken) to send back. */
export function nextPage(next: { uri: string; headers?: Array<{ key: string; value: string }> | null | undefined }): { path: string; headers: Record<string, string> } {
  return { path: next.uri, headers: Object.fromEntries((next.headers ?? []).map((h) => [h.key, h.value])) };
}
