// Bearer tokens for Microsoft Graph: app-only, by client credentials for the .default scope, from
// the same Entra app registration as Partner Center (which needs the application permission
// DelegatedAdminRelationship.ReadWrite.All, admin-consented). Caching and refresh ahead of expiry
// are the Partner Center provider's.
import { ConfidentialClientApplication } from "@azure/msal-node";
import { CachingTokenProvider, type CachingTokenProviderOptions, type TokenProvider } from "../partner-center/auth";

export const GRAPH_SCOPE = "https://graph.microsoft.com/.default";

export interface GraphCredentials {
  tenantId: string;
  clientId: string;
  clientSecret: string;
}

export function createGraphTokenProvider(credentials: GraphCredentials, options: CachingTokenProviderOptions = {}): CachingTokenProvider {
  const msal = new ConfidentialClientApplication({
    auth: { clientId: credentials.clientId, clientSecret: credentials.clientSecret, authority: `https://login.microsoftonline.com/${credentials.tenantId}` },
  });
  return new CachingTokenProvider(async () => {
    const result = await msal.acquireTokenByClientCredential({ scopes: [GRAPH_SCOPE], skipCache: true });
    if (!result?.accessToken) throw new Error("Entra ID returned no Microsoft Graph token");
    // MSAL omits expiresOn only in odd cases; assume a short life rather than a long one
    return { token: result.accessToken, expiresOn: result.expiresOn ?? new Date(Date.now() + 10 * 60_000) };
  }, options);
}

export interface GraphTokenConfig {
  AZURE_TENANT_ID?: string | undefined;
  AZURE_CLIENT_ID?: string | undefined;
  AZURE_CLIENT_SECRET?: string | undefined;
}

/** MSAL with the app registration's credentials; the stand-in takes a StaticTokenProvider instead. */
export function graphTokenProviderFromConfig(config: GraphTokenConfig): TokenProvider {
  if (config.AZURE_TENANT_ID && config.AZURE_CLIENT_ID && config.AZURE_CLIENT_SECRET) {
    return createGraphTokenProvider({ tenantId: config.AZURE_TENANT_ID, clientId: config.AZURE_CLIENT_ID, clientSecret: config.AZURE_CLIENT_SECRET });
  }
  throw new Error("Microsoft Graph credentials missing: set AZURE_TENANT_ID, AZURE_CLIENT_ID and AZURE_CLIENT_SECRET or set GRAPH_DISABLED=true");
}
