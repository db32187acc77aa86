// One place that opens the database for the app, the tests and the benchmarks: the adapter,
// the migrations, and the Prisma client over them.
import { type DriverAdapterOptions, openDriverAdapter } from "./database-adapter";
import { PrismaClient } from "./generated/client";
import { applyMigrations } from "./migrations";
import type { PriorityPool } from "./priority-pool";

export type Prisma = InstanceType<typeof PrismaClient>;

export interface Database {
  prisma: Prisma;
  /** pg.Pool with an urgent lane for the ack path (priority-pool.ts) */
  pool: PriorityPool;
  embedded: boolean;
  schema: string;
  close(): Promise<void>;
}

export async function openDatabase(options: DriverAdapterOptions): Promise<Database> {
  const adapter = await openDriverAdapter(options);
  try {
    if (options.schema && options.schema !== "public") {
      await adapter.pool.query(`CREATE SCHEMA IF NOT EXISTS "${options.schema}"`);
    }
    await applyMigrations(adapter.pool);
  } catch (error) {
    await adapter.close();
    throw error;
  }
  const prisma = new PrismaClient({ adapter: adapter.factory });
  return {
    prisma,
    pool: adapter.pool,
    embedded: adapter.embedded,
    schema: adapter.schema,
    close: async () => {
      await prisma.$disconnect();
      await adapter.close();
    },
  };
}

/** Prisma's unique-constraint violation, whichever adapter raised it. */
export function isUniqueViolation(error: unknown): boolean {
  return typeof error === "object" && error !== null && "code" in error && error.code === "P2002";
}
