// The emulator answers in the shapes Microsoft documents: every key of a documented answer the
// app relies on is in the emulator's answer to the same call (nested objects and the first item
// of arrays included), apart from the few the emulator does not model, named below.
import { camelCaseKeys } from "../../src/partner-center/response-schemas";
import { DEMO_TENANTS, type EmulatorHandle, startEmulator } from "../../src/stand-ins/partner-center";
import { parseDocumentedJson, readExamples } from "./documented-examples";

let emulator: EmulatorHandle;
beforeAll(async () => {
  emulator = await startEmulator({ port: 0 });
});
afterAll(async () => emulator.close());
beforeEach(() => emulator.reset());

function documented(file: string, index: number): unknown {
  const example = readExamples(`${file}.http`).find((e) => e.index === index);
  if (!example) throw new Error(`no example ${index} in ${file}`);
  return camelCaseKeys(parseDocumentedJson(example.bodyText).value);
}

async function call(method: string, path: string, init: { body?: unknown; headers?: Record<string, string> } = {}): Promise<{ status: number; body: unknown }> {
  const response = await fetch(`${emulator.url}${path}`, {
    method,
    headers: { Authorization: "Bearer t", Accept: "application/json", "Content-Type": "application/json", ...init.headers },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  return { status: response.status, body: camelCaseKeys(await response.json()) };
}

/** Key paths of `expected` that `actual` lacks, compared case-insensitively. */
function missingKeys(expected: unknown, actual: unknown, at = ""): string[] {
  if (Array.isArray(expected)) return expected.length > 0 && Array.isArray(actual) && actual.length > 0 ? missingKeys(expected[0], actual[0], `${at}[0]`) : [];
  if (expected === null || typeof expected !== "object") return [];
  if (actual === null || typeof actual !== "object") return [at || "(root)"];
  const lower = new Map(Object.entries(actual).map(([k, v]) => [k.toLowerCase(), v]));
  return Object.entries(expected).flatMap(([key, value]) => {
    const path = at ? `${at}.${key}` : key;
    return lower.has(key.toLowerCase()) ? missingKeys(value, lower.get(key.toLowerCase()), path) : [path];
  });
}

const customerPath = (key: keyof typeof DEMO_TENANTS) => `/customers/${DEMO_TENANTS[key]}`;

describe("the emulator answers as documented", () => {
  test("the customer list and one customer", async () => {
    expect(missingKeys(documented("get-a-list-of-customers", 2), (await call("GET", "/customers?size=40")).body)).toEqual([]);
    const one = await call("GET", customerPath("legacyOnly"));
    // addresses, e-mail and the billing contact are not modelled
    expect(missingKeys(documented("get-a-customer-by-id", 2), one.body).filter((k) => !/^companyProfile\.(address|email)|^billingProfile\./.test(k))).toEqual([]);
  });

  test("subscriptions, one subscription and the answer to a change", async () => {
    const list = await call("GET", `${customerPath("legacyOnly")}/subscriptions`);
    expect(missingKeys(documented("get-all-of-a-customer-s-subscriptions", 2), list.body)).toEqual([]);
    const [first] = (list.body as { items: Array<{ id: string; attributes: { etag: string } }> }).items;
    if (!first) throw new Error("seed");
    const one = await call("GET", `${customerPath("legacyOnly")}/subscriptions/${first.id}`);
    expect(missingKeys(documented("get-a-subscription-by-id", 2), one.body)).toEqual([]);
    // an add-on's parent is not modelled
    expect(missingKeys(documented("get-a-subscription-by-id", 3), one.body).filter((k) => !/parentSubscription/.test(k))).toEqual([]);

    const nce = (await call("GET", `${customerPath("nceInsideWindow")}/subscriptions`)).body as { items: Array<Record<string, unknown> & { id: string; attributes: { etag: string } }> };
    const target = nce.items.find((s) => String(s.offerId).includes(":"));
    if (!target) throw new Error("seed");
    const cancelled = await call("PATCH", `${customerPath("nceInsideWindow")}/subscriptions/${target.id}`, { headers: { "If-Match": target.attributes.etag }, body: { ...target, status: "deleted" } });
    expect(cancelled.status).toBe(200);
    // a marketplace offer's publisher and catalogue links are not modelled
    expect(missingKeys(documented("cancel-an-azure-marketplace-subscription", 2), cancelled.body).filter((k) => !/^publisherName$|^links\.(product|sku|availability)/.test(k))).toEqual([]);
  });

  test("entitlements, a reservation's details behind its artifact link, and an Azure plan's Azure subscriptions", async () => {
    const entitlements = await call("GET", `${customerPath("activeReservation")}/entitlements?showExpiry=true`);
    expect(missingKeys(documented("get-a-collection-of-entitlements", 2), entitlements.body)).toEqual([]);
    const [reservation] = (entitlements.body as { items: Array<{ entitledArtifacts: Array<{ link: { uri: string } }> }> }).items;
    const details = await call("GET", reservation?.entitledArtifacts[0]?.link.uri ?? "");
    expect(details.status).toBe(200);
    expect(missingKeys(documented("get-a-collection-of-entitlements", 8), details.body)).toEqual([]);

    const plan = ((await call("GET", `${customerPath("azurePlan")}/subscriptions`)).body as { items: Array<{ id: string; offerId: string }> }).items.find((s) => s.offerId.startsWith("DZH318Z0BPS6"));
    const azure = await call("GET", `${customerPath("azurePlan")}/subscriptions/${plan?.id ?? ""}/azureEntitlements`);
    expect(missingKeys(documented("get-a-list-of-azure-entitlements-for-subscription", 2), azure.body)).toEqual([]);
  });

  test("orders, the removal and the request link", async () => {
    const orders = await call("GET", `${customerPath("softwarePurchase")}/orders`);
    expect(missingKeys(documented("get-all-of-a-customer-s-orders", 2), orders.body)).toEqual([]);
    const removed = await call("PATCH", customerPath("clean"), { body: { relationshipToPartner: "none", attributes: { objectType: "Customer" } } });
    expect(removed.status).toBe(200);
    expect(missingKeys(documented("remove-a-reseller-relationship-with-a-customer", 2), removed.body)).toEqual([]);
    expect(missingKeys(documented("request-reseller-relationship", 2), (await call("GET", "/customers/relationshiprequests")).body)).toEqual([]);
  });

  test("errors come as {code, description, data, source}", async () => {
    const gone = await call("GET", customerPath("alreadyRemoved"));
    expect(gone).toEqual({ status: 403, body: { code: 20002, description: expect.stringContaining("has no commerce relationship"), data: [], source: "PartnerFD" } });
  });
});
