// The whole environment, validated once at start-up. A bad value stops the app with one line
// that names the variable and what is wrong with it.
import { z } from "zod";

const idList = z
  .string()
  .optional()
  .transform((value) => (value ?? "").split(",").map((id) => id.trim()).filter(Boolean));

const postgresUrl = z
  .string()
  .regex(/^postgres(ql)?:\/\//, "must be a postgres:// or postgresql:// URL");

const port = z.coerce.number({ error: "must be a port number from 0 to 65535" }).int("must be a port number from 0 to 65535").min(0, "must be a port number from 0 to 65535").max(65535, "must be a port number from 0 to 65535");
const optionalText = z.string().trim().min(1).optional();

/**
 * DATA_DIR's value for "keep nothing on disk" (PGlite's own in-memory URL). Every spelling that
 * starts with `memory:` is read as this one, here, so no code path takes it for a folder name.
 */
export const IN_MEMORY_DATA_DIR = "memory://";

// an explicit true or false, as .env files write them; anything else is a mistake worth naming
const flag = z
  .string()
  .trim()
  .toLowerCase()
  .pipe(z.enum(["true", "false", "1", "0", "yes", "no"], { error: "must be true or false" }))
  .transform((value) => value === "true" || value === "1" || value === "yes");

/** Graph's v1.0 root: the GDAP calls and their answers are v1.0's (beta's differ). */
const graphUrl = z.url().refine((value) => URL.canParse(value) && /\/v1\.0\/?$/.test(new URL(value).pathname), "must be Microsoft Graph's v1.0 root, e.g. https://graph.microsoft.com/v1.0");

export const configSchema = z.object({
  DATA_DIR: z
    .string()
    .min(1)
    .default("./data")
    .transform((dir) => (/^memory:/i.test(dir) ? IN_MEMORY_DATA_DIR : dir)),
  DATABASE_URL: postgresUrl.optional(),
  /** PostgreSQL schema the app works in; lets several deployments (or test runs) share a database */
  DATABASE_SCHEMA: z.string().regex(/^[a-z_][a-z0-9_]{0,62}$/, "must be a lower-case PostgreSQL identifier").default("public"),
  PORT: port.default(3000),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),

  PARTNER_CENTER_URL: z.url().optional(),
  EMULATOR_PORT: port.default(4010),
  PARTNER_CENTER_RPM: z.coerce.number().int().positive().default(450),
  PARTNER_CENTER_TOKEN: optionalText,
  AZURE_TENANT_ID: optionalText,
  AZURE_CLIENT_ID: optionalText,
  AZURE_CLIENT_SECRET: optionalText,
  PARTNER_CENTER_REFRESH_TOKEN: optionalText,
  /** seals MSAL's token cache in the database: 32 bytes as base64 or hex (openssl rand -base64 32) */
  TOKEN_CACHE_KEY: z
    .string()
    .trim()
    .regex(/^([0-9a-fA-F]{64}|[A-Za-z0-9+/_-]{43}=?)$/, "must be 32 bytes written as base64 or hex (openssl rand -base64 32)")
    .optional(),

  /** Microsoft Graph for GDAP relationships; unset with no PARTNER_CENTER_URL: the local stand-in */
  GRAPH_URL: graphUrl.optional(),
  /** true: the app neither reads nor ends GDAP relationships (the partner manages them elsewhere) */
  GRAPH_DISABLED: flag.default(false),
  /** a fixed bearer token for GRAPH_URL (a stand-in); unset: MSAL with the AZURE_* credentials */
  GRAPH_TOKEN: optionalText,

  SLACK_SIGNING_SECRET: optionalText,
  SLACK_BOT_TOKEN: z.string().regex(/^xoxb-/, "must be a bot token starting with xoxb-").optional(),
  SLACK_APP_TOKEN: z.string().regex(/^xapp-/, "must be an app-level token starting with xapp-").optional(),
  SLACK_API_URL: z.url().optional(),
  APPROVAL_CHANNEL_ID: optionalText,
  APPROVER_USER_IDS: idList,
  APPROVER_USERGROUP_ID: optionalText,
  OPERATOR_USER_IDS: idList,
  /** a user group whose members operate, besides OPERATOR_USER_IDS; with neither, every full member does */
  OPERATOR_USERGROUP_ID: optionalText,
  /** where a case message goes when the app cannot post where /offboard was typed; unset: a DM with the operator */
  DEFAULT_CASE_CHANNEL_ID: optionalText,

  APPROVAL_TTL_HOURS: z.coerce.number().positive().max(24 * 30).default(24),
  DIRECTORY_SYNC_MINUTES: z.coerce.number().positive().default(15),
  SUSPEND_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(8),
  /** customers the portfolio scan reads at once (its calls wait behind every interactive call) */
  SCAN_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(4),
  /** how long a Suspend-all job stays claimed without renewal: a dead process's job is taken over after this */
  JOB_LEASE_SECONDS: z.coerce.number().positive().max(3600).default(30),
  /** how often awaiting-approval requests past their expiry are expired (and their messages updated) */
  EXPIRY_SWEEP_SECONDS: z.coerce.number().positive().max(3600).default(60),
});

export type Config = z.infer<typeof configSchema>;

/** The folder the app and its local stand-ins may write to; undefined when DATA_DIR is in memory. */
export function dataDirOnDisk(config: Pick<Config, "DATA_DIR">): string | undefined {
  return config.DATA_DIR === IN_MEMORY_DATA_DIR ? undefined : config.DATA_DIR;
}

export class ConfigError extends Error {
  override name = "ConfigError";
}

/** Parses the environment; throws a ConfigError whose message is a single readable line. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  // empty (or blank) strings mean "unset", as in most .env files; a blank number would otherwise
  // coerce to 0 (PORT=" " listening on a random port)
  const present = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value.trim() !== ""));
  const parsed = configSchema.safeParse(present);
  if (parsed.success) {
    const config = parsed.data;
    if (config.SLACK_BOT_TOKEN && !config.SLACK_SIGNING_SECRET && !config.SLACK_APP_TOKEN) {
      throw new ConfigError("SLACK_SIGNING_SECRET: required when SLACK_BOT_TOKEN is set (or set SLACK_APP_TOKEN for Socket Mode)");
    }
    if (config.SLACK_BOT_TOKEN && !config.APPROVAL_CHANNEL_ID) {
      throw new ConfigError("APPROVAL_CHANNEL_ID: required when SLACK_BOT_TOKEN is set, so approval requests have somewhere to go");
    }
    if (config.GRAPH_DISABLED && config.GRAPH_URL) {
      throw new ConfigError("GRAPH_URL: set while GRAPH_DISABLED=true; unset one of them");
    }
    // a real (or separately run) Partner Center with no word on Graph: ending GDAP relationships
    // through a guessed endpoint is not something to do by default
    if (config.PARTNER_CENTER_URL && !config.GRAPH_URL && !config.GRAPH_DISABLED) {
      throw new ConfigError("GRAPH_URL: required when PARTNER_CENTER_URL is set (https://graph.microsoft.com/v1.0), or set GRAPH_DISABLED=true to leave GDAP relationships alone");
    }
    return config;
  }
  const issue = parsed.error.issues[0];
  const name = issue?.path.join(".") ?? "environment";
  if (issue?.code === "invalid_type" && issue.expected === "number") throw new ConfigError(`${name}: must be a number`);
  // never echo the value: it may be a secret
  throw new ConfigError(`${name}: ${issue?.message ?? "invalid"}`);
}
