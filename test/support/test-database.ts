// Every suite gets a database of its own: an in-memory PGlite by default, or a fresh schema
// on the PostgreSQL named by DATABASE_URL (dropped again afterwards).
import crypto from "node:crypto";
import pg from "pg";
import { IN_MEMORY_DATA_DIR } from "../../src/config";
import { type Database, openDatabase } from "../../src/store";

export async function openTestDatabase(): Promise<Database> {
  const databaseUrl = process.env.DATABASE_URL;
  if (!databaseUrl) return openDatabase({ dataDir: IN_MEMORY_DATA_DIR });
  const schema = `test_${crypto.randomBytes(6).toString("hex")}`;
  const db = await openDatabase({ databaseUrl, dataDir: "unused", schema });
  return {
    ...db,
    close: async () => {
      await db.pool.query(`DROP SCHEMA "${schema}" CASCADE`);
      await db.close();
    },
  };
}

/** Where an app under test keeps its data: the settings for it, and how to clean up after it. */
export interface TestDatabaseSettings {
  /** DATABASE_URL and a fresh DATABASE_SCHEMA on PostgreSQL; nothing on PGlite (DATA_DIR decides) */
  env: Record<string, string>;
  /** the PostgreSQL schema, or null on PGlite */
  schema: string | null;
  /** drops the schema (PostgreSQL); nothing to do on PGlite */
  drop(): Promise<void>;
}

export function testDatabaseSettings(): TestDatabaseSettings {
  const databaseUrl = process.env.DATABASE_URL;
  if (!databaseUrl) return { env: {}, schema: null, drop: async () => undefined };
  const schema = `test_${crypto.randomBytes(6).toString("hex")}`;
  return {
    env: { DATABASE_URL: databaseUrl, DATABASE_SCHEMA: schema },
    schema,
    drop: async () => {
      const pool = new pg.Pool({ connectionString: databaseUrl });
      await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await pool.end();
    },
  };
}

export function describeDatabase(): string {
  return process.env.DATABASE_URL ? "PostgreSQL" : "PGlite";
}
