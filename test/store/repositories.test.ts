import crypto from "node:crypto";
import { approve, openCase, requestRemoval } from "../../src/domain";
import { CaseAlreadyActiveError, type Database, type Store, createStore } from "../../src/store";
import { readMigrations } from "../../src/store/migrations";
import { describeDatabase, openTestDatabase } from "../support/test-database";

let db: Database;
let store: Store;

beforeAll(async () => {
  db = await openTestDatabase();
  store = createStore(db);
});
afterAll(async () => db.close());

const now = new Date("2026-11-24T10:00:00Z");

function newCase(tenantId: string = crypto.randomUUID()) {
  return openCase({ id: crypto.randomUUID(), tenantId, companyName: "Contoso", domain: "contoso.example", openedBy: "U1", now });
}

describe(`store on ${describeDatabase()}`, () => {
  test("migrations are recorded the way Prisma records them", async () => {
    const rows = await db.pool.query<{ migration_name: string; finished_at: Date | null }>(
      `SELECT migration_name, finished_at FROM "_prisma_migrations" ORDER BY migration_name`,
    );
    expect(rows.rows.map((r) => r.migration_name)).toEqual(readMigrations().map((m) => m.name));
    expect(rows.rows.length).toBeGreaterThanOrEqual(4);
    expect(rows.rows.every((r) => r.finished_at !== null)).toBe(true);
  });

  test("a case round-trips and only one active case per customer is allowed", async () => {
    const c = newCase();
    const saved = await store.cases.create(c);
    expect(saved).toMatchObject({ id: c.id, state: "open", version: 0, caseMessage: null });
    await expect(store.cases.create({ ...newCase(c.tenantId) })).rejects.toBeInstanceOf(CaseAlreadyActiveError);
    expect((await store.cases.findActiveByTenant(c.tenantId))?.id).toBe(c.id);
  });

  test("the case message moves only from where the mover saw it: two posts for one case, one wins", async () => {
    const c = await store.cases.create(newCase());
    const a = { channelId: "C1", ts: "1.000001" };
    const b = { channelId: "C1", ts: "1.000002" };
    const [first, second] = await Promise.all([store.cases.replaceCaseMessage(c.id, null, a), store.cases.replaceCaseMessage(c.id, null, b)]);
    expect([first, second].filter(Boolean)).toHaveLength(1);
    const kept = (await store.cases.get(c.id))?.caseMessage;
    expect(kept).toEqual(first ? a : b);
    // moving it on (an operator opens the case in another channel) works from where it is
    const elsewhere = { channelId: "C2", ts: "2.000001" };
    expect(await store.cases.replaceCaseMessage(c.id, kept ?? null, elsewhere)).toBe(true);
    expect((await store.cases.get(c.id))?.caseMessage).toEqual(elsewhere);
  });

  test("a transition based on a stale version is refused", async () => {
    const c = await store.cases.create(newCase());
    const requested = requestRemoval(c, "U1", { ready: true, blockers: [], notices: [] }, now, 60_000, "Customer moved to another partner");
    if (!requested.ok) throw new Error("expected ok");
    expect(await store.cases.saveTransition(requested.next)).toBe(true);
    // a second writer that read the same version loses
    expect(await store.cases.saveTransition(requested.next)).toBe(false);
    const approved = approve(requested.next, "U2", now);
    if (!approved.ok) throw new Error("expected ok");
    expect(
      await store.cases.saveTransition(approved.next, { decidedBy: "U2", decision: "approved", reason: null, decidedAt: now }),
    ).toBe(true);
    expect(await store.cases.getDecision(c.id)).toMatchObject({ decidedBy: "U2", decision: "approved" });
    expect((await store.cases.get(c.id))?.state).toBe("approved");
  });

  test("concurrent writers of one version: exactly one wins", async () => {
    const c = await store.cases.create(newCase());
    const requested = requestRemoval(c, "U1", { ready: true, blockers: [], notices: [] }, now, 60_000, "Customer moved to another partner");
    if (!requested.ok) throw new Error("expected ok");
    const results = await Promise.all(Array.from({ length: 10 }, () => store.cases.saveTransition(requested.next)));
    expect(results.filter(Boolean)).toHaveLength(1);
  });

  test("the audit trail is append-only, even for raw SQL", async () => {
    const tenantId = crypto.randomUUID();
    await store.audit.append({ actor: "U1", action: "case.opened", outcome: "ok", tenantId, detail: { note: "x" } });
    await store.audit.append({ actor: "U2", action: "removal.approved", outcome: "refused", tenantId, pcRequestId: "req-1" });
    const events = await store.audit.listByTenant(tenantId);
    expect(events.map((e) => [e.actor, e.action, e.outcome])).toEqual([
      ["U1", "case.opened", "ok"],
      ["U2", "removal.approved", "refused"],
    ]);
    expect(events[0]?.detail).toEqual({ note: "x" });
    expect(events[1]?.pcRequestId).toBe("req-1");
    await expect(db.pool.query(`UPDATE "AuditEvent" SET actor = 'forged'`)).rejects.toThrow(/append-only/);
    await expect(db.pool.query(`DELETE FROM "AuditEvent"`)).rejects.toThrow(/append-only/);
    expect(Object.getOwnPropertyNames(Object.getPrototypeOf(store.audit))).toEqual(["constructor", "append", "listByTenant", "listByCase", "latestAbout", "list"]);
  });

  test("the latest event about one item is the last appended, whatever its time; an unknown outcome reads as failed", async () => {
    const c = await store.cases.create(newCase());
    const at = new Date("2026-11-25T10:00:00.000Z");
    const about = (subscriptionId: string, outcome: "started" | "ok", note: string) => ({ actor: "U1", action: "subscription.suspend", outcome, caseId: c.id, tenantId: c.tenantId, detail: { subscriptionId, note }, at });
    // the same millisecond for all: the order appended decides
    await store.audit.append(about("s1", "started", "first"));
    await store.audit.append(about("s2", "started", "other item"));
    await store.audit.append(about("s1", "ok", "answered"));
    await store.audit.append({ ...about("s1", "started", "again"), action: "subscription.cancel" });
    expect((await store.audit.latestAbout(c.id, "subscription.suspend", "subscriptionId", "s1"))?.detail["note"]).toBe("answered");
    expect((await store.audit.latestAbout(c.id, "subscription.suspend", "subscriptionId", "s2"))?.outcome).toBe("started");
    expect(await store.audit.latestAbout(c.id, "subscription.suspend", "subscriptionId", "s3")).toBeNull();
    await db.pool.query(`INSERT INTO "AuditEvent" ("actor", "action", "outcome", "caseId", "detail") VALUES ('U1', 'subscription.suspend', 'half-done', $1, '{"subscriptionId": "s2"}')`, [c.id]);
    expect((await store.audit.latestAbout(c.id, "subscription.suspend", "subscriptionId", "s2"))?.outcome).toBe("failed");
  });

  test("directory search finds by name prefix, word starts, substring, domain and tenant id, literally, best first", async () => {
    const syncedAt = new Date();
    await store.directory.upsertMany(
      [
        { tenantId: "11111111-0000-0000-0000-000000000001", companyName: "Contoso Ltd", domain: "contoso.onmicrosoft.com", relationshipToPartner: "reseller" },
        { tenantId: "11111111-0000-0000-0000-000000000002", companyName: "Fabrikam 100% Inc", domain: "fabrikam.com", relationshipToPartner: "reseller" },
        { tenantId: "11111111-0000-0000-0000-000000000003", companyName: "Northwind Contoso Partners", domain: "northwind.example", relationshipToPartner: "reseller" },
      ],
      syncedAt,
    );
    expect((await store.directory.search("conto")).map((c) => c.companyName)).toEqual(["Contoso Ltd", "Northwind Contoso Partners"]);
    expect((await store.directory.search("FABRIKAM.COM")).map((c) => c.companyName)).toEqual(["Fabrikam 100% Inc"]);
    expect((await store.directory.search("11111111-0000-0000-0000-000000000003")).map((c) => c.companyName)).toEqual(["Northwind Contoso Partners"]);
    expect((await store.directory.search("100%")).map((c) => c.companyName)).toEqual(["Fabrikam 100% Inc"]);
    expect(await store.directory.search("0%i")).toEqual([]);
    expect(await store.directory.search("   ")).toEqual([]);
    // best matches first: name prefix, then word starts, then anywhere (three letters or more)
    expect((await store.directory.search("contoso")).map((c) => c.companyName)).toEqual(["Contoso Ltd", "Northwind Contoso Partners"]);
    expect((await store.directory.search("ind")).map((c) => c.companyName)).toEqual(["Northwind Contoso Partners"]);
    expect((await store.directory.search("contoso", 1)).map((c) => c.companyName)).toEqual(["Contoso Ltd"]);
    // two letters match only the start of a word
    expect((await store.directory.search("pa")).map((c) => c.companyName)).toEqual(["Northwind Contoso Partners"]);
    expect(await store.directory.search("nd")).toEqual([]);
    // each word typed starts a word, in any order
    expect((await store.directory.search("part nor")).map((c) => c.companyName)).toEqual(["Northwind Contoso Partners"]);
    expect((await store.directory.search("cont  l")).map((c) => c.companyName)).toEqual(["Contoso Ltd"]);
    expect(await store.directory.search("cont fab")).toEqual([]);
    // a later sync that no longer lists a customer marks it as removed
    await store.directory.upsertMany([{ tenantId: "11111111-0000-0000-0000-000000000001", companyName: "Contoso Ltd", domain: "contoso.onmicrosoft.com", relationshipToPartner: "reseller" }], new Date(syncedAt.getTime() + 1000));
    expect(await store.directory.markMissingAsRemoved(new Date(syncedAt.getTime() + 1000))).toBe(2);
    expect((await store.directory.get("11111111-0000-0000-0000-000000000002"))?.relationshipToPartner).toBe("none");
  });

  test("a page of 1,000 customers goes in statements under 64 KB each, every one stored and updated", async () => {
    const customers = Array.from({ length: 1000 }, (_, i) => ({
      tenantId: `22222222-0000-0000-0000-${String(i).padStart(12, "0")}`,
      // multi-byte names: the statements are sized in bytes on the wire
      companyName: `Société Générale Ørsted Ünïcode Holdings ${i}`,
      domain: `societe${i}.onmicrosoft.com`,
      relationshipToPartner: "reseller" as const,
    }));
    const query = jest.spyOn(db.pool, "query");
    try {
      await store.directory.upsertMany(customers, new Date());
      const pages = query.mock.calls.map((call) => (Array.isArray(call[1]) ? String(call[1][0]) : "")).filter((json) => json.startsWith("["));
      expect(pages.length).toBeGreaterThan(1);
      for (const json of pages) expect(Buffer.byteLength(json)).toBeLessThan(64 * 1024);
      expect(pages.reduce((sum, json) => sum + (JSON.parse(json) as unknown[]).length, 0)).toBe(1000);
    } finally {
      query.mockRestore();
    }
    expect((await store.directory.get("22222222-0000-0000-0000-000000000999"))?.companyName).toBe("Société Générale Ørsted Ünïcode Holdings 999");
    await store.directory.upsertMany(
      customers.map((c) => ({ ...c, relationshipToPartner: "none" as const })),
      new Date(),
    );
    expect((await store.directory.get("22222222-0000-0000-0000-000000000000"))?.relationshipToPartner).toBe("none");
    expect((await store.directory.get("22222222-0000-0000-0000-000000000999"))?.relationshipToPartner).toBe("none");
  });

  test("the sealed token cache is kept per key and replaced on save", async () => {
    expect(await store.tokenCache.load("partner-center")).toBeNull();
    await store.tokenCache.save("partner-center", "v1.first");
    await store.tokenCache.save("partner-center", "v1.second");
    await store.tokenCache.save("other-app", "v1.other");
    expect(await store.tokenCache.load("partner-center")).toBe("v1.second");
    expect(await store.tokenCache.load("other-app")).toBe("v1.other");
  });

  test("processed request keys are seen once", async () => {
    const key = crypto.randomUUID();
    expect(await store.processed.firstTime(key)).toBe(true);
    expect(await store.processed.firstTime(key)).toBe(false);
    // old keys are trimmed: a cutoff before the key keeps it, one after forgets it
    expect(await store.processed.forgetOlderThan(new Date(Date.now() - 60_000))).toBe(0);
    expect(await store.processed.firstTime(key)).toBe(false);
    expect(await store.processed.forgetOlderThan(new Date(Date.now() + 60_000))).toBeGreaterThanOrEqual(1);
    expect(await store.processed.firstTime(key)).toBe(true);
  });

  test("presses at the same moment make one Suspend-all job, and only its making is audited", async () => {
    const c = await store.cases.create(newCase());
    const at = new Date("2026-11-25T10:00:00.456Z");
    const press = (actor: string) => {
      const id = crypto.randomUUID();
      return store.jobs.createUnlessUnfinished({
        id,
        caseId: c.id,
        requestedBy: actor,
        items: ["s1", "s2", "s3"].map((s) => ({ subscriptionId: s, label: `Office ${s}`, action: "suspend" as const, etag: `e-${s}` })),
        audit: { actor, action: "subscriptions.suspend_all.queued", outcome: "ok", caseId: c.id, tenantId: c.tenantId, detail: { jobId: id }, at },
      });
    };
    const presses = await Promise.all(["U1", "U2", "U3"].map(press));
    const made = presses.filter((p) => p.created);
    expect(made).toHaveLength(1);
    const job = made[0]?.job;
    expect(presses.map((p) => p.job.id)).toEqual([job?.id, job?.id, job?.id]);
    // the items handed back are the ones written, MS-RequestIds included
    const written = await store.jobs.pendingItems(job?.id ?? "");
    expect(written).toEqual([...(made[0]?.items ?? [])].sort((a, b) => a.subscriptionId.localeCompare(b.subscriptionId)));
    expect(written.map((i) => [i.subscriptionId, i.etag, i.state])).toEqual([["s1", "e-s1", "pending"], ["s2", "e-s2", "pending"], ["s3", "e-s3", "pending"]]);
    expect(await store.jobs.get(job?.id ?? "")).toMatchObject({ state: "queued", requestedBy: job?.requestedBy, total: 3 });
    const events = (await store.audit.listByCase(c.id)).filter((e) => e.action === "subscriptions.suspend_all.queued");
    expect(events.map((e) => [e.actor, e.detail.jobId, e.at.toISOString()])).toEqual([[job?.requestedBy, job?.id, at.toISOString()]]);
    // once it has ended, the next press makes a new job
    expect(await store.jobs.finish(job?.id ?? "", "nobody", "done")).toBe(false);
    await db.pool.query(`UPDATE "Job" SET "state" = 'done' WHERE "id" = $1`, [job?.id]);
    const next = await press("U1");
    expect(next.created).toBe(true);
    expect(next.job.id).not.toBe(job?.id);
    // ended too, so the claims below see only their own job
    await db.pool.query(`UPDATE "Job" SET "state" = 'done' WHERE "id" = $1`, [next.job.id]);
  });

  test("a job is claimed by one owner at a time and taken over when its lease runs out", async () => {
    const c = await store.cases.create(newCase());
    const job = await store.jobs.create({
      caseId: c.id,
      requestedBy: "U1",
      items: [
        { subscriptionId: "s1", label: "Office", action: "suspend" },
        { subscriptionId: "s2", label: "Teams", action: "cancel" },
      ],
    });
    const t0 = new Date();
    const claims = await Promise.all([store.jobs.claimNext("a", 1000, t0), store.jobs.claimNext("b", 1000, t0)]);
    expect(claims.filter((j) => j?.id === job.id)).toHaveLength(1);
    const owner = claims.find((j) => j?.id === job.id)?.leaseOwner ?? "";
    expect(await store.jobs.claimNext("c", 1000, t0)).toBeNull();
    // the owner dies: after the lease, another process takes over and the old owner cannot renew
    const later = new Date(t0.getTime() + 2000);
    expect((await store.jobs.claimNext("c", 1000, later))?.id).toBe(job.id);
    expect(await store.jobs.renewLease(job.id, owner, 1000, later)).toBe(false);
    const items = await store.jobs.pendingItems(job.id);
    expect(items.map((i) => i.action)).toEqual(["suspend", "cancel"]);
    const firstRequestId = items[1]?.requestId;
    const at = new Date("2026-11-25T10:00:00.123Z");
    const audit = (subscriptionId: string, outcome: "ok" | "failed") => ({ actor: "U1", action: "subscription.suspend", outcome, caseId: c.id, tenantId: c.tenantId, pcRequestId: `r-${subscriptionId}`, detail: { subscriptionId }, at });
    await store.jobs.recordItems(job.id, [
      { subscriptionId: "s1", state: "done", lastError: null, audit: audit("s1", "ok") },
      { subscriptionId: "s2", state: "failed", lastError: "still active", audit: audit("s2", "failed") },
    ]);
    expect(await store.jobs.progress(job.id)).toEqual({ total: 2, done: 1, failed: 1, pending: 0 });
    // each item's audit event landed with it, at the time given (UTC, whatever the server's zone)
    const events = (await store.audit.listByCase(c.id)).filter((e) => e.action === "subscription.suspend");
    expect(events.map((e) => [e.pcRequestId, e.outcome, e.detail.subscriptionId, e.at.toISOString()])).toEqual([
      ["r-s1", "ok", "s1", at.toISOString()],
      ["r-s2", "failed", "s2", at.toISOString()],
    ]);
    expect(await store.jobs.finish(job.id, "c", "failed")).toBe(true);
    expect(await store.jobs.retryFailed(job.id)).toBe(1);
    const retried = await store.jobs.pendingItems(job.id);
    expect(retried.map((i) => i.subscriptionId)).toEqual(["s2"]);
    expect(retried[0]?.requestId).not.toBe(firstRequestId);
    expect((await store.jobs.get(job.id))?.state).toBe("queued");
  });
});
