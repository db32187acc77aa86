// Picks the Partner Center the app talks to: the real one when PARTNER_CENTER_URL is set, else a
// local stand-in that the composition root passes in (the production client never imports one),
// reached with a static token.
import { type Config, dataDirOnDisk } from "../config";
import type { Logger } from "../logger";
import { StaticTokenProvider, type TokenProvider, tokenProblem, tokenProviderFromConfig } from "./auth";
import type { PartnerCenterApi } from "./partner-center-api";
import type { CallMetrics } from "./http-transport";
import { PartnerCenterRestClient } from "./rest-client";
import type { TokenCacheStore } from "./token-cache-plugin";

/** A Partner Center running locally (the emulator), as far as the app needs to know it. */
export interface LocalPartnerCenter {
  /** base URL including /v1 */
  url: string;
  /** for the start-up log line */
  description: string;
  /** Graph's v1.0 root when the local Partner Center serves the Graph stand-in too */
  graphUrl?: string | undefined;
  close(): Promise<void>;
}

/** Starts a local Partner Center; dataDir undefined keeps its state in memory. */
export type LocalPartnerCenterStarter = (settings: { port: number; dataDir: string | undefined }) => Promise<LocalPartnerCenter>;

export interface PartnerCenterConnection {
  api: PartnerCenterApi;
  /** for the start-up log line; never contains a secret */
  description: string;
  /**
   * What an admin must know about the credentials, in plain words: no App+User token can be had
   * (removal and the relink link will fail), or the token cache is not kept between runs.
   */
  credentialWarnings(): Promise<string[]>;
  /** the local Partner Center's Graph stand-in (v1.0 root), when one was started */
  localGraphUrl?: string | undefined;
  close(): Promise<void>;
}

type ConnectConfig = Pick<Config, "PARTNER_CENTER_URL" | "EMULATOR_PORT" | "PARTNER_CENTER_RPM" | "DATA_DIR" | "SUSPEND_CONCURRENCY"> &
  Partial<Pick<Config, "PARTNER_CENTER_TOKEN" | "AZURE_TENANT_ID" | "AZURE_CLIENT_ID" | "AZURE_CLIENT_SECRET" | "PARTNER_CENTER_REFRESH_TOKEN" | "TOKEN_CACHE_KEY">>;

export interface ConnectOptions {
  logger?: Logger;
  /** where each Partner Center call is counted (the app's /metrics) */
  metrics?: CallMetrics;
  /** used when PARTNER_CENTER_URL is unset; without it, an unset URL is an error */
  startLocal?: LocalPartnerCenterStarter;
  /** where MSAL's token cache is kept (sealed with TOKEN_CACHE_KEY) */
  tokenCache?: TokenCacheStore;
}

const NO_CACHE_KEY =
  "TOKEN_CACHE_KEY is not set: the App+User refresh token lives only in memory, so after a restart the one in PARTNER_CENTER_REFRESH_TOKEN is used, and it stops working once Entra ID has replaced it or 90 days pass unused.";

/** Warnings about the credentials: a missing cache key (static), and whether an App+User token can be had now. */
function credentialWarnings(tokens: TokenProvider, staticWarnings: string[]): () => Promise<string[]> {
  return async () => {
    const problem = await tokenProblem(tokens, "app_user");
    return problem ? [...staticWarnings, `No App+User token can be had, so removals and the relink link will fail: ${problem}`] : [...staticWarnings];
  };
}

export async function connectPartnerCenter(config: ConnectConfig, options: ConnectOptions = {}): Promise<PartnerCenterConnection> {
  const common = { logger: options.logger, metrics: options.metrics, rpm: config.PARTNER_CENTER_RPM, maxConcurrent: Math.max(1, config.SUSPEND_CONCURRENCY) };
  if (config.PARTNER_CENTER_URL) {
    const problems: string[] = [];
    const cache = options.tokenCache
      ? {
          store: options.tokenCache,
          onUnreadable: (why: string) => {
            options.logger?.warn({}, why);
            if (!problems.includes(why)) problems.push(why);
          },
        }
      : undefined;
    const tokens = tokenProviderFromConfig(config, cache);
    const usesMsal = !config.PARTNER_CENTER_TOKEN;
    const staticWarnings = usesMsal && !config.TOKEN_CACHE_KEY ? [NO_CACHE_KEY] : [];
    const client = new PartnerCenterRestClient({ baseUrl: config.PARTNER_CENTER_URL, tokens, ...common });
    const warnings = credentialWarnings(tokens, staticWarnings);
    return { api: client, description: config.PARTNER_CENTER_URL, credentialWarnings: async () => [...(await warnings()), ...problems], close: () => client.close() };
  }
  if (!options.startLocal) throw new Error("PARTNER_CENTER_URL is not set and no local Partner Center was provided");
  // an in-memory database gets an in-memory emulator: nothing is written to disk
  const dataDir = dataDirOnDisk(config);
  const local = await options.startLocal({ port: config.EMULATOR_PORT, dataDir });
  const tokens = new StaticTokenProvider(config.PARTNER_CENTER_TOKEN ?? "emulator");
  const client = new PartnerCenterRestClient({ baseUrl: local.url, tokens, ...common });
  return {
    api: client,
    description: local.description,
    credentialWarnings: credentialWarnings(tokens, []),
    localGraphUrl: local.graphUrl,
    close: async () => {
      await client.close();
      await local.close();
    },
  };
}
