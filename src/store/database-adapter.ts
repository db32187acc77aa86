// Opens the one driver adapter the app uses everywhere (adapter-pg), against either a real
// PostgreSQL (DATABASE_URL) or the embedded PGlite served on a loopback port by pglite-socket.
import { execFile } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import v8 from "node:v8";
import { Worker } from "node:worker_threads";
import { PGlite } from "@electric-sql/pglite";
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { z } from "zod";
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
  /** let the process exit while the embedded database still runs (the Prisma CLI never closes it) */
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
  // a new cluster is created (initdb) in a short-lived child process: initdb grows PGlite's
  // WebAssembly memory by several hundred MB, which would otherwise stay with the app for good
  if (!inMemory && !fs.existsSync(path.join(pgliteDir, "PG_VERSION"))) await createClusterInChildProcess(pgliteDir);
  useBaselineWasmCompiler();
  const server = await startEmbeddedServer(inMemory ? null : pgliteDir);
  if (options.unref) server.worker.unref();
  const url = `postgresql://postgres@${server.address}/postgres?sslmode=disable`;
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

/**
 * PGlite runs each query synchronously on the thread that owns it. On the app's main thread that
 * held up Slack's requests behind database work: at 200 requests/s a fifth of the main thread's
 * time was PGlite, in chunks of up to 50 ms, and ack p99 went past 50 ms. In a worker thread the
 * database gets the second core and the main thread only speaks the wire protocol, as it does
 * with a real PostgreSQL. The worker is this small script rather than a module of ours because it
 * must also start under ts-jest, which can transpile our TypeScript in this thread but not in a
 * worker; messages coming back are checked with zod.
 */
const EMBEDDED_SERVER_SCRIPT = `
const { parentPort, workerData } = require("node:worker_threads");
const { PGlite } = require(workerData.modules.pglite);
// pg_trgm backs the customer search's substring index (see the directory_trigram_search migration)
const { pg_trgm } = require(workerData.modules.pgTrgm);
const { PGLiteSocketServer } = require(workerData.modules.socket);
(async () => {
  const db = await PGlite.create({ ...(workerData.dataDir ? { dataDir: workerData.dataDir } : {}), extensions: { pg_trgm }, startParams: workerData.startParams });
  // port 0: the OS picks a free loopback port, so two embedded instances never collide
  const server = new PGLiteSocketServer({ db, host: "127.0.0.1", port: 0, maxConnections: workerData.maxConnections });
  await server.start();
  parentPort.on("message", () => {
    server.stop().then(() => db.close()).then(() => parentPort.postMessage({ type: "closed" }), (e) => parentPort.postMessage({ type: "failed", message: String(e && e.message || e) }));
  });
  parentPort.postMessage({ type: "ready", address: server.getServerConn() });
})().catch((e) => parentPort.postMessage({ type: "failed", message: String(e && e.message || e) }));
`;

const serverMessage = z.discriminatedUnion("type", [
  z.object({ type: z.literal("ready"), address: z.string() }),
  z.object({ type: z.literal("closed") }),
  z.object({ type: z.literal("failed"), message: z.string() }),
]);
type ServerMessage = z.infer<typeof serverMessage>;

interface EmbeddedServer {
  worker: Worker;
  /** host:port of the socket server */
  address: string;
  stop(): Promise<void>;
}

function nextMessage(worker: Worker): Promise<ServerMessage> {
  return new Promise((resolve, reject) => {
    const onMessage = (raw: unknown) => {
      cleanup();
      const parsed = serverMessage.safeParse(raw);
      if (parsed.success) resolve(parsed.data);
      else reject(new Error("the embedded database sent a message it should not"));
    };
    const onError = (error: Error) => {
      cleanup();
      reject(error);
    };
    const onExit = (code: number) => {
      cleanup();
      reject(new Error(`the embedded database stopped (exit code ${code})`));
    };
    const cleanup = () => {
      worker.off("message", onMessage);
      worker.off("error", onError);
      worker.off("exit", onExit);
    };
    worker.on("message", onMessage);
    worker.on("error", onError);
    worker.on("exit", onExit);
  });
}

async function startEmbeddedServer(dataDir: string | null): Promise<EmbeddedServer> {
  const worker = new Worker(EMBEDDED_SERVER_SCRIPT, {
    eval: true,
    workerData: {
      dataDir,
      startParams: EMBEDDED_START_PARAMS,
      maxConnections: EMBEDDED_CONNECTIONS,
      modules: {
        pglite: require.resolve("@electric-sql/pglite"),
        pgTrgm: require.resolve("@electric-sql/pglite/contrib/pg_trgm"),
        socket: require.resolve("@electric-sql/pglite-socket"),
      },
    },
  });
  const first = await nextMessage(worker).catch(async (error: unknown) => {
    await worker.terminate();
    throw error;
  });
  if (first.type !== "ready") {
    await worker.terminate();
    throw new Error(`could not open the embedded database${dataDir ? ` in ${dataDir}` : ""}: ${first.type === "failed" ? first.message : "no answer"}`);
  }
  return {
    worker,
    address: first.address,
    stop: async () => {
      const closed = nextMessage(worker);
      worker.postMessage({ type: "close" });
      const last = await closed.catch((error: unknown) => ({ type: "failed" as const, message: String(error) }));
      await worker.terminate();
      if (last.type === "failed") throw new Error(`the embedded database did not close cleanly: ${last.message}`);
    },
  };
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
