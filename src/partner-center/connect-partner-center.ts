// Picks the Partner Center the app talks to: the real one when PARTNER_CENTER_URL is set, else a
// local stand-in that the composition root passes in (the production client never imports one),
// reached with a static token.
import type { Config } from "../config";
import { StaticTokenProvider, tokenProviderFromConfig } from "./auth";
import type { PartnerCenterApi } from "./partner-center-api";
import { PartnerCenterRestClient, type Logger } from "./rest-client";

/** A Partner Center running locally (the emulator), as far as the app needs to know it. */
export interface LocalPartnerCenter {
  /** base URL including /v1 */
  url: string;
  /** for the start-up log line */
  description: string;
  close(): Promise<void>;
}

/** Starts a local Partner Center; dataDir undefined keeps its state in memory. */
export type LocalPartnerCenterStarter = (settings: { port: number; dataDir: string | undefined }) => Promise<LocalPartnerCenter>;

export interface PartnerCenterConnection {
  api: PartnerCenterApi;
  /** for the start-up log line; never contains a secret */
  description: string;
  close(): Promise<void>;
}

type ConnectConfig = Pick<Config, "PARTNER_CENTER_URL" | "EMULATOR_PORT" | "PARTNER_CENTER_RPM" | "DATA_DIR" | "SUSPEND_CONCURRENCY"> &
  Partial<Pick<Config, "PARTNER_CENTER_TOKEN" | "AZURE_TENANT_ID" | "AZURE_CLIENT_ID" | "AZURE_CLIENT_SECRET" | "PARTNER_CENTER_REFRESH_TOKEN">>;

export interface ConnectOptions {
  logger?: Logger;
  /** used when PARTNER_CENTER_URL is unset; without it, an unset URL is an error */
  startLocal?: LocalPartnerCenterStarter;
}

export async function connectPartnerCenter(config: ConnectConfig, options: ConnectOptions = {}): Promise<PartnerCenterConnection> {
  const common = { logger: options.logger, rpm: config.PARTNER_CENTER_RPM, maxConcurrent: Math.max(1, config.SUSPEND_CONCURRENCY) };
  if (config.PARTNER_CENTER_URL) {
    const client = new PartnerCenterRestClient({ baseUrl: config.PARTNER_CENTER_URL, tokens: tokenProviderFromConfig(config), ...common });
    return { api: client, description: config.PARTNER_CENTER_URL, close: () => client.close() };
  }
  if (!options.startLocal) throw new Error("PARTNER_CENTER_URL is not set and no local Partner Center was provided");
  // an in-memory database gets an in-memory emulator: nothing is written to disk
  const dataDir = config.DATA_DIR.startsWith("memory://") ? undefined : config.DATA_DIR;
  const local = await options.startLocal({ port: config.EMULATOR_PORT, dataDir });
  const client = new PartnerCenterRestClient({ baseUrl: local.url, tokens: new StaticTokenProvider(config.PARTNER_CENTER_TOKEN ?? "emulator"), ...common });
  return {
    api: client,
    description: local.description,
    close: async () => {
      await client.close();
      await local.close();
    },
  };
}
