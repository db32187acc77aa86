// Opens the one driver adapter the app uses everywhere (adapter-pg), against either a real
// PostgreSQL (DATABASE_URL) or the embedded PGlite served on a loopback port by pglite-socket.
import { execFile } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import v8 from "node:v8";
import { PGlite } from "@electric-sql/pglite";
import { pg_trgm } from "@electric-sql/pglite/contrib/pg_trgm";
import { PGLiteSocketServer } from "@electric-sql/pglite-socket";
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import type { SqlDriverAdapter, SqlMigrationAwareDriverAdapterFactory } from "@prisma/driver-adapter-utils";

export interface DriverAdapterOptions {
  /** postgres URL; unset means the embedded PGlite database */
  databaseUrl?: string | undefined;
  /** where PGlite keeps its files; "memory://" keeps nothing (tests) */
  dataDir: string;
  /** PostgreSQL schema to work in (tests isolate themselves this way); default public */
  schema?: string | undefined;
  /** pool size for PostgreSQL; the embedded PGlite always gets one connection (see below) */
  maxConnections?: number | undefined;
  /** let the process exit while the embedded server still listens (the Prisma CLI never closes it) */
  unref?: boolean | undefined;
}

export interface OpenedAdapter {
  factory: PrismaPg;
  pool: pg.Pool;
  schema: string;
  embedded: boolean;
  close(): Promise<void>;
}

const EMBEDDED_CONNECTIONS = 20;

// PostgreSQL's defaults (128 MB shared buffers) are sized for a server; the embedded database
// holds one partner's data and shares the app's process and memory budget
const EMBEDDED_START_PARAMS = [...PGlite.defaultStartParams, "-c", "shared_buffers=16MB", "-c", "work_mem=4MB", "-c", "maintenance_work_mem=16MB"];

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

function createClusterInChildProcess(dataDir: string): Promise<void> {
  const script = "const { PGlite } = require(process.argv[1]); PGlite.create({ dataDir: process.argv[2] }).then((db) => db.close()).catch((e) => { console.error(e && e.message ? e.message : String(e)); process.exit(1); });";
  return new Promise((resolve, reject) => {
    execFile(process.execPath, ["-e", script, require.resolve("@electric-sql/pglite"), dataDir], (error, _stdout, stderr) => {
      if (error) reject(new Error(`could not create the embedded database in ${dataDir}: ${stderr.trim() || error.message}`));
      else resolve();
    });
  });
}

export async function openDriverAdapter(options: DriverAdapterOptions): Promise<OpenedAdapter> {
  const schema = options.schema ?? "public";
  if (options.databaseUrl) {
    const pool = createPool(options.databaseUrl, schema, options.maxConnections ?? 10);
    return {
      factory: new PrismaPg(pool, { schema }),
      pool,
      schema,
      embedded: false,
      close: () => pool.end(),
    };
  }

  const inMemory = options.dataDir.startsWith("memory://");
  const pgliteDir = inMemory ? options.dataDir : path.resolve(options.dataDir, "pglite");
  if (!inMemory) fs.mkdirSync(pgliteDir, { recursive: true });
  // pg_trgm backs the customer search's substring index (see the directory_trigram_search migration)
  // a new cluster is created (initdb) in a short-lived child process: initdb grows PGlite's
  // WebAssembly memory by several hundred MB, which would otherwise stay with the app for good
  if (!inMemory && !fs.existsSync(path.join(pgliteDir, "PG_VERSION"))) await createClusterInChildProcess(pgliteDir);
  useBaselineWasmCompiler();
  const db = await PGlite.create({ ...(inMemory ? {} : { dataDir: pgliteDir }), extensions: { pg_trgm }, startParams: EMBEDDED_START_PARAMS });
  // port 0: the OS picks a free loopback port, so two embedded instances never collide
  const server = new PGLiteSocketServer({ db, host: "127.0.0.1", port: 0, maxConnections: EMBEDDED_CONNECTIONS });
  await server.start();
  if (options.unref) unrefListener(server);
  const url = `postgresql://postgres@${server.getServerConn()}/postgres?sslmode=disable`;
  // one connection: PGlite is a single session, and pglite-socket queues each protocol message on
  // its own, so two connections' Parse/Bind/Execute outside a transaction interleave and bind one
  // query's parameters to another's statement ("bind message supplies 8 parameters, but prepared
  // statement requires 6"). PGlite runs one query at a time anyway, so nothing is lost.
  const pool = createPool(url, schema, 1);
  return {
    factory: new PrismaPg(pool, { schema }),
    pool,
    schema,
    embedded: true,
    close: async () => {
      await pool.end();
      await server.stop();
      await db.close();
    },
  };
}

function createPool(connectionString: string, schema: string, max: number): pg.Pool {
  const pool = new pg.Pool({
    connectionString,
    max,
    allowExitOnIdle: true,
    // every connection works in the chosen schema, for raw SQL as well as Prisma's queries
    options: `-c search_path="${schema}"`,
  });
  // an idle client's error (server restart) must not crash the process; the next query reconnects
  pool.on("error", () => undefined);
  return pool;
}

function unrefListener(server: PGLiteSocketServer): void {
  // pglite-socket keeps its net.Server private; reach it without widening to any
  const inner: unknown = Reflect.get(server, "server");
  if (inner instanceof net.Server) {
    inner.unref();
    inner.on("connection", (socket: net.Socket) => socket.unref());
  }
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
