// Partner Center (the emulator with a generated partner of many customers) and Slack, in a child
// process of their own: the scan bench measures the app's peak RSS, which must not include a
// 5,000-customer world or the CSV the Slack stand-in keeps. The parent asks for the emulator's
// counters over IPC.
import { z } from "zod";
import { IN_MEMORY_DATA_DIR } from "../../src/config";
import { createLocalWorld } from "../../src/stand-ins/local-world";
import { type EmulatorStats, seedGeneratedPartner } from "../../src/stand-ins/partner-center";
import { forkServices } from "../child-services";

const request = z.object({ customers: z.number().int().positive(), latencyMs: z.number(), rpm: z.number() });
type ServicesRequest = z.infer<typeof request>;
const ready = z.object({ kind: z.literal("ready"), settings: z.record(z.string(), z.string()) });
const statsAnswer = z.object({ kind: z.literal("stats"), total: z.number(), throttled: z.number(), filesShared: z.number(), csvRows: z.number() });

export interface ScanServices {
  /** what points the app at them (a LocalWorld's settings: URLs, secrets) */
  settings: Record<string, string>;
  stats(): Promise<Omit<z.infer<typeof statsAnswer>, "kind">>;
  close(): Promise<void>;
}

export async function startScanServices(wanted: ServicesRequest): Promise<ScanServices> {
  const { child, ready: started, close } = await forkServices(__filename, wanted, ready, "scan services");
  return {
    settings: started.settings,
    stats: () =>
      new Promise((resolve, reject) => {
        child.once("message", (message: unknown) => {
          const parsed = statsAnswer.safeParse(message);
          if (parsed.success) resolve(parsed.data);
          else reject(new Error("unexpected stats message"));
        });
        child.send({ kind: "stats" });
      }),
    close,
  };
}

async function serve(wanted: ServicesRequest): Promise<void> {
  const partner = seedGeneratedPartner(wanted.customers);
  const world = await createLocalWorld({
    env: { DATA_DIR: IN_MEMORY_DATA_DIR, EMULATOR_PORT: "0" },
    emulator: { latencyMs: wanted.latencyMs, rpm: wanted.rpm, initialState: () => partner },
  });
  const { emulator, slack } = world;
  if (!emulator) throw new Error("the scan services have no emulator");
  process.send?.({ kind: "ready", settings: world.settings });
  process.on("message", () => {
    const stats: EmulatorStats = emulator.stats();
    const csv = slack.files.shared.at(-1)?.content ?? "";
    process.send?.({ kind: "stats", total: stats.total, throttled: stats.throttled, filesShared: slack.files.shared.length, csvRows: csv ? csv.trim().split("\r\n").length - 1 : 0 });
  });
  process.once("disconnect", () => {
    void world.close().then(() => process.exit(0));
  });
}

if (process.argv[2] === "--serve") {
  process.once("message", (message: unknown) => {
    const parsed = request.safeParse(message);
    if (!parsed.success) process.exit(2);
    serve(parsed.data).catch((error: unknown) => {
      console.error(error);
      process.exit(1);
    });
  });
}
