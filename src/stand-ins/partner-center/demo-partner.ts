// The demo partner the emulator starts with: one customer per case the workflow must handle.
// Tenant ids are fixed so tests and demos can name them; windows are relative to seeding time.
import { DemoBuilder } from "./demo-builder";
import type { EmuCustomer, EmulatorState } from "./emulator-state";

export { stableGuid } from "./demo-builder";

export const DEMO_PARTNER_ID = "3b33e682-00c3-41ee-9dd2-a548adf56438";

export const DEMO_TENANTS = {
  /** only suspended and deleted subscriptions: removable at once */
  clean: "0f3c6b1e-2a4d-4e8f-9b7a-1c2d3e4f5a61",
  /** three active legacy subscriptions */
  legacyOnly: "8c1e5f2a-7b3d-4c9e-a1f0-2b3c4d5e6f72",
  /** an active new-commerce subscription still inside its cancellation window */
  nceInsideWindow: "4a7d2c9b-1e6f-4b3a-8d5c-3c4d5e6f7a83",
  /** an active new-commerce subscription past its window (auto-renew on) and an active legacy one */
  nceOutsideWindow: "b2e9f4d1-5c8a-4f7b-9e2d-4d5e6f7a8b94",
  /** its only licence: an annual new-commerce subscription past its window, auto-renew on */
  nceAnnualOnly: "a3c5e7f9-1b2d-4e6f-8a9c-0b1c2d3e4f50",
  /** a live reserved VM instance (reservedinstance; cancel through POST /_emulator/…/reservations/{id}/cancel) */
  activeReservation: "6d4b8e3f-9a2c-4d1e-b5f6-5e6f7a8b9ca5",
  /** one reservation past its expiry and one cancelled: neither blocks */
  expiredReservation: "f1e2d3c4-b5a6-4978-8a6b-5c4d3e2f1a07",
  /** an Azure plan with one active Azure subscription (disable it through POST /_emulator/…/azure-subscriptions/{id}/status) */
  azurePlan: "c0ffee00-aa11-4b22-9c33-d44e55f66a77",
  /** a perpetual software purchase inside its cancellation window */
  softwarePurchase: "e5a1c7d3-3f9b-4e2a-8c6d-6f7a8b9cadb6",
  /** legacy, new commerce in its window, legacy Azure, two reservations and software together */
  mixed: "2f8c3a6e-4d1b-4a9f-9c7e-7a8b9cadbec7",
  /** exactly 500 active legacy subscriptions */
  bigCustomer: "9a6e1d4c-8b7f-4c2a-a3e9-8b9cadbecfd8",
  /** relationship already removed: its reads answer 403 with code 20002 */
  alreadyRemoved: "c7d2f9a4-6e3b-4f8c-b1a5-9cadbecfe0e9",
  /** an entitlement of a type the app does not know (a savings plan: no documented type) */
  savingsPlan: "3e9a5b2d-7c4f-4e1a-9d8b-adbecf0f1fa0",
  /** a subscription with the documented but unexplained status "none" */
  statusNone: "8e7d6c5b-4a39-4281-9f0e-1d2c3b4a5f69",
  ordinaryAlpine: "5b1f8e7c-2d9a-4b6e-8f3c-becf0f1a2ab1",
  ordinaryCoho: "d8a3c6f1-9e2b-4d7a-a4c5-cf0f1a2b3bc2",
  ordinaryProseware: "1c6e9b4a-3f7d-4e2b-9a8c-f0f1a2b3c4d3",
  ordinaryTrey: "7f2d4a8e-5b1c-4c9f-8e6a-0f1a2b3c4de4",
} as const;

export type DemoTenant = keyof typeof DEMO_TENANTS;

function customer(
  key: DemoTenant,
  companyName: string,
  domain: string,
  now: number,
  fill: (b: DemoBuilder) => Partial<Pick<EmuCustomer, "subscriptions" | "entitlements" | "orders" | "relationshipToPartner">>,
): EmuCustomer {
  const tenantId = DEMO_TENANTS[key];
  const filled = fill(new DemoBuilder(tenantId, now));
  return {
    id: tenantId,
    companyName,
    domain,
    relationshipToPartner: filled.relationshipToPartner ?? "reseller",
    subscriptions: filled.subscriptions ?? [],
    entitlements: filled.entitlements ?? [],
    orders: filled.orders ?? [],
  };
}

/** A fresh demo partner; `now` anchors every cancellation window and expiry. */
export function seedDemoPartner(now: Date = new Date()): EmulatorState {
  const t = now.getTime();
  const windows = "DG7GMGF0DVT0:0002:DG7GMGF0D7QJ";
  const customers: EmuCustomer[] = [
    customer("clean", "Fourth Coffee", "fourthcoffee.onmicrosoft.com", t, (b) => ({
      subscriptions: [b.legacy("suspended", 0), b.legacy("deleted", 1), b.legacy("suspended", 2)],
    })),
    customer("legacyOnly", "Contoso Ltd", "contoso.onmicrosoft.com", t, (b) => ({
      subscriptions: [b.legacy("active", 0, 25), b.legacy("active", 3, 25), b.legacy("active", 1, 4), b.legacy("suspended", 2, 2)],
    })),
    customer("nceInsideWindow", "Fabrikam Inc", "fabrikam.onmicrosoft.com", t, (b) => ({
      subscriptions: [b.nce(5, 0, 12), b.legacy("suspended", 1)],
    })),
    customer("nceOutsideWindow", "Northwind Traders", "northwindtraders.onmicrosoft.com", t, (b) => ({
      subscriptions: [b.nce(-20, 1, 30), b.legacy("active", 0, 3)],
    })),
    customer("nceAnnualOnly", "Relecloud", "relecloud.onmicrosoft.com", t, (b) => ({
      subscriptions: [b.nce(-60, 2, 40)],
    })),
    customer("activeReservation", "Adventure Works Cycles", "adventureworks.onmicrosoft.com", t, (b) => ({
      subscriptions: [b.legacyAzure(), b.legacy("suspended", 0)],
      entitlements: [b.reservation("virtualmachines", "VM_RI_D2s_v5_WestEurope_1Y")],
    })),
    customer("expiredReservation", "Blue Yonder Airlines", "blueyonderairlines.onmicrosoft.com", t, (b) => ({
      subscriptions: [b.legacy("suspended", 1)],
      entitlements: [b.reservation("virtualmachines", "VM_RI_E4s_v5_NorthEurope_1Y", { expiresInDays: -3 }), b.reservation("sqldatabases", "SQL_RI_GP_Gen5_8vCore", { state: "Cancelled" })],
    })),
    customer("azurePlan", "Graphic Design Institute", "graphicdesigninstitute.onmicrosoft.com", t, (b) => ({
      subscriptions: [
        b.azurePlan([
          { name: "GDI Production", status: "active" },
          { name: "GDI Sandbox", status: "disabled" },
        ]),
        b.legacy("suspended", 0),
      ],
    })),
    customer("softwarePurchase", "Tailspin Toys", "tailspintoys.onmicrosoft.com", t, (b) => {
      const sw = b.software("Windows Server 2022 Standard - 16 Core License Pack", windows, 5);
      return { subscriptions: [b.legacy("suspended", 1)], orders: [sw.order], entitlements: [sw.entitlement] };
    }),
    customer("mixed", "Wide World Importers", "wideworldimporters.onmicrosoft.com", t, (b) => {
      const sw = b.software("SQL Server 2022 Standard - 2 Core License Pack", "DG7GMGF0FKZV:0001:DG7GMGF0FLR2", 5);
      return {
        subscriptions: [b.legacy("active", 0, 40), b.legacy("active", 3, 40), b.nce(5, 2, 8), b.legacy("suspended", 1), b.legacyAzure()],
        entitlements: [b.reservation("virtualmachines", "VM_RI_E4s_v5_NorthEurope_3Y"), b.reservation("sqldatabases", "SQL_RI_BC_Gen5_4vCore", { productId: "DZH318Z0BQ4B" }), sw.entitlement],
        orders: [sw.order],
      };
    }),
    customer("bigCustomer", "Woodgrove Bank", "woodgrovebank.onmicrosoft.com", t, (b) => ({
      subscriptions: Array.from({ length: 500 }, (_, i) => b.legacy("active", i, 1 + (i % 50))),
    })),
    customer("alreadyRemoved", "Litware Inc", "litware.onmicrosoft.com", t, (b) => ({
      relationshipToPartner: "none",
      subscriptions: [b.legacy("suspended", 0), b.legacy("suspended", 2)],
    })),
    customer("savingsPlan", "Lamna Healthcare Company", "lamnahealthcare.onmicrosoft.com", t, (b) => ({
      subscriptions: [b.legacy("suspended", 0)],
      entitlements: [b.unknownEntitlement("savingsplan", "DZH318Z0BVS2")],
    })),
    customer("statusNone", "Margie's Travel", "margiestravel.onmicrosoft.com", t, (b) => ({
      subscriptions: [b.legacy("none", 1, 2), b.legacy("suspended", 0)],
    })),
    customer("ordinaryAlpine", "Alpine Ski House", "alpineskihouse.onmicrosoft.com", t, (b) => ({
      subscriptions: [b.legacy("active", 2, 15), b.nce(-100, 0, 6)],
    })),
    customer("ordinaryCoho", "Coho Winery", "cohowinery.onmicrosoft.com", t, (b) => ({
      subscriptions: [b.legacy("active", 1, 8)],
    })),
    customer("ordinaryProseware", "Proseware Inc", "proseware.onmicrosoft.com", t, (b) => ({
      subscriptions: [b.legacy("active", 0, 60), b.legacy("active", 3, 60), b.legacyAzure()],
    })),
    customer("ordinaryTrey", "Trey Research", "treyresearch.onmicrosoft.com", t, (b) => ({
      subscriptions: [b.nce(2, 1, 3), b.legacy("active", 0, 3)],
    })),
  ];
  return { version: 2, partnerId: DEMO_PARTNER_ID, seededAt: now.toISOString(), customers, requests: [] };
}
