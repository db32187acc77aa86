// Picks the Partner Center the app talks to: the real one when PARTNER_CENTER_URL is set, else
// the emulator started in-process (state under DATA_DIR) with a static token.
import type { Config } from "../config";
import { StaticTokenProvider, tokenProviderFromConfig } from "./auth";
import { startEmulator, type EmulatorHandle } from "./emulator";
import type { PartnerCenterApi } from "./partner-center-api";
import { PartnerCenterRestClient, type Logger } from "./rest-client";

export interface PartnerCenterConnection {
  api: PartnerCenterApi;
  /** for the start-up log line; never contains a secret */
  description: string;
  /** present when the embedded emulator is used */
  emulator?: EmulatorHandle | undefined;
  close(): Promise<void>;
}

type FactoryConfig = Pick<Config, "PARTNER_CENTER_URL" | "EMULATOR_PORT" | "PARTNER_CENTER_RPM" | "DATA_DIR" | "SUSPEND_CONCURRENCY"> &
  Partial<Pick<Config, "PARTNER_CENTER_TOKEN" | "AZURE_TENANT_ID" | "AZURE_CLIENT_ID" | "AZURE_CLIENT_SECRET" | "PARTNER_CENTER_REFRESH_TOKEN">>;

export async function connectPartnerCenter(config: FactoryConfig, logger?: Logger): Promise<PartnerCenterConnection> {
  const common = { logger, rpm: config.PARTNER_CENTER_RPM, maxConcurrent: Math.max(1, config.SUSPEND_CONCURRENCY) };
  if (config.PARTNER_CENTER_URL) {
    const client = new PartnerCenterRestClient({ baseUrl: config.PARTNER_CENTER_URL, tokens: tokenProviderFromConfig(config), ...common });
    return { api: client, description: config.PARTNER_CENTER_URL, close: () => client.close() };
  }
  // an in-memory database gets an in-memory emulator: nothing is written to disk
  const dataDir = config.DATA_DIR.startsWith("memory://") ? undefined : config.DATA_DIR;
  const emulator = await startEmulator({ port: config.EMULATOR_PORT, host: "127.0.0.1", dataDir });
  const client = new PartnerCenterRestClient({ baseUrl: emulator.url, tokens: new StaticTokenProvider(config.PARTNER_CENTER_TOKEN ?? "emulator"), ...common });
  return {
    api: client,
    description: `embedded emulator at ${emulator.url}`,
    emulator,
    close: async () => {
      await client.close();
      await emulator.close();
    },
  };
}
