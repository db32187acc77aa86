// GDAP (granular delegated admin) relationships, decided status by status from Microsoft Graph's
// documentation of delegatedAdminRelationshipStatus. Removing the reseller relationship does not
// end them, so an approved removal may end them too. Graph's statuses:
//   created → (lockForApproval) approvalPending → (customer approves) approved → activating → active
//   active → (terminate request) terminationRequested → terminating → terminated
//   active → (end date passed) expiring → expired
// A status this module does not know is never acted on and never reported as ended.

export const GDAP_STATUSES = [
  "activating",
  "active",
  "approvalPending",
  "approved",
  "created",
  "expired",
  "expiring",
  "terminated",
  "terminating",
  "terminationRequested",
] as const;

export type GdapStatus = (typeof GDAP_STATUSES)[number];

/** One relationship as read from Graph; `status` is Graph's word, recognised or not. */
export interface GdapRelationship {
  id: string;
  displayName: string;
  status: string;
  customerTenantId: string;
  customerName: string | null;
  /** unifiedRoles[].roleDefinitionId: Entra built-in role template ids */
  roleIds: string[];
  /** ISO 8601 duration, e.g. P730D */
  duration: string | null;
  createdAt: Date | null;
  activatedAt: Date | null;
  /** when the relationship ends (activatedAt + duration), or ended */
  endsAt: Date | null;
  /** @odata.etag, needed to delete a relationship in status created */
  etag: string | null;
}

const BY_LOWER = new Map<string, GdapStatus>(GDAP_STATUSES.map((s) => [s.toLowerCase(), s]));

/** Graph's status as a known value, or null for anything else (unknownFutureValue included). */
export function knownGdapStatus(status: string): GdapStatus | null {
  return BY_LOWER.get(status.trim().toLowerCase()) ?? null;
}

export type GdapAction = "terminate" | "delete" | "none" | "unrecognised";

export interface GdapDecision {
  action: GdapAction;
  /** the recognised status, or null when Graph sent one this app does not know */
  status: GdapStatus | null;
  /** why, in words an operator reads */
  reason: string;
}

/**
 * What ending a relationship takes, by its current status:
 * - terminate (a terminate request): active, and every status on the way to active
 *   (approvalPending, approved, activating), because an approval or activation still pending
 *   would otherwise hand the partner admin roles after the offboarding;
 * - delete (with If-Match): created, which Graph allows to delete and nothing else;
 * - none: terminated and expired (no access left), terminationRequested and terminating
 *   (termination already under way), expiring (past its end date; Graph's documentation says the
 *   system is removing the access, as it does for terminating);
 * - unrecognised: anything else. Not touched, and reported for a person to check.
 */
export function decideGdap(rawStatus: string): GdapDecision {
  const status = knownGdapStatus(rawStatus);
  const decision = (action: GdapAction, reason: string): GdapDecision => ({ action, status, reason });
  switch (status) {
    case "active":
      return decision("terminate", "Active: the partner holds these admin roles in the customer's tenant.");
    case "approvalPending":
      return decision("terminate", "Waiting for the customer's approval: approving it later would grant these roles again.");
    case "approved":
    case "activating":
      return decision("terminate", "Approved and being activated: it grants these roles once active.");
    case "created":
      return decision("delete", "Created but never sent to the customer: it is deleted rather than terminated.");
    case "terminationRequested":
    case "terminating":
      return decision("none", "Termination already requested: Microsoft is removing the access.");
    case "terminated":
      return decision("none", "Already terminated.");
    case "expiring":
      return decision("none", "Past its end date: Microsoft is removing the access.");
    case "expired":
      return decision("none", "Expired: it grants nothing any more.");
    case null:
      return decision("unrecognised", `Graph reports a status this app does not recognise (${JSON.stringify(rawStatus)}); it is left untouched for a person to check in Partner Center.`);
  }
}

export interface GdapPlanItem {
  relationship: GdapRelationship;
  decision: GdapDecision;
}

export interface GdapPlan {
  items: GdapPlanItem[];
  toTerminate: GdapPlanItem[];
  toDelete: GdapPlanItem[];
  nothingToDo: GdapPlanItem[];
  /** statuses this app does not know: never touched, always shown */
  unrecognised: GdapPlanItem[];
}

/** The relationships an approved removal would end, and how; input order is kept. */
export function planGdapEnding(relationships: readonly GdapRelationship[]): GdapPlan {
  const items = relationships.map((relationship) => ({ relationship, decision: decideGdap(relationship.status) }));
  const having = (action: GdapAction) => items.filter((i) => i.decision.action === action);
  return { items, toTerminate: having("terminate"), toDelete: having("delete"), nothingToDo: having("none"), unrecognised: having("unrecognised") };
}

/** Statuses that change on their own within minutes; a read-back waits for them to pass. */
const TRANSIENT: ReadonlySet<GdapStatus> = new Set(["approved", "activating", "terminationRequested", "terminating", "expiring"]);

/** True when the status will not move without someone acting; an unknown status counts as settled (nothing to wait for). */
export function isSettledGdapStatus(rawStatus: string): boolean {
  const status = knownGdapStatus(rawStatus);
  return status === null || !TRANSIENT.has(status);
}

/** The only statuses that may be reported as "ended": Graph shows the termination requested or done. */
export function isEndedGdapStatus(rawStatus: string): boolean {
  const status = knownGdapStatus(rawStatus);
  return status === "terminationRequested" || status === "terminated";
}

/** What Graph showed when the relationship was read back after acting (or deciding not to). */
export type GdapReadBack = { gone: true } | { gone: false; status: string };

export type GdapOutcome =
  | { kind: "ended"; status: GdapStatus; text: string }
  | { kind: "deleted"; text: string }
  | { kind: "nothing_to_do"; status: GdapStatus; text: string }
  | { kind: "not_ended"; status: string; text: string }
  | { kind: "refused"; text: string; graphMessage: string }
  | { kind: "unrecognised"; status: string; text: string };

/**
 * The final word on one relationship, from what was read back, never from what was sent:
 * "ended" only for terminationRequested or terminated, "deleted" only when a deleted one is gone.
 */
export function gdapOutcome(action: GdapAction, readBack: GdapReadBack): GdapOutcome {
  if (readBack.gone) {
    return action === "delete"
      ? { kind: "deleted", text: "Deleted: Graph no longer lists it." }
      : { kind: "not_ended", status: "(not found)", text: "Graph no longer finds this relationship, so its ending could not be confirmed." };
  }
  const status = knownGdapStatus(readBack.status);
  if (status === null) {
    return { kind: "unrecognised", status: readBack.status, text: `Graph reports a status this app does not recognise (${JSON.stringify(readBack.status)}): not confirmed as ended.` };
  }
  if (isEndedGdapStatus(status)) {
    return { kind: "ended", status, text: status === "terminated" ? "Ended: Graph shows it terminated." : "Ended: Graph shows its termination requested." };
  }
  // no further step is needed, but these are not called ended: nobody's termination shows
  if (status === "expired" || status === "expiring" || status === "terminating") {
    return { kind: "nothing_to_do", status, text: decideGdap(status).reason };
  }
  return { kind: "not_ended", status, text: `Not ended: Graph still shows it ${status}.` };
}

/** Graph refused the request: its own words are kept for the case and the audit. */
export function gdapRefusal(graphMessage: string): GdapOutcome {
  const words = graphMessage.trim() || "(Graph gave no reason)";
  return { kind: "refused", text: `Graph refused to end it: ${words}`, graphMessage: words };
}

/** True when the outcome leaves nothing for a person to do about this relationship. */
export function isGdapOutcomeFinal(outcome: GdapOutcome): boolean {
  return outcome.kind === "ended" || outcome.kind === "deleted" || outcome.kind === "nothing_to_do";
}

// Names of the Entra built-in roles partners most often hold through GDAP, by role template id.
const ROLE_NAMES: Readonly<Record<string, string>> = {
  "62e90394-69f5-4237-9190-012177145e10": "Global Administrator",
  "f2ef992c-3afb-46b9-b7cf-a126ee74c451": "Global Reader",
  "fe930be7-5e62-47db-91af-98c3a49a38b1": "User Administrator",
  "729827e3-9c14-49f7-bb1b-9608f156bbb8": "Helpdesk Administrator",
  "194ae4cb-b126-40b2-bd5b-6091b380977d": "Security Administrator",
  "5d6b6bb7-de71-4623-b4af-96380a352509": "Security Reader",
  "29232cdf-9323-42fd-ade2-1d097af3e4de": "Exchange Administrator",
  "f28a1f50-f6e7-4571-818b-6a12f2af6b6c": "SharePoint Administrator",
  "69091246-20e8-4a56-aa4d-066075b2a7a8": "Teams Administrator",
  "3a2c62db-5318-420d-8d74-23affee5d9d5": "Intune Administrator",
  "b0f54661-2d74-4c50-afa3-1ec803f12efe": "Billing Administrator",
  "4d6ac14f-3453-41d0-bef9-a3e0c569773a": "License Administrator",
  "e8611ab8-c189-46e8-94e1-60213ab1f814": "Privileged Role Administrator",
  "f023fd81-a637-4b56-95fd-791ac0226033": "Service Support Administrator",
  "88d8e3e3-8f55-4a1e-953a-9b9898b8876b": "Directory Readers",
};

/** A role's name when it is a well-known built-in role, else its id (never guessed). */
export function gdapRoleName(roleDefinitionId: string): string {
  return ROLE_NAMES[roleDefinitionId.toLowerCase()] ?? roleDefinitionId;
}
