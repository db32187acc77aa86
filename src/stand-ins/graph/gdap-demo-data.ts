// The demo partner's GDAP relationships, keyed by the Partner Center emulator's demo customers:
// active ones with roles and end dates, one waiting for approval, one already terminated, one
// created and never sent, one expired, and one whose termination stays requested for a while.
import { DEMO_PARTNER_ID, DEMO_TENANTS, stableGuid, type DemoTenant } from "../partner-center/demo-partner";
import type { GdapStandInRelationship } from "./gdap-world";

const DAY = 86_400_000;

/** Entra built-in role template ids (the roleDefinitionId values Graph lists). */
export const ROLES = {
  globalAdministrator: "62e90394-69f5-4237-9190-012177145e10",
  globalReader: "f2ef992c-3afb-46b9-b7cf-a126ee74c451",
  userAdministrator: "fe930be7-5e62-47db-91af-98c3a49a38b1",
  helpdeskAdministrator: "729827e3-9c14-49f7-bb1b-9608f156bbb8",
  securityAdministrator: "194ae4cb-b126-40b2-bd5b-6091b380977d",
  exchangeAdministrator: "29232cdf-9323-42fd-ade2-1d097af3e4de",
  licenseAdministrator: "4d6ac14f-3453-41d0-bef9-a3e0c569773a",
} as const;

const COMPANY: Partial<Record<DemoTenant, string>> = {
  clean: "Fourth Coffee",
  legacyOnly: "Contoso Ltd",
  nceInsideWindow: "Fabrikam Inc",
  mixed: "Wide World Importers",
  alreadyRemoved: "Litware Inc",
  ordinaryCoho: "Coho Winery",
};

/** Graph's relationship ids are two GUIDs joined by a dash. */
export function demoRelationshipId(name: string): string {
  return `${stableGuid(`gdap:${name}:a`)}-${stableGuid(`gdap:${name}:b`)}`;
}

export function demoEtag(seed: string): string {
  return `W/"${Buffer.from(`'"${stableGuid(`etag:${seed}`)}"'`).toString("base64")}"`;
}

type Shape = "active" | "approvalPending" | "created" | "terminated" | "expired" | "expiring";

function relationship(tenant: DemoTenant, name: string, shape: Shape, roleIds: string[], now: number, extra: Partial<GdapStandInRelationship> = {}): GdapStandInRelationship {
  const iso = (t: number) => new Date(t).toISOString();
  const created = now - 400 * DAY;
  const activatedAgo: Record<Shape, number | null> = { active: 200, terminated: 200, expiring: 366, expired: 500, created: null, approvalPending: null };
  const ago = activatedAgo[shape];
  const activated = ago === null ? null : now - ago * DAY;
  const duration = shape === "expired" || shape === "expiring" ? "P365D" : "P730D";
  const end = (() => {
    if (activated === null) return null;
    if (shape === "terminated") return now - 30 * DAY;
    return activated + (duration === "P365D" ? 365 : 730) * DAY;
  })();
  const id = demoRelationshipId(name);
  return {
    id,
    displayName: name,
    status: shape,
    customer: { tenantId: DEMO_TENANTS[tenant], displayName: COMPANY[tenant] ?? tenant },
    partnerTenantId: DEMO_PARTNER_ID,
    roleIds,
    duration,
    autoExtendDuration: "PT0S",
    createdDateTime: iso(created),
    lastModifiedDateTime: iso(shape === "terminated" ? now - 30 * DAY : created),
    activatedDateTime: activated === null ? null : iso(activated),
    endDateTime: end === null ? null : iso(end),
    etag: demoEtag(id),
    requests: [],
    ...extra,
  };
}

/** A fresh set of demo relationships; `now` anchors every date. `slowTerminationMs` for the slow one. */
export function seedDemoGdap(now: number, slowTerminationMs: number): GdapStandInRelationship[] {
  const r = ROLES;
  return [
    relationship("clean", "Fourth Coffee helpdesk", "active", [r.helpdeskAdministrator, r.userAdministrator], now),
    relationship("clean", "Fourth Coffee security", "active", [r.securityAdministrator, r.globalReader], now),
    relationship("clean", "Fourth Coffee 2023 onboarding", "terminated", [r.globalAdministrator], now),
    relationship("clean", "Fourth Coffee licences (draft)", "created", [r.licenseAdministrator], now),
    relationship("legacyOnly", "Contoso admin", "active", [r.globalReader, r.exchangeAdministrator, r.userAdministrator], now),
    relationship("legacyOnly", "Contoso helpdesk renewal", "approvalPending", [r.helpdeskAdministrator], now),
    relationship("nceInsideWindow", "Fabrikam operations", "active", [r.userAdministrator, r.licenseAdministrator], now, { terminationTakesMs: slowTerminationMs }),
    relationship("mixed", "Wide World Importers admin", "active", [r.globalReader, r.securityAdministrator], now),
    relationship("mixed", "Wide World Importers 2022", "expired", [r.globalAdministrator], now),
    relationship("alreadyRemoved", "Litware admin", "active", [r.globalAdministrator], now),
    relationship("ordinaryCoho", "Coho Winery helpdesk", "expiring", [r.helpdeskAdministrator], now),
  ];
}
