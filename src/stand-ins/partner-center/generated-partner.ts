// A generated partner of many customers for the portfolio scan's bench: the demo partner's
// kinds of customer in the proportions a partner with a long tail of dormant customers has,
// the same on every run (seeded). Customer 0 holds 500 active legacy subscriptions, for an
// operator's Suspend all during the scan.
import { seededRandom } from "../seeded-random";
import { DemoBuilder, stableGuid } from "./demo-builder";
import type { EmuCustomer, EmulatorState } from "./emulator-state";

export const GENERATED_PARTNER_ID = "5c0a7e11-0000-4000-a000-000000005000";

/** What each generated customer holds, with its share of the portfolio. */
const KINDS: Array<{ share: number; fill: (b: DemoBuilder) => Pick<EmuCustomer, "subscriptions" | "entitlements" | "orders"> }> = [
  // dormant: everything suspended or deleted long ago
  { share: 0.35, fill: (b) => ({ subscriptions: [b.legacy("suspended", 0), b.legacy("deleted", 1)], entitlements: [], orders: [] }) },
  // legacy licences still running
  { share: 0.2, fill: (b) => ({ subscriptions: [b.legacy("active", 1, 5), b.legacy("suspended", 2)], entitlements: [], orders: [] }) },
  // bought new commerce recently
  { share: 0.15, fill: (b) => ({ subscriptions: [b.nce(-30, 0, 10)], entitlements: [], orders: [] }) },
  // new commerce past its window, bought long ago
  { share: 0.1, fill: (b) => ({ subscriptions: [b.nce(-200, 1, 3), b.legacy("suspended", 0)], entitlements: [], orders: [] }) },
  { share: 0.07, fill: (b) => ({ subscriptions: [b.legacy("suspended", 0)], entitlements: [b.reservation("virtualmachines", "VM_RI_D2s_v5_1Y")], orders: [] }) },
  { share: 0.07, fill: (b) => ({ subscriptions: [b.azurePlan([{ name: "Production", status: "active" }])], entitlements: [], orders: [] }) },
  {
    share: 0.06,
    fill: (b) => {
      const sw = b.software("Windows Server 2022 Standard - 16 Core License Pack", "DG7GMGF0DVT0:0002:DG7GMGF0D7QJ", -40);
      return { subscriptions: [b.legacy("suspended", 1)], entitlements: [sw.entitlement], orders: [sw.order] };
    },
  },
];

export function generatedTenantId(index: number): string {
  return stableGuid(`generated-customer-${index}`);
}

/** A partner of `count` customers; `now` anchors every window. */
export function seedGeneratedPartner(count: number, now: Date = new Date(), seed = 5000): EmulatorState {
  const random = seededRandom(seed);
  const t = now.getTime();
  const customers: EmuCustomer[] = [];
  for (let i = 0; i < count; i += 1) {
    const tenantId = generatedTenantId(i);
    const b = new DemoBuilder(tenantId, t);
    let held: Pick<EmuCustomer, "subscriptions" | "entitlements" | "orders">;
    if (i === 0) held = { subscriptions: Array.from({ length: 500 }, (_, k) => b.legacy("active", k, 1 + (k % 20))), entitlements: [], orders: [] };
    else {
      let pick = random();
      const kind = KINDS.find((k) => (pick -= k.share) < 0) ?? KINDS[0];
      held = kind ? kind.fill(b) : { subscriptions: [], entitlements: [], orders: [] };
    }
    const name = `Generated Customer ${String(i).padStart(5, "0")}`;
    customers.push({ id: tenantId, companyName: name, domain: `generated${i}.onmicrosoft.com`, relationshipToPartner: "reseller", ...held });
  }
  return { version: 2, partnerId: GENERATED_PARTNER_ID, seededAt: now.toISOString(), customers, requests: [] };
}
