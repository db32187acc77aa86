// The database: reachable, every migration in prisma/migrations applied, and (for the Partner
// Center check) when the token cache was last written. The doctor never migrates: the app does.
import type pg from "pg";
import { readMigrations } from "../store/migrations";
import { type CheckResult, failed, ok, reason, within } from "./doctor-check";

const NAME = "Database";

export async function databaseCheck(pool: pg.Pool, described: string, timeoutMs: number): Promise<CheckResult> {
  try {
    await within(timeoutMs, pool.query("SELECT 1"));
  } catch (error) {
    return failed(NAME, `${described} cannot be reached: ${reason(error)}`, "check DATABASE_URL (host, port, user, password, database name) and that PostgreSQL accepts connections from here");
  }
  const expected = readMigrations().map((m) => m.name);
  let applied: string[];
  try {
    const rows = await within(timeoutMs, pool.query<{ migration_name: string }>(`SELECT migration_name FROM "_prisma_migrations" WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`));
    applied = rows.rows.map((row) => row.migration_name);
  } catch {
    applied = [];
  }
  const missing = expected.filter((name) => !applied.includes(name));
  if (missing.length > 0) {
    return failed(
      NAME,
      `${described} answers, but ${missing.length} of ${expected.length} migrations are not applied (first: ${missing[0] ?? "?"})`,
      "start the app once (it applies migrations at start, under an advisory lock); check DATABASE_SCHEMA if it should already be migrated",
    );
  }
  return ok(NAME, `${described} answers, all ${expected.length} migrations applied`);
}

/** When the sealed token cache row was last written (MSAL writes it when it renews the refresh token), or null. */
export async function tokenCacheUpdatedAt(pool: pg.Pool, key: string): Promise<Date | null> {
  const rows = await pool.query<{ updatedAt: Date }>(`SELECT "updatedAt" FROM "TokenCache" WHERE key = $1`, [key]);
  return rows.rows[0]?.updatedAt ?? null;
}
