// Builds the demo partner's items: subscriptions of each commerce type, reservations, software
// purchases. Ids and etags are stable (derived from names), windows relative to seeding time.
import { createHash } from "node:crypto";
import type { EmuAzureSubscription, EmuEntitlement, EmuOrder, EmuReservation, EmuSubscription } from "./emulator-state";

/** Stable GUID from a name, so seeded ids and etags are the same on every run. */
export function stableGuid(name: string): string {
  const hex = createHash("sha1").update(name).digest("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

export const DAY = 86_400_000;

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

export class DemoBuilder {
  private counter = 0;
  constructor(
    private readonly tenantId: string,
    private readonly now: number,
  ) {}

  private next(kind: string): string {
    this.counter += 1;
    return stableGuid(`${this.tenantId}:${kind}:${this.counter}`);
  }

  private iso(offsetDays: number): string {
    return new Date(this.now + offsetDays * DAY).toISOString();
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
      autoRenewEnabled: true,
      creationDate: this.iso(-400),
      commitmentEndDate: this.iso(330),
      billingType: "license",
      orderId: this.next("order"),
      etag: stableGuid(`${id}:etag:0`),
    };
  }

  /** windowDays > 0: still cancellable for that many days; < 0: window closed that many days ago */
  nce(windowDays: number, offer = 0, quantity = 5, autoRenewEnabled = true): EmuSubscription {
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
      autoRenewEnabled,
      creationDate: new Date(created).toISOString(),
      commitmentEndDate: new Date(created + 365 * DAY).toISOString(),
      billingType: "license",
      orderId: this.next("order"),
      etag: stableGuid(`${id}:etag:0`),
    };
  }

  /** A legacy Azure subscription (MS-AZR-0145P): suspended like any legacy one. */
  legacyAzure(): EmuSubscription {
    const sub = this.legacy("active");
    return { ...sub, offerId: "MS-AZR-0145P", offerName: "Microsoft Azure", quantity: 1, billingType: "usage", autoRenewEnabled: false, commitmentEndDate: "9999-12-14T00:00:00Z" };
  }

  /** An Azure plan (product DZH318Z0BPS6) with its Azure subscriptions. */
  azurePlan(azure: Array<{ name: string; status: EmuAzureSubscription["status"] }>): EmuSubscription {
    const id = this.next("subscription");
    return {
      id,
      offerId: "DZH318Z0BPS6:0001:DZH318Z0BPT4",
      offerName: "Azure plan",
      quantity: 1,
      status: "active",
      commerceType: "azure_plan",
      autoRenewEnabled: false,
      creationDate: this.iso(-200),
      billingType: "usage",
      orderId: this.next("order"),
      etag: stableGuid(`${id}:etag:0`),
      azureSubscriptions: azure.map((a) => ({ id: this.next("azure-subscription"), friendlyName: a.name, status: a.status })),
    };
  }

  /** A reserved instance, listed as entitlementType "reservedinstance" with its details behind the artifact link. */
  reservation(reservationType: string, displayName: string, options: { expiresInDays?: number; state?: string; productId?: string } = {}): EmuEntitlement {
    const expiry = this.iso(options.expiresInDays ?? 300);
    const details: EmuReservation = {
      reservationId: this.next("reservation"),
      displayName,
      quantity: 1,
      scopeType: "Shared",
      effectiveDateTime: this.iso((options.expiresInDays ?? 300) - 365),
      expiryDateTime: expiry,
      provisioningState: options.state ?? "Succeeded",
    };
    return {
      entitlementType: "reservedinstance",
      reservationType,
      resourceId: this.next("artifact"),
      groupId: this.next("group").replace(/-/g, ""),
      orderId: this.next("order").replace(/-/g, ""),
      lineItemId: this.next("lineitem"),
      productId: options.productId ?? "DZH318Z0BQ3W",
      skuId: "007J",
      quantity: 1,
      expiryDate: expiry,
      reservations: [details],
    };
  }

  /** An entitlement of a type the app does not know (Partner Center documents none for savings plans). */
  unknownEntitlement(entitlementType: string, productId: string): EmuEntitlement {
    return {
      entitlementType,
      resourceId: this.next("artifact"),
      groupId: this.next("group").replace(/-/g, ""),
      orderId: this.next("order").replace(/-/g, ""),
      lineItemId: "0",
      productId,
      skuId: "0001",
      quantity: 1,
      expiryDate: this.iso(700),
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
      groupId: "",
      orderId,
      lineItemId: "0",
      productId,
      skuId,
      quantity: 1,
    };
    return { order, entitlement };
  }
}
