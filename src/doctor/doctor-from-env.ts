// The doctor with the configuration the app would read: its Slack settings and token cache row
// come from app.ts (here, not in doctor.ts, which app.ts imports for /readyz?detail).
import { TOKEN_CACHE_ROW, slackSettingsFrom } from "../app";
import { type Config, ConfigError, dataDirOnDisk, loadConfig } from "../config";
import { embeddedDatabaseHeld } from "../store/embedded-server";
import { type CheckResult, failed, ok } from "./doctor-check";
import { type DoctorOptions, runDoctor } from "./doctor";
import { runningAppChecks } from "./running-app";

export type ConfiguredDoctorOptions = Omit<DoctorOptions, "slack" | "tokenCacheRow">;

/** The checks for this configuration, as `npm run doctor` makes them. */
export function runConfiguredDoctor(config: Config, options: ConfiguredDoctorOptions = {}): Promise<CheckResult[]> {
  return runDoctor(config, { ...options, slack: slackSettingsFrom(config), tokenCacheRow: TOKEN_CACHE_ROW });
}

/** Checks from the environment: a configuration that does not parse is the one failure reported. */
export async function runDoctorFromEnv(env: NodeJS.ProcessEnv, options: ConfiguredDoctorOptions = {}): Promise<CheckResult[]> {
  let config: Config;
  try {
    config = loadConfig(env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    return [failed("Environment", error.message, "correct that variable (README → Configuration lists them all) and run the doctor again")];
  }
  // the embedded database open in a running app: that app has the checks with what it saw. Not
  // when this environment names no Slack app: that app runs its local console, and the set-up
  // being checked (a real workspace) is not configured yet
  const dataDir = config.DATABASE_URL || !slackSettingsFrom(config) ? undefined : dataDirOnDisk(config);
  if (dataDir && (await embeddedDatabaseHeld(dataDir))) return [ok("Environment", "parses"), ...(await runningAppChecks(dataDir, config.PORT))];
  return [ok("Environment", "parses"), ...(await runConfiguredDoctor(config, options))];
}
