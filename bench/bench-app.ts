// Starts the whole app the way a new user runs it (embedded PGlite in memory, the Partner Center
// emulator over HTTP) in its local world (src/stand-ins/local-world.ts), for the benchmarks.
import type { Application } from "../src/app";
import { IN_MEMORY_DATA_DIR } from "../src/config";
import { createLogger } from "../src/logger";
import type { EmulatorHandle } from "../src/stand-ins/partner-center";
import { OFFBOARD_CHANNEL, OLIVIA } from "../src/stand-ins/console/console-identities";
import { type EmulatorBehaviour, type Env, LOCAL_PEOPLE, type LocalWorld, createLocalWorld, startLocalApp } from "../src/stand-ins/local-world";

/** The local world's operator (the console's Olivia) and the channel she works in. */
export const OPERATOR = OLIVIA;
export const OPS_CHANNEL = OFFBOARD_CHANNEL.id;

export interface BenchApp {
  world: LocalWorld;
  app: Application;
  emulator: EmulatorHandle;
  close(): Promise<void>;
}

export interface BenchAppOptions {
  env?: Record<string, string>;
  emulator?: EmulatorBehaviour;
  background?: boolean;
  /** where the embedded database lives; in memory unless given */
  dataDir?: string;
}

/**
 * The app's environment in the benches: free loopback ports, the local world's people, a quiet log.
 * GDAP relationships are left alone: the benches measure Slack and Partner Center.
 */
function benchEnv(options: BenchAppOptions): Env {
  return { DATA_DIR: options.dataDir ?? IN_MEMORY_DATA_DIR, PORT: "0", EMULATOR_PORT: "0", LOG_LEVEL: "warn", GRAPH_DISABLED: "true", ...LOCAL_PEOPLE, ...options.env };
}

/** Warnings and errors still reach stderr, so a failing run says why. */
function appOptions(options: BenchAppOptions) {
  return { logger: createLogger("warn", process.stderr), background: options.background ?? true };
}

/** The app as `npm start` runs it, pointed at stand-ins elsewhere (`settings`: a LocalWorld's, sent from another process). */
export function startAppAgainst(settings: Record<string, string>, options: Omit<BenchAppOptions, "emulator"> = {}): Promise<Application> {
  // a world served from another process points at its Graph stand-in; the benches leave GDAP alone
  const { GRAPH_URL: _graphUrl, GRAPH_TOKEN: _graphToken, ...rest } = settings;
  return startLocalApp({ ...benchEnv(options), ...rest }, appOptions(options));
}

/** The app with the Slack stand-in and the emulator in this process, where a bench inspects them. */
export async function startBenchApp(options: BenchAppOptions = {}): Promise<BenchApp> {
  const world = await createLocalWorld({ env: benchEnv(options), emulator: options.emulator ?? {} });
  const emulator = world.emulator;
  if (!emulator) throw new Error("the bench world has no emulator");
  let app: Application;
  try {
    app = await world.startApp(appOptions(options));
  } catch (error) {
    await world.close();
    throw error;
  }
  return {
    world,
    app,
    emulator,
    close: async () => {
      await app.close();
      await world.close();
    },
  };
}

/**
 * Waits for a Suspend-all job to end and gives the ms from `pressedAt` (Date.now() at the press)
 * to the end the job recorded: the bench's own polling (every 50 ms, a read queued behind the
 * app's writes) is not the job's time.
 */
export async function suspendAllEndedMs(app: Application, jobId: string, pressedAt: number): Promise<number> {
  for (;;) {
    const job = await app.store.jobs.get(jobId);
    if (job && job.state !== "queued" && job.state !== "running") {
      if (!job.finishedAt) throw new Error(`job ${jobId} ended (${job.state}) without a finish time`);
      return job.finishedAt.getTime() - pressedAt;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
