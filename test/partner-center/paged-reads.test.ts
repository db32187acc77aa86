// A customer's lists read to their end: a next link is followed as given (its continuation header
// sent back), so a subscription or a reservation on a second page still blocks; a list whose
// links never end is refused rather than read for ever or cut short.
import type { PartnerCenterRestClient } from "../../src/partner-center/rest-client";
import { PartnerCenterError } from "../../src/partner-center/partner-center-api";
import { type TinyServer, fastClient, sendJson, tinyServer } from "./partner-center-test-support";

const TENANT = "0f3c6b1e-2a4d-4e8f-9b7a-1c2d3e4f5a61";
let server: TinyServer;
let client: PartnerCenterRestClient;
/** how many pages the subscription list has; Infinity: its links never end */
let pages = 2;

function subscription(n: number) {
  return { id: `sub-${n}`, offerId: "91FD106F-4B2C-4938-95AC-F54F74E9A239", offerName: `Licence ${n}`, quantity: 1, status: "active", billingType: "license", attributes: { etag: `e${n}`, objectType: "Subscription" } };
}

beforeAll(async () => {
  server = await tinyServer((req, res) => {
    if (!req.url.includes("/subscriptions")) return sendJson(res, 200, { totalCount: 0, items: [], links: {} });
    const token = req.headers["ms-continuationtoken"];
    const page = typeof token === "string" ? Number(token) : 1;
    const next = page < pages ? { uri: `/customers/${TENANT}/subscriptions?seekOperation=Next`, method: "GET", headers: [{ key: "MS-ContinuationToken", value: String(page + 1) }] } : null;
    sendJson(res, 200, { totalCount: 1, items: [subscription(page)], links: next ? { next } : {} });
  });
  client = fastClient(server.url);
});
afterAll(async () => {
  await client.close();
  await server.close();
});
beforeEach(() => {
  server.seen.length = 0;
});

test("a subscription on the second page is read, the continuation token sent back", async () => {
  pages = 2;
  const subscriptions = await client.listSubscriptions(TENANT);
  expect(subscriptions.map((s) => [s.id, s.status])).toEqual([
    ["sub-1", "active"],
    ["sub-2", "active"],
  ]);
  expect(server.seen.map((r) => [r.url, r.headers["ms-continuationtoken"]])).toEqual([
    [`/v1/customers/${TENANT}/subscriptions`, undefined],
    [`/v1/customers/${TENANT}/subscriptions?seekOperation=Next`, "2"],
  ]);
});

test("a list whose next links never end is refused, in words, after 50 pages", async () => {
  pages = Number.POSITIVE_INFINITY;
  const error = await client.listSubscriptions(TENANT).then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(PartnerCenterError);
  expect((error as PartnerCenterError).message).toMatch(/list subscriptions did not end after 50 pages/);
  expect(server.seen).toHaveLength(50);
});
