// `npm run doctor` and /readyz?detail: every check of the set-up, against the live services, with
// the same configuration the app reads. One result per check; the caller prints or serves them.
import pg from "pg";
import type { SlackSettings } from "../app";
import type { Config } from "../config";
import { connectPartnerCenter } from "../partner-center/connect-partner-center";
import type { PartnerCenterApi } from "../partner-center/partner-center-api";
import { type CheckResult, failed, reason, skipped, within } from "./doctor-check";
import { graphChecks } from "./graph-checks";
import { databaseCheck, tokenCacheUpdatedAt } from "./database-checks";
import { manifestBotScopes } from "./manifest-scopes";
import { partnerCenterChecks } from "./partner-center-checks";
import { slackChecks } from "./slack-checks";
import type { SlackRequestRecord } from "./signing-secret-check";
import { SlackRequestRepository } from "../store/slack-request-repository";

export interface DoctorOptions {
  /** the Slack settings the app runs with (null: none, the app would start its local console) */
  slack: SlackSettings | null;
  /** the token cache's row (app.ts's options.tokenCacheRow) */
  tokenCacheRow: string;
  /** the running app's pool (/readyz); otherwise one is opened from DATABASE_URL and closed */
  pool?: pg.Pool;
  /** the running app's Partner Center client; otherwise one is made from the configuration */
  partnerCenter?: PartnerCenterApi;
  now?: () => number;
  /** per call */
  timeoutMs?: number;
}

const DEFAULT_TIMEOUT_MS = 10_000;

/** "PostgreSQL at host:port/db", never the password. */
function describeDatabase(url: string, schema: string): string {
  try {
    const parsed = new URL(url);
    return `PostgreSQL at ${parsed.hostname}:${parsed.port || "5432"}${parsed.pathname}${schema !== "public" ? ` (schema ${schema})` : ""}`;
  } catch {
    return "PostgreSQL (DATABASE_URL)";
  }
}

/** What the app recorded of Slack's requests, or why it cannot be read from here. */
async function slackRequests(pool: pg.Pool | undefined, databaseOk: boolean, timeoutMs: number): Promise<SlackRequestRecord> {
  if (!pool) return { unread: "the record of Slack's requests is in the embedded database, which only the running app opens: its /readyz?detail shows this check with it" };
  if (!databaseOk) return { unread: "the record of Slack's requests could not be read (see the Database check)" };
  try {
    return { rows: await within(timeoutMs, new SlackRequestRepository(pool).list()) };
  } catch (error) {
    return { unread: `the record of Slack's requests could not be read: ${reason(error)}` };
  }
}

export async function runDoctor(config: Config, options: DoctorOptions): Promise<CheckResult[]> {
  const now = options.now ?? Date.now;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const results: CheckResult[] = [];
  const closers: Array<() => Promise<void>> = [];
  try {
    let pool = options.pool;
    if (!pool && config.DATABASE_URL) {
      const own = new pg.Pool({ connectionString: config.DATABASE_URL, max: 1, connectionTimeoutMillis: timeoutMs, options: `-c search_path="${config.DATABASE_SCHEMA}"` });
      own.on("error", () => undefined);
      closers.push(() => own.end());
      pool = own;
    }
    let databaseOk = false;
    if (pool) {
      const database = await databaseCheck(pool, config.DATABASE_URL ? describeDatabase(config.DATABASE_URL, config.DATABASE_SCHEMA) : "the embedded database", timeoutMs);
      databaseOk = database.status === "ok";
      results.push(database);
    } else {
      results.push(skipped("Database", "DATABASE_URL is unset: the app uses the embedded PGlite under DATA_DIR, which only the running app may open (fine for trying, not for production or several replicas)"));
    }

    const slack = options.slack;
    if (slack) {
      results.push(
        ...(await slackChecks(
          {
            ...slack,
            signingSecret: slack.appToken ? undefined : slack.signingSecret,
            approverUserIds: config.APPROVER_USER_IDS,
            approverGroupId: config.APPROVER_USERGROUP_ID,
            operatorUserIds: config.OPERATOR_USER_IDS,
          },
          { requiredScopes: () => manifestBotScopes(), now, timeoutMs, requests: await slackRequests(pool, databaseOk, timeoutMs) },
        )),
      );
    } else {
      results.push(
        failed(
          "Slack",
          "not configured (SLACK_BOT_TOKEN, SLACK_SIGNING_SECRET or SLACK_APP_TOKEN, APPROVAL_CHANNEL_ID): the app would start its local console instead",
          "create the Slack app from manifest.yml and set those variables (docs/deploy.md, “The Slack app”)",
        ),
      );
    }

    const cacheUpdatedAt = config.TOKEN_CACHE_KEY && pool && databaseOk ? () => tokenCacheUpdatedAt(pool, options.tokenCacheRow) : undefined;
    let api = options.partnerCenter;
    if (!api && config.PARTNER_CENTER_URL) {
      try {
        // the app's own token cache, so the newest refresh token is the one tested
        const tokenCache =
          pool && databaseOk
            ? {
                load: async () => (await pool.query<{ data: string }>(`SELECT data FROM "TokenCache" WHERE key = $1`, [options.tokenCacheRow])).rows[0]?.data ?? null,
                save: async (data: string) => {
                  await pool.query(`INSERT INTO "TokenCache" (key, data, "updatedAt") VALUES ($1, $2, now()) ON CONFLICT (key) DO UPDATE SET data = $2, "updatedAt" = now()`, [options.tokenCacheRow, data]);
                },
              }
            : undefined;
        const connection = await connectPartnerCenter(config, { tokenCache });
        closers.push(() => connection.close());
        api = connection.api;
      } catch (error) {
        results.push(failed("Partner Center: credentials", reason(error), "set AZURE_TENANT_ID, AZURE_CLIENT_ID, AZURE_CLIENT_SECRET and PARTNER_CENTER_REFRESH_TOKEN (docs/deploy.md, “Entra ID and Partner Center”)"));
      }
    }
    if (api) {
      results.push(...(await partnerCenterChecks(api, { timeoutMs, now, fixedToken: Boolean(config.PARTNER_CENTER_TOKEN), cacheUpdatedAt })));
    } else if (!config.PARTNER_CENTER_URL) {
      results.push(skipped("Partner Center", "PARTNER_CENTER_URL is unset: the app starts its built-in emulator (for trying only; production sets https://api.partnercenter.microsoft.com/v1)"));
    }
    results.push(...(await graphChecks(config, timeoutMs)));
    return results;
  } finally {
    for (const close of closers.reverse()) await close().catch(() => undefined);
  }
}

/** True when nothing failed (skipped checks are notes, not failures). */
export function allPassed(results: CheckResult[]): boolean {
  return results.every((result) => result.status !== "failed");
}
