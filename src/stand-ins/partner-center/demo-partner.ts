// The demo partner the emulator starts with: one customer per case the workflow must handle.
// Tenant ids are fixed so tests and demos can name them; windows are relative to seeding time.
import { createHash } from "node:crypto";
import type { EmuCustomer, EmuEntitlement, EmuOrder, EmuSubscription, EmulatorState } from "./emulator-state";

export const DEMO_PARTNER_ID = "3b33e682-00c3-41ee-9dd2-a548adf56438";

export const DEMO_TENANTS = {
  /** only suspended and deleted subscriptions: removable at once */
  clean: "0f3c6b1e-2a4d-4e8f-9b7a-1c2d3e4f5a61",
  /** three active legacy subscriptions */
  legacyOnly: "8c1e5f2a-7b3d-4c9e-a1f0-2b3c4d5e6f72",
  /** an active NCE subscription still inside its cancellation window */
  nceInsideWindow: "4a7d2c9b-1e6f-4b3a-8d5c-3c4d5e6f7a83",
  /** an active NCE subscription whose window has closed: cannot be removed before term end */
  nceOutsideWindow: "b2e9f4d1-5c8a-4f7b-9e2d-4d5e6f7a8b94",
  /** an active Azure reserved VM instance (cancel through POST /_emulator/…/reservations/{id}/cancel) */
  activeReservation: "6d4b8e3f-9a2c-4d1e-b5f6-5e6f7a8b9ca5",
  /** a perpetual software purchase inside its cancellation window */
  softwarePurchase: "e5a1c7d3-3f9b-4e2a-8c6d-6f7a8b9cadb6",
  /** legacy, NCE in window, RI, savings plan and software together */
  mixed: "2f8c3a6e-4d1b-4a9f-9c7e-7a8b9cadbec7",
  /** exactly 500 active legacy subscriptions */
  bigCustomer: "9a6e1d4c-8b7f-4c2a-a3e9-8b9cadbecfd8",
  /** relationship already removed (relationshipToPartner none) */
  alreadyRemoved: "c7d2f9a4-6e3b-4f8c-b1a5-9cadbecfe0e9",
  /** an Azure savings plan only (treated like a reservation) */
  savingsPlan: "3e9a5b2d-7c4f-4e1a-9d8b-adbecf0f1fa0",
  ordinaryAlpine: "5b1f8e7c-2d9a-4b6e-8f3c-becf0f1a2ab1",
  ordinaryCoho: "d8a3c6f1-9e2b-4d7a-a4c5-cf0f1a2b3bc2",
  ordinaryProseware: "1c6e9b4a-3f7d-4e2b-9a8c-f0f1a2b3c4d3",
  ordinaryTrey: "7f2d4a8e-5b1c-4c9f-8e6a-0f1a2b3c4de4",
} as const;

export type DemoTenant = keyof typeof DEMO_TENANTS;

/** Stable GUID from a name, so seeded ids and etags are the same on every run. */
export function stableGuid(name: string): string {
  const hex = createHash("sha1").update(name).digest("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

const DAY = 86_400_000;

const LEGACY_OFFERS = [
  { offerId: "796B6B5F-613C-4E24-A17C-EBA730D49C02", offerName: "Office 365 E3" },
  { offerId: "BD938F12-058F-4927-BBA3-AE36B1D2501C", offerName: "Office 365 Business Essentials" },
  { offerId: "031C9E47-4802-4248-838E-778FB1D2CC05", offerName: "Microsoft 365 Business Standard" },
  { offerId: "91FD106F-4B2C-4938-95AC-F54F74E9A239", offerName: "Enterprise Mobility + Security E3" },
];
const NCE_OFFERS = [
  { offerId: "CFQ7TTC0LH18:0001:CFQ7TTC0K59S", offerName: "Microsoft 365 Business Basic" },
  { offerId: "CFQ7TTC0LDPB:0001:CFQ7TTC0K5QF", offerName: "Microsoft 365 Business Standard" },
  { offerId: "CFQ7TTC0LFLX:0002:CFQ7TTC0K4D2", offerName: "Microsoft 365 E3" },
];

function pick<T>(list: readonly T[], index: number): T {
  const item = list[index % list.length];
  if (item === undefined) throw new Error("empty offer list");
  return item;
}

class Builder {
  private counter = 0;
  constructor(
    private readonly tenantId: string,
    private readonly now: number,
  ) {}

  private next(kind: string): string {
    this.counter += 1;
    return stableGuid(`${this.tenantId}:${kind}:${this.counter}`);
  }

  legacy(status: EmuSubscription["status"], offer = 0, quantity = 10): EmuSubscription {
    const o = pick(LEGACY_OFFERS, offer);
    const id = this.next("subscription");
    return {
      id,
      ...o,
      quantity,
      status,
      commerceType: "legacy",
      creationDate: new Date(this.now - 400 * DAY).toISOString(),
      commitmentEndDate: new Date(this.now + 330 * DAY).toISOString(),
      billingType: "license",
      orderId: this.next("order"),
      etag: stableGuid(`${id}:etag:0`),
    };
  }

  /** windowDays > 0: still cancellable for that many days; < 0: window closed that many days ago */
  nce(windowDays: number, offer = 0, quantity = 5): EmuSubscription {
    const o = pick(NCE_OFFERS, offer);
    const windowEnd = this.now + windowDays * DAY;
    const created = windowEnd - 7 * DAY;
    const id = this.next("subscription");
    return {
      id,
      ...o,
      quantity,
      status: "active",
      commerceType: "nce",
      termDuration: "P1Y",
      cancellationAllowedUntilDate: new Date(windowEnd).toISOString(),
      creationDate: new Date(created).toISOString(),
      commitmentEndDate: new Date(created + 365 * DAY).toISOString(),
      billingType: "license",
      orderId: this.next("order"),
      etag: stableGuid(`${id}:etag:0`),
    };
  }

  azurePlan(): EmuSubscription {
    const sub = this.legacy("active");
    return { ...sub, offerId: "MS-AZR-0145P", offerName: "Microsoft Azure", quantity: 1, billingType: "usage", commitmentEndDate: "9999-12-14T00:00:00Z" };
  }

  reservation(kind: "virtual_machine_reserved_instance" | "azure_savings_plan", friendlyName: string): EmuEntitlement {
    return {
      entitlementType: kind,
      resourceId: this.next("reservation"),
      orderId: this.next("order").replace(/-/g, ""),
      lineItemId: 0,
      productId: kind === "azure_savings_plan" ? "DZH318Z0BVS2" : "DZH318Z0BQ4C",
      skuId: kind === "azure_savings_plan" ? "0002" : "00BD",
      friendlyName,
      quantity: 1,
      fulfilmentStatus: "Fulfilled",
    };
  }

  /** a perpetual software order plus the entitlement that marks it as software */
  software(friendlyName: string, offerId: string, windowDays: number): { order: EmuOrder; entitlement: EmuEntitlement } {
    const orderId = this.next("order");
    const windowEnd = this.now + windowDays * DAY;
    const order: EmuOrder = {
      id: orderId,
      status: "completed",
      creationDate: new Date(windowEnd - 30 * DAY).toISOString(),
      cancellationAllowedUntilDate: new Date(windowEnd).toISOString(),
      lineItems: [{ lineItemNumber: 0, offerId, friendlyName, quantity: 1 }],
    };
    const [productId = "", skuId = ""] = offerId.split(":");
    const entitlement: EmuEntitlement = {
      entitlementType: "software",
      resourceId: this.next("software"),
      orderId,
      lineItemId: 0,
      productId,
      skuId,
      friendlyName,
      quantity: 1,
      fulfilmentStatus: "Fulfilled",
    };
    return { order, entitlement };
  }
}

function customer(
  key: DemoTenant,
  companyName: string,
  domain: string,
  now: number,
  fill: (b: Builder) => Partial<Pick<EmuCustomer, "subscriptions" | "entitlements" | "orders" | "relationshipToPartner">>,
): EmuCustomer {
  const tenantId = DEMO_TENANTS[key];
  const filled = fill(new Builder(tenantId, now));
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

/** A fresh demo partner; `now` anchors every cancellation window. */
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
    customer("activeReservation", "Adventure Works Cycles", "adventureworks.onmicrosoft.com", t, (b) => ({
      subscriptions: [b.azurePlan(), b.legacy("suspended", 0)],
      entitlements: [b.reservation("virtual_machine_reserved_instance", "Reserved VM Instance, Standard_D2s_v5, West Europe, 1 year")],
    })),
    customer("softwarePurchase", "Tailspin Toys", "tailspintoys.onmicrosoft.com", t, (b) => {
      const sw = b.software("Windows Server 2022 Standard - 16 Core License Pack", windows, 5);
      return { subscriptions: [b.legacy("suspended", 1)], orders: [sw.order], entitlements: [sw.entitlement] };
    }),
    customer("mixed", "Wide World Importers", "wideworldimporters.onmicrosoft.com", t, (b) => {
      const sw = b.software("SQL Server 2022 Standard - 2 Core License Pack", "DG7GMGF0FKZV:0001:DG7GMGF0FLR2", 5);
      return {
        subscriptions: [b.legacy("active", 0, 40), b.legacy("active", 3, 40), b.nce(5, 2, 8), b.legacy("suspended", 1), b.azurePlan()],
        entitlements: [b.reservation("virtual_machine_reserved_instance", "Reserved VM Instance, Standard_E4s_v5, North Europe, 3 years"), b.reservation("azure_savings_plan", "Azure savings plan for compute, 1 year"), sw.entitlement],
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
      entitlements: [b.reservation("azure_savings_plan", "Azure savings plan for compute, 3 years")],
    })),
    customer("ordinaryAlpine", "Alpine Ski House", "alpineskihouse.onmicrosoft.com", t, (b) => ({
      subscriptions: [b.legacy("active", 2, 15), b.nce(-100, 0, 6)],
    })),
    customer("ordinaryCoho", "Coho Winery", "cohowinery.onmicrosoft.com", t, (b) => ({
      subscriptions: [b.legacy("active", 1, 8)],
    })),
    customer("ordinaryProseware", "Proseware Inc", "proseware.onmicrosoft.com", t, (b) => ({
      subscriptions: [b.legacy("active", 0, 60), b.legacy("active", 3, 60), b.azurePlan()],
    })),
    customer("ordinaryTrey", "Trey Research", "treyresearch.onmicrosoft.com", t, (b) => ({
      subscriptions: [b.nce(2, 1, 3), b.legacy("active", 0, 3)],
    })),
  ];
  return { version: 1, partnerId: DEMO_PARTNER_ID, seededAt: now.toISOString(), customers, requests: [] };
}
