// Opens the one driver adapter the app uses everywhere (adapter-pg), against either a real
// PostgreSQL (DATABASE_URL) or the embedded PGlite served on an owner-only Unix socket by
// pglite-socket in a worker thread (embedded-server.ts).
import fs from "node:fs";
import path from "node:path";
import v8 from "node:v8";
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import type { SqlDriverAdapter, SqlMigrationAwareDriverAdapterFactory } from "@prisma/driver-adapter-utils";
import { PriorityPool } from "./priority-pool";
import { EMBEDDED_SOCKET_PORT, createClusterInChildProcess, startEmbeddedServer } from "./embedded-server";

export interface DriverAdapterOptions {
  /** postgres URL; unset means the embedded PGlite database */
  databaseUrl?: string | undefined;
  /** where PGlite keeps its files; "memory://" keeps nothing (tests) */
  dataDir: string;
  /** PostgreSQL schema to work in (tests isolate themselves this way); default public */
  schema?: string | undefined;
  /** pool size for PostgreSQL; the embedded PGlite always gets one connection (see below) */
  maxConnections?: number | undefined;
  /** let the process exit while the embedded database still runs (the Prisma CLI never closes it) */
  unref?: boolean | undefined;
}

export interface OpenedAdapter {
  factory: PrismaPg;
  /** with an urgent lane for the ack path's insert (priority-pool.ts) */
  pool: PriorityPool;
  schema: string;
  embedded: boolean;
  /** the embedded database's socket directory (pg's `host`); null on PostgreSQL */
  socketDir: string | null;
  close(): Promise<void>;
}

/**
 * PGlite is PostgreSQL compiled to a 9 MB WebAssembly module. V8's optimising tier recompiles its
 * hot functions and keeps ~100 MB of code and compiler memory for them, most of the app's memory
 * budget (bench/customer-search: 318 → 221 MB peak with 100,000 customers). The baseline compiler
 * alone, compiling each function on its first call, costs ~15% in query time (typeahead p50
 * 7 → 9 ms). The flags are process-wide and read when a module is compiled, so they are set before
 * the first embedded database opens; an app on PostgreSQL never sets them.
 */
function useBaselineWasmCompiler(): void {
  v8.setFlagsFromString("--liftoff-only");
  v8.setFlagsFromString("--wasm-lazy-compilation");
}

export async function openDriverAdapter(options: DriverAdapterOptions): Promise<OpenedAdapter> {
  const schema = options.schema ?? "public";
  if (options.databaseUrl) {
    const pool = createPool({ connectionString: options.databaseUrl }, schema, options.maxConnections ?? 10);
    return {
      factory: new PrismaPg(pool, { schema }),
      pool,
      schema,
      embedded: false,
      socketDir: null,
      close: () => pool.end(),
    };
  }

  const inMemory = options.dataDir.startsWith("memory://");
  const pgliteDir = inMemory ? options.dataDir : path.resolve(options.dataDir, "pglite");
  if (!inMemory) {
    fs.mkdirSync(pgliteDir, { recursive: true, mode: 0o700 });
    // the database's files hold the audit trail: the app's user alone reads them, as PostgreSQL demands of its data directory
    fs.chmodSync(pgliteDir, 0o700);
  }
  // a new cluster is created (initdb) in a short-lived child process: initdb grows PGlite's
  // WebAssembly memory by several hundred MB, which would otherwise stay with the app for good
  if (!inMemory && !fs.existsSync(path.join(pgliteDir, "PG_VERSION"))) await createClusterInChildProcess(pgliteDir);
  useBaselineWasmCompiler();
  const server = await startEmbeddedServer(inMemory ? null : path.resolve(options.dataDir), inMemory ? null : pgliteDir);
  if (options.unref) server.worker.unref();
  // one connection: PGlite is a single session, and pglite-socket queues each protocol message on
  // its own, so two connections' Parse/Bind/Execute outside a transaction interleave and bind one
  // query's parameters to another's statement ("bind message supplies 8 parameters, but prepared
  // statement requires 6"). PGlite runs one query at a time anyway, so nothing is lost.
  const pool = createPool({ host: server.socketDir, port: EMBEDDED_SOCKET_PORT, user: "postgres", database: "postgres" }, schema, 1);
  return {
    factory: new PrismaPg(pool, { schema }),
    pool,
    schema,
    embedded: true,
    socketDir: server.socketDir,
    close: async () => {
      await pool.end();
      await server.stop();
    },
  };
}

function createPool(connection: pg.PoolConfig, schema: string, max: number): PriorityPool {
  const pool = new PriorityPool({
    ...connection,
    max,
    allowExitOnIdle: true,
    // every connection works in the chosen schema, for raw SQL as well as Prisma's queries
    options: `-c search_path="${schema}"`,
  });
  // an idle client's error (server restart) must not crash the process; the next query reconnects
  pool.on("error", () => undefined);
  return pool;
}

/**
 * The adapter factory for the Prisma CLI: opens the database only when the CLI connects
 * and closes everything when the CLI disposes the connection; the embedded server's handles are
 * unref'd because the CLI does not always dispose, and would otherwise never exit.
 */
export function cliAdapterFactory(options: DriverAdapterOptions): SqlMigrationAwareDriverAdapterFactory {
  const connectWith = async (shadow: boolean): Promise<SqlDriverAdapter> => {
    const opened = await openDriverAdapter({ ...options, unref: true });
    const adapter = shadow ? await opened.factory.connectToShadowDb() : await opened.factory.connect();
    const dispose = adapter.dispose.bind(adapter);
    adapter.dispose = async () => {
      await dispose();
      await opened.close();
    };
    return adapter;
  };
  return {
    provider: "postgres",
    adapterName: "@prisma/adapter-pg",
    connect: () => connectWith(false),
    connectToShadowDb: () => connectWith(true),
  };
}
