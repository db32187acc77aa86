// Bearer tokens for Partner Center. Reads and subscription changes use app-only tokens; removing the
// relationship and the request link need App+User (secure application model refresh token).
import { ConfidentialClientApplication } from "@azure/msal-node";

export type TokenKind = "app" | "app_user";

export interface TokenProvider {
  getToken(kind: TokenKind): Promise<string>;
  /** drop a cached token the API rejected (401), so the next getToken fetches a fresh one */
  invalidate?(kind: TokenKind): void;
}

/** One fixed token for both kinds: the emulator accepts any bearer token. */
export class StaticTokenProvider implements TokenProvider {
  constructor(private readonly token: string) {}
  async getToken(): Promise<string> {
    return this.token;
  }
}

export interface FetchedToken {
  token: string;
  expiresOn: Date;
}

export type FetchToken = (kind: TokenKind) => Promise<FetchedToken>;

export interface CachingTokenProviderOptions {
  /** fetch a new token this long before the cached one expires (default 5 minutes) */
  refreshBeforeMs?: number;
  now?: () => number;
}

/** Caches one token per kind and refreshes it ahead of expiry; concurrent callers share one fetch. */
export class CachingTokenProvider implements TokenProvider {
  private readonly cached = new Map<TokenKind, FetchedToken>();
  private readonly inFlight = new Map<TokenKind, Promise<FetchedToken>>();
  private readonly refreshBeforeMs: number;
  private readonly now: () => number;

  constructor(
    private readonly fetchToken: FetchToken,
    options: CachingTokenProviderOptions = {},
  ) {
    this.refreshBeforeMs = options.refreshBeforeMs ?? 5 * 60_000;
    this.now = options.now ?? Date.now;
  }

  async getToken(kind: TokenKind): Promise<string> {
    const cached = this.cached.get(kind);
    if (cached && cached.expiresOn.getTime() - this.refreshBeforeMs > this.now()) return cached.token;
    let pending = this.inFlight.get(kind);
    if (!pending) {
      pending = this.fetchToken(kind).finally(() => this.inFlight.delete(kind));
      this.inFlight.set(kind, pending);
    }
    const fresh = await pending;
    this.cached.set(kind, fresh);
    return fresh.token;
  }

  invalidate(kind: TokenKind): void {
    this.cached.delete(kind);
  }
}

export const PARTNER_CENTER_APP_SCOPE = "https://api.partnercenter.microsoft.com/.default";
export const PARTNER_CENTER_USER_SCOPE = "https://api.partnercenter.microsoft.com/user_impersonation";

export interface MsalSettings {
  tenantId: string;
  clientId: string;
  clientSecret: string;
  /** secure application model refresh token; without it App+User calls fail with an auth error */
  refreshToken?: string | undefined;
}

/** Entra ID tokens through MSAL: client credentials for "app", the refresh token for "app_user". */
export function createMsalTokenProvider(settings: MsalSettings, options: CachingTokenProviderOptions = {}): CachingTokenProvider {
  const msal = new ConfidentialClientApplication({
    auth: { clientId: settings.clientId, clientSecret: settings.clientSecret, authority: `https://login.microsoftonline.com/${settings.tenantId}` },
  });
  const fetchToken: FetchToken = async (kind) => {
    const result =
      kind === "app"
        ? await msal.acquireTokenByClientCredential({ scopes: [PARTNER_CENTER_APP_SCOPE], skipCache: true })
        : settings.refreshToken
          ? await msal.acquireTokenByRefreshToken({ refreshToken: settings.refreshToken, scopes: [PARTNER_CENTER_USER_SCOPE] })
          : null;
    if (!result?.accessToken) {
      throw new Error(kind === "app_user" && !settings.refreshToken ? "PARTNER_CENTER_REFRESH_TOKEN is not set: App+User calls are unavailable" : `Entra ID returned no ${kind} token`);
    }
    // MSAL omits expiresOn only in odd cases; assume a short life rather than a long one
    return { token: result.accessToken, expiresOn: result.expiresOn ?? new Date(Date.now() + 10 * 60_000) };
  };
  return new CachingTokenProvider(fetchToken, options);
}

export interface TokenConfig {
  PARTNER_CENTER_TOKEN?: string | undefined;
  AZURE_TENANT_ID?: string | undefined;
  AZURE_CLIENT_ID?: string | undefined;
  AZURE_CLIENT_SECRET?: string | undefined;
  PARTNER_CENTER_REFRESH_TOKEN?: string | undefined;
}

/** A static token when one is configured (emulator, manual testing), MSAL otherwise. */
export function tokenProviderFromConfig(config: TokenConfig): TokenProvider {
  if (config.PARTNER_CENTER_TOKEN) return new StaticTokenProvider(config.PARTNER_CENTER_TOKEN);
  if (config.AZURE_TENANT_ID && config.AZURE_CLIENT_ID && config.AZURE_CLIENT_SECRET) {
    return createMsalTokenProvider({
      tenantId: config.AZURE_TENANT_ID,
      clientId: config.AZURE_CLIENT_ID,
      clientSecret: config.AZURE_CLIENT_SECRET,
      refreshToken: config.PARTNER_CENTER_REFRESH_TOKEN,
    });
  }
  throw new Error("Partner Center credentials missing: set PARTNER_CENTER_TOKEN, or AZURE_TENANT_ID, AZURE_CLIENT_ID and AZURE_CLIENT_SECRET");
}
