// `npm run emulator`: the Partner Center emulator on its own, state under DATA_DIR.
import { dataDirOnDisk, loadConfig } from "../../config";
import { startEmulator } from "./emulator-server";

async function main(): Promise<void> {
  const config = loadConfig();
  const emulator = await startEmulator({ port: config.EMULATOR_PORT, host: "127.0.0.1", dataDir: dataDirOnDisk(config) });
  process.stdout.write(`Partner Center emulator listening: PARTNER_CENTER_URL=${emulator.url} (controls at ${emulator.origin}/_emulator)\n`);
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
