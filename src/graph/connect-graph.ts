// Picks the Microsoft Graph the app ends GDAP relationships through: none when GRAPH_DISABLED,
// the one GRAPH_URL names (MSAL client credentials, or GRAPH_TOKEN for a stand-in), else the
// local stand-in the local Partner Center brought along. The production client never imports it.
import type { Config } from "../config";
import type { Logger } from "../logger";
import { StaticTokenProvider, type TokenProvider } from "../partner-center/auth";
import type { GdapApi } from "./gdap-api";
import { GraphGdapClient } from "./gdap-client";
import { graphTokenProviderFromConfig } from "./graph-auth";

export interface GraphConnection {
  /** null: the app leaves GDAP relationships alone (GRAPH_DISABLED) */
  api: GdapApi | null;
  /** for the start-up log line; never contains a secret */
  description: string;
  close(): Promise<void>;
}

type GraphConfig = Pick<Config, "GRAPH_URL" | "GRAPH_DISABLED" | "PARTNER_CENTER_URL"> &
  Partial<Pick<Config, "GRAPH_TOKEN" | "AZURE_TENANT_ID" | "AZURE_CLIENT_ID" | "AZURE_CLIENT_SECRET">>;

export interface ConnectGraphOptions {
  logger?: Logger;
  /** the local stand-in's v1.0 root, used when neither GRAPH_URL nor PARTNER_CENTER_URL is set */
  localGraphUrl?: string | undefined;
}

export function connectGraph(config: GraphConfig, options: ConnectGraphOptions = {}): GraphConnection {
  if (config.GRAPH_DISABLED) return { api: null, description: "GDAP relationships left alone (GRAPH_DISABLED)", close: async () => undefined };
  let baseUrl: string;
  let tokens: TokenProvider;
  if (config.GRAPH_URL) {
    baseUrl = config.GRAPH_URL;
    tokens = config.GRAPH_TOKEN ? new StaticTokenProvider(config.GRAPH_TOKEN) : graphTokenProviderFromConfig(config);
  } else if (!config.PARTNER_CENTER_URL && options.localGraphUrl) {
    baseUrl = options.localGraphUrl;
    tokens = new StaticTokenProvider(config.GRAPH_TOKEN ?? "stand-in");
  } else {
    throw new Error("GRAPH_URL is not set and no local Graph stand-in was provided; set GRAPH_URL or GRAPH_DISABLED=true");
  }
  const client = new GraphGdapClient({ baseUrl, tokens, logger: options.logger });
  return { api: client, description: baseUrl, close: () => client.close() };
}
