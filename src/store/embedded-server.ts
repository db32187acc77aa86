// Starts the embedded PGlite database in a worker thread, served on a Unix socket in a directory
// only the app's user may enter. pglite-socket logs any client in as a superuser whatever user
// name and password it gives, so on a loopback port every local process could read and change
// the audit trail; a socket in an owner-only directory is reached by the app's own user alone,
// the same user that owns the database's files.
import { execFile } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { Worker } from "node:worker_threads";
import { PGlite } from "@electric-sql/pglite";
import { z } from "zod";

/** the file name pg looks for in a socket directory for port 5432 */
export const EMBEDDED_SOCKET_PORT = 5432;
const SOCKET_NAME = `.s.PGSQL.${EMBEDDED_SOCKET_PORT}`;
// Linux keeps a socket's path in 108 bytes; a deeper DATA_DIR gets a private temporary directory
const MAX_SOCKET_PATH = 100;
const EMBEDDED_CONNECTIONS = 20;

// PostgreSQL's defaults (128 MB shared buffers) are sized for a server; the embedded database
// holds one partner's data and shares the app's process and memory budget
const EMBEDDED_START_PARAMS = [...PGlite.defaultStartParams, "-c", "shared_buffers=16MB", "-c", "work_mem=4MB", "-c", "maintenance_work_mem=16MB"];

const serverMessage = z.discriminatedUnion("type", [
  z.object({ type: z.literal("ready"), address: z.string() }),
  z.object({ type: z.literal("closed") }),
  z.object({ type: z.literal("failed"), message: z.string() }),
]);
export type EmbeddedServerMessage = z.infer<typeof serverMessage>;

export interface EmbeddedServer {
  worker: Worker;
  /** the directory holding the socket: pg's `host` for a Unix socket */
  socketDir: string;
  stop(): Promise<void>;
}

/** Makes `dir` a directory only its owner may enter, and checks that we are that owner. */
function ownerOnlyDirectory(dir: string): void {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const stat = fs.lstatSync(dir);
  if (!stat.isDirectory()) throw new Error(`${dir} must be a directory`);
  if (typeof process.getuid === "function" && stat.uid !== process.getuid()) throw new Error(`${dir} belongs to another user`);
  // an existing directory keeps its mode: set it, whatever the umask or an earlier run left
  fs.chmodSync(dir, 0o700);
}

function answersConnections(socketPath: string): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(socketPath);
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

/**
 * Whether a running app holds the embedded database in `dataDir`: its socket there answers. False
 * too when the socket cannot be there (DATA_DIR's path too long for one): nothing can tell then.
 */
export async function embeddedDatabaseHeld(dataDir: string): Promise<boolean> {
  const socketPath = path.join(dataDir, "socket", SOCKET_NAME);
  return socketPath.length <= MAX_SOCKET_PATH && fs.existsSync(socketPath) && (await answersConnections(socketPath));
}

/**
 * Where the socket goes: DATA_DIR/socket for a database on disk, a fresh private temporary
 * directory for one in memory (or when DATA_DIR's path is too long for a socket).
 */
async function socketDirectory(dataDir: string | null): Promise<{ dir: string; temporary: boolean }> {
  const dir = dataDir ? path.join(dataDir, "socket") : null;
  if (dir && path.join(dir, SOCKET_NAME).length <= MAX_SOCKET_PATH) {
    ownerOnlyDirectory(dir);
    const socketPath = path.join(dir, SOCKET_NAME);
    if (fs.existsSync(socketPath)) {
      // PGlite's files take one process: a second one on them would corrupt the database
      if (await answersConnections(socketPath)) throw new Error(`the embedded database in ${dataDir} is already open in another process`);
      // left behind by a process that was killed
      fs.rmSync(socketPath, { force: true });
    }
    return { dir, temporary: false };
  }
  // mkdtemp creates the directory with mode 0700
  return { dir: fs.mkdtempSync(path.join(os.tmpdir(), "reseller-offboarding-db-")), temporary: true };
}

/** Creates a new cluster (initdb) in a short-lived child process, which keeps initdb's memory. */
export function createClusterInChildProcess(pgliteDir: string): Promise<void> {
  const script = "const { PGlite } = require(process.argv[1]); PGlite.create({ dataDir: process.argv[2] }).then((db) => db.close()).catch((e) => { console.error(e && e.message ? e.message : String(e)); process.exit(1); });";
  return new Promise((resolve, reject) => {
    execFile(process.execPath, ["-e", script, require.resolve("@electric-sql/pglite"), pgliteDir], (error, _stdout, stderr) => {
      if (error) reject(new Error(`could not create the embedded database in ${pgliteDir}: ${stderr.trim() || error.message}`));
      else resolve();
    });
  });
}

/**
 * The worker's code, compiled (dist/, `npm start`) or TypeScript (ts-jest and tsx run the
 * sources): a worker thread cannot borrow ts-jest's compiler, so it loads tsx's require hook.
 */
function workerEntry(): { file: string; execArgv?: string[] } {
  if (path.extname(__filename) === ".ts") {
    return { file: path.join(__dirname, "embedded-database-worker.ts"), execArgv: ["--require", require.resolve("tsx/cjs")] };
  }
  return { file: path.join(__dirname, "embedded-database-worker.js") };
}

function nextMessage(worker: Worker): Promise<EmbeddedServerMessage> {
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

/**
 * PGlite runs each query synchronously on the thread that owns it. On the app's main thread that
 * held up Slack's requests behind database work (at 200 requests/s a fifth of the main thread's
 * time, in chunks of up to 50 ms); in a worker thread the database gets the second core and the
 * main thread only speaks the wire protocol, as it does with a real PostgreSQL.
 *
 * @param dataDir DATA_DIR (the socket's home), null for a database in memory
 * @param pgliteDir PGlite's files, null for a database in memory
 */
export async function startEmbeddedServer(dataDir: string | null, pgliteDir: string | null): Promise<EmbeddedServer> {
  const socket = await socketDirectory(dataDir);
  const removeTemporary = () => {
    if (socket.temporary) fs.rmSync(socket.dir, { recursive: true, force: true });
  };
  const entry = workerEntry();
  const worker = new Worker(entry.file, {
    ...(entry.execArgv ? { execArgv: entry.execArgv } : {}),
    workerData: { dataDir: pgliteDir, socketPath: path.join(socket.dir, SOCKET_NAME), startParams: EMBEDDED_START_PARAMS, maxConnections: EMBEDDED_CONNECTIONS },
  });
  const first = await nextMessage(worker).catch(async (error: unknown) => {
    await worker.terminate();
    removeTemporary();
    throw error;
  });
  if (first.type !== "ready") {
    await worker.terminate();
    removeTemporary();
    throw new Error(`could not open the embedded database${pgliteDir ? ` in ${pgliteDir}` : ""}: ${first.type === "failed" ? first.message : "no answer"}`);
  }
  // the socket is created with the umask's mode; the directory already keeps others out
  fs.chmodSync(first.address, 0o600);
  return {
    worker,
    socketDir: socket.dir,
    stop: async () => {
      const closed = nextMessage(worker);
      worker.postMessage({ type: "close" });
      const last = await closed.catch((error: unknown) => ({ type: "failed" as const, message: String(error) }));
      await worker.terminate();
      removeTemporary();
      if (last.type === "failed") throw new Error(`the embedded database did not close cleanly: ${last.message}`);
    },
  };
}
