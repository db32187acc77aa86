// `npm run emulator`: the Partner Center emulator on its own, state under DATA_DIR.
import { dataDirOnDisk, loadConfig } from "../../config";
import { createGraphStandIn, graphMount } from "../graph";
import { startEmulator } from "./emulator-server";

async function main(): Promise<void> {
  const config = loadConfig();
  const graph = createGraphStandIn();
  const emulator = await startEmulator({ port: config.EMULATOR_PORT, host: "127.0.0.1", dataDir: dataDirOnDisk(config), mounts: [graphMount(graph)] });
  process.stdout.write(`Partner Center emulator listening: PARTNER_CENTER_URL=${emulator.url} GRAPH_URL=${emulator.origin}${graph.basePath} (controls at ${emulator.origin}/_emulator)\n`);
  const stop = () => {
    void emulator.close().then(() => process.exit(0));
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
