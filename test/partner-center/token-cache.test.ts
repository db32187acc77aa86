// Tokens that last: MSAL's cache, sealed with TOKEN_CACHE_KEY, kept in a store between runs, so
// the newest refresh token (Entra ID replaces it at every use) survives a restart. Entra ID is
// played by a network client that rotates refresh tokens the way the real one does.
import crypto from "node:crypto";
import type { INetworkModule, NetworkRequestOptions, NetworkResponse } from "@azure/msal-node";
import { createMsalTokenProvider } from "../../src/partner-center/auth";
import { connectPartnerCenter } from "../../src/partner-center/connect-partner-center";
import { encryptedCachePlugin, parseTokenCacheKey, seal, unseal, type TokenCacheStore } from "../../src/partner-center/token-cache-plugin";

const TENANT = "72f988bf-86f1-41af-91ab-2d7cd011db47";
const CLIENT = "11111111-2222-4333-8444-555555555555";
const AUTHORITY = `https://login.microsoftonline.com/${TENANT}`;

const authorityMetadata = JSON.stringify({
  token_endpoint: `${AUTHORITY}/oauth2/v2.0/token`,
  authorization_endpoint: `${AUTHORITY}/oauth2/v2.0/authorize`,
  end_session_endpoint: `${AUTHORITY}/oauth2/v2.0/logout`,
  issuer: `https://login.microsoftonline.com/${TENANT}/v2.0`,
  jwks_uri: `${AUTHORITY}/discovery/v2.0/keys`,
});
const cloudDiscoveryMetadata = JSON.stringify({
  tenant_discovery_endpoint: `${AUTHORITY}/v2.0/.well-known/openid-configuration`,
  "api-version": "1.1",
  metadata: [{ preferred_network: "login.microsoftonline.com", preferred_cache: "login.windows.net", aliases: ["login.microsoftonline.com", "login.windows.net", "sts.windows.net"] }],
});

const b64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");

/** Entra ID's token endpoint: each refresh token works once and is replaced by a new one. */
function fakeEntra() {
  let serial = 0;
  const valid = new Set(["rt-0"]);
  const seen: string[] = [];
  const answer = <T>(status: number, body: unknown): NetworkResponse<T> => ({ status, headers: {}, body: body as T });
  const client: INetworkModule = {
    async sendGetRequestAsync<T>(url: string): Promise<NetworkResponse<T>> {
      return answer<T>(404, { error: "not_found", error_description: `no GET ${url} here` });
    },
    async sendPostRequestAsync<T>(_url: string, options?: NetworkRequestOptions): Promise<NetworkResponse<T>> {
      const form = new URLSearchParams(String(options?.body ?? ""));
      const grant = form.get("grant_type") ?? "";
      seen.push(grant === "refresh_token" ? `refresh_token=${form.get("refresh_token")}` : grant);
      if (grant === "refresh_token") {
        const used = form.get("refresh_token") ?? "";
        if (!valid.delete(used)) return answer<T>(400, { error: "invalid_grant", error_description: "AADSTS70000: the refresh token is invalid or has expired.", error_codes: [70000] });
      }
      serial += 1;
      const refresh = `rt-${serial}`;
      if (grant === "refresh_token") valid.add(refresh);
      const now = Math.floor(Date.now() / 1000);
      const idToken = `${b64url({ alg: "none", typ: "JWT" })}.${b64url({ aud: CLIENT, iss: `https://login.microsoftonline.com/${TENANT}/v2.0`, iat: now, nbf: now, exp: now + 3600, oid: "00000000-0000-4000-8000-00000000a11c", tid: TENANT, preferred_username: "admin@partner.example", name: "Partner Admin", ver: "2.0" })}.`;
      return answer<T>(200, {
        token_type: "Bearer",
        scope: form.get("scope") ?? "",
        // short-lived, so the next request refreshes instead of using the cached access token
        expires_in: 60,
        ext_expires_in: 60,
        access_token: `at-${serial}`,
        ...(grant === "refresh_token" ? { refresh_token: refresh, id_token: idToken, client_info: b64url({ uid: "00000000-0000-4000-8000-00000000a11c", utid: TENANT }) } : {}),
      });
    },
  };
  return { client, seen, valid };
}

function memoryStore(): TokenCacheStore & { data: string | null } {
  const store = {
    data: null as string | null,
    load: async () => store.data,
    save: async (data: string) => {
      store.data = data;
    },
  };
  return store;
}

function provider(entra: ReturnType<typeof fakeEntra>, options: { refreshToken?: string; store?: TokenCacheStore; key?: Buffer; onUnreadable?: (why: string) => void }) {
  return createMsalTokenProvider({
    tenantId: TENANT,
    clientId: CLIENT,
    clientSecret: "secret",
    refreshToken: options.refreshToken,
    cachePlugin: options.store && options.key ? encryptedCachePlugin(options.store, options.key, options.onUnreadable) : undefined,
    networkClient: entra.client,
    authorityMetadata,
    cloudDiscoveryMetadata,
  });
}

describe("sealing the token cache", () => {
  const key = crypto.randomBytes(32);

  it("round-trips, and refuses another key or a changed byte", () => {
    const sealed = seal('{"RefreshToken":{"x":{"secret":"rt-9"}}}', key);
    expect(sealed).toMatch(/^v1\./);
    expect(sealed).not.toContain("rt-9");
    expect(unseal(sealed, key)).toBe('{"RefreshToken":{"x":{"secret":"rt-9"}}}');
    expect(unseal(sealed, crypto.randomBytes(32))).toBeNull();
    const raw = Buffer.from(sealed.slice(3), "base64");
    raw[raw.length - 1] = (raw[raw.length - 1] ?? 0) ^ 1;
    expect(unseal(`v1.${raw.toString("base64")}`, key)).toBeNull();
    expect(unseal("plain text", key)).toBeNull();
  });

  it("reads TOKEN_CACHE_KEY as 32 bytes of base64 or hex, nothing else", () => {
    expect(parseTokenCacheKey(key.toString("base64"))?.equals(key)).toBe(true);
    expect(parseTokenCacheKey(key.toString("hex"))?.equals(key)).toBe(true);
    expect(parseTokenCacheKey("too short")).toBeNull();
    expect(parseTokenCacheKey(crypto.randomBytes(16).toString("base64"))).toBeNull();
  });
});

describe("App+User tokens through MSAL's cache", () => {
  it("keeps the newest refresh token across a restart, sealed in the store", async () => {
    const entra = fakeEntra();
    const store = memoryStore();
    const key = crypto.randomBytes(32);

    const first = provider(entra, { refreshToken: "rt-0", store, key });
    expect(await first.getToken("app_user")).toBe("at-1");
    expect(entra.seen).toEqual(["refresh_token=rt-0"]);
    // Entra ID replaced rt-0 with rt-1; only the store knows rt-1, and only sealed
    expect(store.data).toMatch(/^v1\./);
    expect(store.data).not.toContain("rt-1");
    expect(unseal(store.data ?? "", key)).toContain("rt-1");

    // a restart: the environment still holds rt-0, which no longer works
    const second = provider(entra, { refreshToken: "rt-0", store, key });
    expect(await second.getToken("app_user")).toBe("at-2");
    expect(entra.seen).toEqual(["refresh_token=rt-0", "refresh_token=rt-1"]);
    expect(unseal(store.data ?? "", key)).toContain("rt-2");
  });

  it("without the cache, a restart falls back to the lapsed refresh token and fails with a plain reason", async () => {
    const entra = fakeEntra();
    expect(await provider(entra, { refreshToken: "rt-0" }).getToken("app_user")).toBe("at-1");
    await expect(provider(entra, { refreshToken: "rt-0" }).getToken("app_user")).rejects.toThrow(/invalid_grant|AADSTS70000/);
  });

  it("a cache sealed under another key is set aside and said so", async () => {
    const entra = fakeEntra();
    const store = memoryStore();
    await provider(entra, { refreshToken: "rt-0", store, key: crypto.randomBytes(32) }).getToken("app_user");
    const told: string[] = [];
    const other = provider(entra, { refreshToken: "rt-0", store, key: crypto.randomBytes(32), onUnreadable: (why) => told.push(why) });
    await expect(other.getToken("app_user")).rejects.toThrow();
    expect(told[0]).toMatch(/cannot be opened with TOKEN_CACHE_KEY/);
  });

  it("with neither a cached nor a configured refresh token, says how to get one", async () => {
    await expect(provider(fakeEntra(), {}).getToken("app_user")).rejects.toThrow(/no App\+User token.*secure application model consent/);
  });
});

describe("credential warnings (for /readyz and the App Home)", () => {
  it("name a missing App+User token and a missing TOKEN_CACHE_KEY", async () => {
    const connection = await connectPartnerCenter({
      PARTNER_CENTER_URL: "https://api.partnercenter.microsoft.com/v1",
      EMULATOR_PORT: 0,
      PARTNER_CENTER_RPM: 450,
      DATA_DIR: "memory://",
      SUSPEND_CONCURRENCY: 1,
      AZURE_TENANT_ID: TENANT,
      AZURE_CLIENT_ID: CLIENT,
      AZURE_CLIENT_SECRET: "secret",
    });
    try {
      const warnings = await connection.credentialWarnings();
      expect(warnings).toEqual([expect.stringMatching(/^TOKEN_CACHE_KEY is not set/), expect.stringMatching(/^No App\+User token can be had, so removals and the relink link will fail/)]);
    } finally {
      await connection.close();
    }
  });
});
