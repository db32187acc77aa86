// The client must read real Partner Center, not just our emulator: serve every recorded response
// at its route and parse it through the client. The recordings are older than the documented
// examples (see their README): the legacy reservation type still reads as a reservation.
import fs from "node:fs";
import path from "node:path";
import { projectRoot } from "../../src/project-root";
import type { PartnerCenterRestClient } from "../../src/partner-center/rest-client";
import { fastClient, sendJson, tinyServer, type TinyServer } from "./partner-center-test-support";

const RECORDINGS = path.resolve(projectRoot(), "../shared/partner-center/recordings");

const TENANT = "46a62ece-10ad-42e5-b3f1-b2ed53e6fc08";

/** file → the call that produced it, and what the client must make of it */
const checks: Record<string, { route: RegExp; run: (client: PartnerCenterRestClient) => Promise<void> }> = {
  "customer-subscriptions.response.json": {
    route: /^GET \/v1\/customers\/[^/]+\/subscriptions$/,
    run: async (client) => {
      const subs = await client.listSubscriptions(TENANT);
      expect(subs).toHaveLength(2);
      expect(subs[0]).toMatchObject({ id: "4F26A5CA-C468-4715-8FC5-A14F28BCC29B", offerId: "MS-AZR-0145P", status: "active", commerceType: "legacy", etag: "removed", cancellableUntil: null, autoRenewEnabled: false });
      expect(subs[1]).toMatchObject({ offerName: "Office 365 Business Essentials", status: "suspended", commerceType: "legacy" });
      expect(subs[1]?.commitmentEndDate?.toISOString()).toBe("2019-03-26T00:00:00.000Z");
    },
  },
  "customer-entitlements.response.json": {
    route: /^GET \/v1\/customers\/[^/]+\/entitlements$/,
    run: async (client) => {
      const holdings = await client.readEntitlements(TENANT);
      // its artifact link is not recorded: the reservation counts, its details unread
      expect(holdings.reservations).toEqual([{ id: "cbd8ad2f-9958-4a29-8a23-40cbebafa6b8", name: "reservation DZH318Z0BQ4C/00BD", reservationType: null, quantity: 1, expiresAt: null, provisioningState: null }]);
      // no software entitlement in the recording: no orders call needed
      expect(holdings.softwarePurchases).toEqual([]);
      expect(holdings.unrecognised).toEqual([]);
    },
  },
  "suspend-subscription.response.json": {
    route: /^PATCH \/v1\/customers\/[^/]+\/subscriptions\/[^/]+$/,
    run: async (client) => {
      const resource = { id: "83ef9d05-4169-4ef9-9657-0e86b1eab1de", offerId: "796B6B5F-613C-4E24-A17C-EBA730D49C02", quantity: 2, status: "active", attributes: { etag: "e1" } };
      const result = await client.updateSubscription(TENANT, { id: resource.id, resource }, { status: "suspended" });
      expect(result.value).toMatchObject({ id: "83ef9d05-4169-4ef9-9657-0e86b1eab1de", status: "suspended", quantity: 2, offerName: "nickname", etag: "<etag>" });
    },
  },
  "remove-reseller-relationship.response.json": {
    route: /^PATCH \/v1\/customers\/[^/]+$/,
    run: async (client) => {
      expect((await client.removeResellerRelationship(TENANT)).value).toEqual({ relationshipToPartner: "none" });
    },
  },
  "reseller-relationship-link.response.json": {
    route: /^GET \/v1\/customers\/relationshiprequests$/,
    run: async (client) => {
      expect(await client.getRelationshipRequestLink()).toBe(
        "https://portal.office.com/partner/partnersignup.aspx?type=ResellerRelationship&id=3b33e682-00c3-41ee-9dd2-a548adf56438&csp=1&msppid=0",
      );
    },
  },
};

describe("recorded Partner Center responses", () => {
  if (!fs.existsSync(RECORDINGS)) {
    it("are present", () => {
      throw new Error(`recordings folder missing: expected ${RECORDINGS} (the shared partner-center/recordings next to the repo)`);
    });
    return;
  }
  const files = fs.readdirSync(RECORDINGS).filter((f) => f.endsWith(".json"));
  let server: TinyServer;
  let client: PartnerCenterRestClient;
  let current: { route: RegExp; body: string } | undefined;

  beforeAll(async () => {
    server = await tinyServer((req, res) => {
      const path = req.url.split("?")[0] ?? "";
      if (current && current.route.test(`${req.method} ${path}`)) sendJson(res, 200, current.body);
      else sendJson(res, 404, { code: 0, description: `no recording for ${req.method} ${path}`, data: [], source: "PartnerFD" });
    });
    client = fastClient(server.url);
  });
  afterAll(async () => {
    await client.close();
    await server.close();
  });

  it("include at least the five documented calls", () => {
    expect(files.length).toBeGreaterThanOrEqual(5);
  });

  it.each(files)("%s parses through the client", async (file) => {
    const check = checks[file];
    if (!check) throw new Error(`no check for recording ${file}: add one to recordings.test.ts`);
    current = { route: check.route, body: fs.readFileSync(path.join(RECORDINGS, file), "utf8") };
    await check.run(client);
  });
});
