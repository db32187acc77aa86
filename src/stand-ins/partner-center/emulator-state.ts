// The emulator's world: one partner's customers and what they hold, kept in Partner Center's own
// vocabulary, and its persistence (atomic temp-file + rename, debounced, flushed on close).
import fs from "node:fs";
import path from "node:path";

export type EmuSubscriptionStatus = "active" | "suspended" | "pending" | "deleted" | "expired" | "disabled" | "none";

/** One Azure subscription under an Azure plan; disabled in the Azure portal (here: a control endpoint). */
export interface EmuAzureSubscription {
  id: string;
  friendlyName: string;
  status: "active" | "disabled";
}

export interface EmuSubscription {
  id: string;
  offerId: string;
  offerName: string;
  quantity: number;
  status: EmuSubscriptionStatus;
  commerceType: "legacy" | "nce" | "azure_plan";
  /** new commerce: "P1M" or "P1Y" */
  termDuration?: string;
  /** new commerce: end of the cancellation window (ISO) */
  cancellationAllowedUntilDate?: string;
  autoRenewEnabled: boolean;
  creationDate: string;
  /** none for an Azure plan: it has no term */
  commitmentEndDate?: string;
  billingType: "license" | "usage";
  orderId: string;
  etag: string;
  /** Azure plan only */
  azureSubscriptions?: EmuAzureSubscription[];
}

/** A reservation's details, as the entitlement's artifact link answers them. */
export interface EmuReservation {
  reservationId: string;
  displayName: string;
  quantity: number;
  scopeType: string;
  effectiveDateTime: string;
  expiryDateTime: string;
  /** Succeeded while live; Cancelled once returned in the Azure portal */
  provisioningState: string;
}

/** Reservations, software and anything else Partner Center lists as an entitlement. */
export interface EmuEntitlement {
  /** reservedinstance, software, or a type the app does not know (savingsplan) */
  entitlementType: string;
  /** reservations: dynamicAttributes.reservationType (virtualmachines, sqldatabases, …) */
  reservationType?: string;
  resourceId: string;
  groupId: string;
  orderId: string;
  lineItemId: string;
  productId: string;
  skuId: string;
  quantity: number;
  /** filled in only with showExpiry=true */
  expiryDate?: string;
  reservations?: EmuReservation[];
}

/** Software purchases: one-time orders; cancellable until cancellationAllowedUntilDate. */
export interface EmuOrder {
  id: string;
  status: "completed" | "cancelled";
  creationDate: string;
  cancellationAllowedUntilDate: string;
  lineItems: Array<{ lineItemNumber: number; offerId: string; friendlyName: string; quantity: number }>;
}

export interface EmuCustomer {
  id: string;
  companyName: string;
  domain: string;
  relationshipToPartner: "reseller" | "none";
  subscriptions: EmuSubscription[];
  entitlements: EmuEntitlement[];
  orders: EmuOrder[];
}

/** The first successful answer to a mutating request, replayed for a repeated MS-RequestId. */
export interface RememberedResponse {
  method: string;
  path: string;
  status: number;
  body: string;
}

export interface EmulatorState {
  version: 2;
  partnerId: string;
  seededAt: string;
  customers: EmuCustomer[];
  /** insertion-ordered, bounded; persisted so a job resumed after a restart is still idempotent */
  requests: Array<[string, RememberedResponse]>;
}

export const STATE_FILE = "state.json";

/**
 * Loads saved state, or undefined when there is none yet or it is of the older format (the world
 * is reseeded). A corrupt file is an error, not a reseed.
 */
export function loadState(dir: string): EmulatorState | undefined {
  const file = path.join(dir, STATE_FILE);
  if (!fs.existsSync(file)) return undefined;
  const parsed = JSON.parse(fs.readFileSync(file, "utf8")) as { version?: unknown; customers?: unknown };
  if (parsed.version === 1) return undefined;
  if (parsed.version !== 2 || !Array.isArray(parsed.customers)) throw new Error(`emulator state ${file} has an unknown format; delete it to reseed`);
  return parsed as EmulatorState;
}

/** Writes state atomically: a crash mid-write leaves the previous file intact. */
export function saveState(dir: string, state: EmulatorState): void {
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, STATE_FILE);
  const temp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temp, JSON.stringify(state));
  fs.renameSync(temp, file);
}

/** Debounces saves so 500 suspends cost a handful of writes; flush() writes what is pending now. */
export class StatePersister {
  private timer: NodeJS.Timeout | undefined;
  private dirty = false;

  constructor(
    private readonly dir: string | undefined,
    private readonly current: () => EmulatorState,
    private readonly delayMs = 100,
  ) {}

  changed(): void {
    if (!this.dir) return;
    this.dirty = true;
    if (this.timer) return;
    this.timer = setTimeout(() => this.flush(), this.delayMs);
    this.timer.unref();
  }

  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (!this.dir || !this.dirty) return;
    this.dirty = false;
    saveState(this.dir, this.current());
  }
}
