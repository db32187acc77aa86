// Bearer tokens for Partner Center. Reads and subscription changes use app-only tokens; the
// entitlements, removing the relationship and the request link need App+User (the secure
// application model's refresh token, kept fresh in MSAL's token cache).
import { type AuthenticationResult, ConfidentialClientApplication, type ICachePlugin, type INetworkModule } from "@azure/msal-node";
import { type TokenCacheStore, encryptedCachePlugin, parseTokenCacheKey } from "./token-cache-plugin";

export type TokenKind = "app" | "app_user";

export interface TokenProvider {
  getToken(kind: TokenKind): Promise<string>;
  /** drop a cached token the API rejected (401), so the next getToken fetches a fresh one */
  invalidate?(kind: TokenKind): void;
}

/** Why no token of this kind can be had right now, or null when one can (readiness checks). */
export async function tokenProblem(tokens: TokenProvider, kind: TokenKind): Promise<string | null> {
  try {
    await tokens.getToken(kind);
    return null;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
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

/** `fresh`: the last token was refused (401), so none from a cache */
export type FetchToken = (kind: TokenKind, fresh: boolean) => Promise<FetchedToken>;

export interface CachingTokenProviderOptions {
  /** fetch a new token this long before the cached one expires (default 5 minutes) */
  refreshBeforeMs?: number;
  now?: () => number;
}

/** Caches one token per kind and refreshes it ahead of expiry; concurrent callers share one fetch. */
export class CachingTokenProvider implements TokenProvider {
  private readonly cached = new Map<TokenKind, FetchedToken>();
  private readonly inFlight = new Map<TokenKind, Promise<FetchedToken>>();
  private readonly refused = new Set<TokenKind>();
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
      const fresh = this.refused.delete(kind);
      pending = this.fetchToken(kind, fresh).finally(() => this.inFlight.delete(kind));
      this.inFlight.set(kind, pending);
    }
    const fresh = await pending;
    this.cached.set(kind, fresh);
    return fresh.token;
  }

  invalidate(kind: TokenKind): void {
    this.cached.delete(kind);
    this.refused.add(kind);
  }
}

export const PARTNER_CENTER_APP_SCOPE = "https://api.partnercenter.microsoft.com/.default";
export const PARTNER_CENTER_USER_SCOPE = "https://api.partnercenter.microsoft.com/user_impersonation";

export interface MsalSettings {
  tenantId: string;
  clientId: string;
  clientSecret: string;
  /**
   * the secure application model's refresh token, used when the token cache holds none that
   * works (first start, or the cache was lost); without either, App+User calls fail with an auth error
   */
  refreshToken?: string | undefined;
  /** keeps MSAL's token cache (and so the newest refresh token) between runs; in memory without it */
  cachePlugin?: ICachePlugin | undefined;
  /** Entra ID's answers (tests); MSAL's own HTTP client otherwise */
  networkClient?: INetworkModule | undefined;
  /** the authority's metadata as JSON, so MSAL skips discovery (tests, sovereign clouds) */
  authorityMetadata?: string | undefined;
  cloudDiscoveryMetadata?: string | undefined;
}

const NO_USER_TOKEN =
  "no App+User token: the token cache holds no usable refresh token and PARTNER_CENTER_REFRESH_TOKEN is not set (or was refused); get one through the secure application model consent (see the README)";

/**
 * Entra ID tokens through MSAL: client credentials for "app"; for "app_user", the refresh token
 * in MSAL's cache (silently renewed, the newest kept by the cache plugin), else the configured one.
 */
export function createMsalTokenProvider(settings: MsalSettings, options: CachingTokenProviderOptions = {}): CachingTokenProvider {
  const msal = new ConfidentialClientApplication({
    auth: {
      clientId: settings.clientId,
      clientSecret: settings.clientSecret,
      authority: `https://login.microsoftonline.com/${settings.tenantId}`,
      ...(settings.authorityMetadata ? { authorityMetadata: settings.authorityMetadata } : {}),
      ...(settings.cloudDiscoveryMetadata ? { cloudDiscoveryMetadata: settings.cloudDiscoveryMetadata } : {}),
    },
    ...(settings.cachePlugin ? { cache: { cachePlugin: settings.cachePlugin } } : {}),
    ...(settings.networkClient ? { system: { networkClient: settings.networkClient } } : {}),
  });

  async function userToken(forceRefresh: boolean): Promise<AuthenticationResult | null> {
    const [account] = await msal.getTokenCache().getAllAccounts();
    if (account) {
      try {
        return await msal.acquireTokenSilent({ account, scopes: [PARTNER_CENTER_USER_SCOPE], forceRefresh });
      } catch (error) {
        // the cached refresh token no longer works (revoked, lapsed): the configured one may
        if (!settings.refreshToken) throw new Error(`${NO_USER_TOKEN} (${error instanceof Error ? error.message : String(error)})`);
      }
    }
    if (!settings.refreshToken) throw new Error(NO_USER_TOKEN);
    // forceCache: stored though no account is cached yet, so the replacement refresh token is kept
    return msal.acquireTokenByRefreshToken({ refreshToken: settings.refreshToken, scopes: [PARTNER_CENTER_USER_SCOPE], forceCache: true });
  }

  const fetchToken: FetchToken = async (kind, fresh) => {
    const result = kind === "app" ? await msal.acquireTokenByClientCredential({ scopes: [PARTNER_CENTER_APP_SCOPE], skipCache: true }) : await userToken(fresh);
    if (!result?.accessToken) throw new Error(`Entra ID returned no ${kind} token`);
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
  TOKEN_CACHE_KEY?: string | undefined;
}

/** A static token when one is configured (emulator, manual testing), MSAL otherwise. */
export function tokenProviderFromConfig(config: TokenConfig, cache?: { store: TokenCacheStore; onUnreadable?: (why: string) => void }): TokenProvider {
  if (config.PARTNER_CENTER_TOKEN) return new StaticTokenProvider(config.PARTNER_CENTER_TOKEN);
  if (config.AZURE_TENANT_ID && config.AZURE_CLIENT_ID && config.AZURE_CLIENT_SECRET) {
    const key = config.TOKEN_CACHE_KEY ? parseTokenCacheKey(config.TOKEN_CACHE_KEY) : null;
    return createMsalTokenProvider({
      tenantId: config.AZURE_TENANT_ID,
      clientId: config.AZURE_CLIENT_ID,
      clientSecret: config.AZURE_CLIENT_SECRET,
      refreshToken: config.PARTNER_CENTER_REFRESH_TOKEN,
      cachePlugin: key && cache ? encryptedCachePlugin(cache.store, key, cache.onUnreadable) : undefined,
    });
  }
  throw new Error("Partner Center credentials missing: set PARTNER_CENTER_TOKEN, or AZURE_TENANT_ID, AZURE_CLIENT_ID and AZURE_CLIENT_SECRET");
}
