// MSAL's token cache kept in our database through MSAL's cache plugin interface, sealed with
// AES-256-GCM under TOKEN_CACHE_KEY: Entra ID replaces the App+User refresh token at every use
// and the one set up at consent lapses after 90 days unused, so the newest one must outlive
// restarts and be shared by instances. The database only ever holds the sealed blob.
import crypto from "node:crypto";
import type { ICachePlugin, TokenCacheContext } from "@azure/msal-node";

/** Where the sealed cache lives (a row in our database). */
export interface TokenCacheStore {
  load(): Promise<string | null>;
  save(data: string): Promise<void>;
}

const VERSION = "v1";

/** TOKEN_CACHE_KEY: 32 bytes, written as base64 or hex (`openssl rand -base64 32`). */
export function parseTokenCacheKey(text: string): Buffer | null {
  const trimmed = text.trim();
  const key = /^[0-9a-fA-F]{64}$/.test(trimmed) ? Buffer.from(trimmed, "hex") : /^[A-Za-z0-9+/_-]{43}=?$/.test(trimmed) ? Buffer.from(trimmed, "base64") : null;
  return key?.length === 32 ? key : null;
}

export function seal(plain: string, key: Buffer): string {
  const iv = crypto.randomBytes(12);
  const cipher = crypto.createCipheriv("aes-256-gcm", key, iv);
  const body = Buffer.concat([cipher.update(plain, "utf8"), cipher.final()]);
  return `${VERSION}.${Buffer.concat([iv, cipher.getAuthTag(), body]).toString("base64")}`;
}

/** The plain cache, or null when it was sealed under another key (or tampered with). */
export function unseal(sealed: string, key: Buffer): string | null {
  if (!sealed.startsWith(`${VERSION}.`)) return null;
  const raw = Buffer.from(sealed.slice(VERSION.length + 1), "base64");
  if (raw.length < 28) return null;
  try {
    const decipher = crypto.createDecipheriv("aes-256-gcm", key, raw.subarray(0, 12));
    decipher.setAuthTag(raw.subarray(12, 28));
    return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString("utf8");
  } catch {
    return null;
  }
}

/**
 * The plugin MSAL calls around every cache access: load before, save after a change. A cache
 * that cannot be opened (the key changed) is left aside, so the configured refresh token is
 * tried instead; `onUnreadable` says so once per load.
 */
export function encryptedCachePlugin(store: TokenCacheStore, key: Buffer, onUnreadable: (why: string) => void = () => undefined): ICachePlugin {
  return {
    async beforeCacheAccess(context: TokenCacheContext): Promise<void> {
      const sealed = await store.load();
      if (!sealed) return;
      const plain = unseal(sealed, key);
      if (plain === null) {
        onUnreadable("the stored token cache cannot be opened with TOKEN_CACHE_KEY (was the key changed?)");
        return;
      }
      context.tokenCache.deserialize(plain);
    },
    async afterCacheAccess(context: TokenCacheContext): Promise<void> {
      if (context.cacheHasChanged) await store.save(seal(context.tokenCache.serialize(), key));
    },
  };
}
