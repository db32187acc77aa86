// The embedded database's thread: PGlite served by pglite-socket on a Unix socket that only the
// app's user can reach (see embedded-server.ts, which starts this file as a worker thread).
import { parentPort, workerData } from "node:worker_threads";
import { PGlite } from "@electric-sql/pglite";
// pg_trgm backs the customer search's substring index (see the directory_trigram_search migration)
import { pg_trgm } from "@electric-sql/pglite/contrib/pg_trgm";
import { PGLiteSocketServer } from "@electric-sql/pglite-socket";
import { z } from "zod";
import type { EmbeddedServerMessage } from "./embedded-server";

const settings = z.object({
  /** null keeps the database in memory */
  dataDir: z.string().nullable(),
  socketPath: z.string().min(1),
  startParams: z.array(z.string()),
  maxConnections: z.number().int().positive(),
});

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

async function serve(): Promise<void> {
  const port = parentPort;
  if (!port) throw new Error("the embedded database must run in a worker thread");
  const send = (message: EmbeddedServerMessage) => port.postMessage(message);
  try {
    const { dataDir, socketPath, startParams, maxConnections } = settings.parse(workerData);
    const db = await PGlite.create({ ...(dataDir ? { dataDir } : {}), extensions: { pg_trgm }, startParams });
    const server = new PGLiteSocketServer({ db, path: socketPath, maxConnections });
    await server.start();
    // any message from the app means "close"
    port.on("message", () => {
      server
        .stop()
        .then(() => db.close())
        .then(
          () => send({ type: "closed" }),
          (error: unknown) => send({ type: "failed", message: describe(error) }),
        );
    });
    send({ type: "ready", address: server.getServerConn() });
  } catch (error) {
    send({ type: "failed", message: describe(error) });
  }
}

void serve();
