// Every suite gets a database of its own: an in-memory PGlite by default, or a fresh schema
// on the PostgreSQL named by DATABASE_URL (dropped again afterwards).
import crypto from "node:crypto";
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

export function describeDatabase(): string {
  return process.env.DATABASE_URL ? "PostgreSQL" : "PGlite";
}
