// Partner Center through the app's own client and credentials: one app-only read (a page of one
// customer) and one App+User read (the relationship request link), and how old the refresh token is.
import type { PartnerCenterApi } from "../partner-center/partner-center-api";
import { PartnerCenterError } from "../partner-center/partner-center-api";
import { type CheckResult, failed, ok, reason, within } from "./doctor-check";

/** Entra ID lets a refresh token lapse after 90 days unused; warn well before. */
const REFRESH_TOKEN_WARN_DAYS = 75;
const DAY_MS = 24 * 3600_000;

export interface PartnerCenterCheckOptions {
  timeoutMs: number;
  now: () => number;
  /** how the credentials are given, for the fix: a fixed token or MSAL's */
  fixedToken: boolean;
  /** when the sealed token cache was last written; undefined when not kept (no TOKEN_CACHE_KEY or no database) */
  cacheUpdatedAt?: () => Promise<Date | null>;
}

function problem(error: unknown, kind: "app" | "app_user", fixedToken: boolean): { detail: string; fix: string } {
  const credentials = fixedToken
    ? "PARTNER_CENTER_TOKEN is refused: replace it (it is meant for the emulator; production uses AZURE_* and the refresh token)"
    : kind === "app"
      ? "check AZURE_TENANT_ID, AZURE_CLIENT_ID and AZURE_CLIENT_SECRET (has the secret expired?) and that the app is added in Partner Center → Account settings → App management"
      : "get a new refresh token (docs/deploy.md, “The first refresh token”: an Admin agent signs in with MFA) and set PARTNER_CENTER_REFRESH_TOKEN; with TOKEN_CACHE_KEY set the app keeps the renewed one";
  if (error instanceof PartnerCenterError && error.kind === "auth") return { detail: `Partner Center refused the credentials (401): ${error.message}`, fix: credentials };
  if (error instanceof PartnerCenterError && error.details.status === 403) return { detail: `Partner Center says forbidden (403): ${error.message}`, fix: credentials };
  const text = reason(error);
  // MSAL's own errors (expired refresh token, bad secret) arrive before any call is made
  if (/invalid_grant|AADSTS|invalid_client|unauthorized_client|No App\+User|refresh token/i.test(text)) return { detail: `no token could be had: ${text}`, fix: credentials };
  return { detail: `no answer: ${text}`, fix: "check PARTNER_CENTER_URL and the network path to api.partnercenter.microsoft.com and login.microsoftonline.com" };
}

export async function partnerCenterChecks(api: PartnerCenterApi, options: PartnerCenterCheckOptions): Promise<CheckResult[]> {
  // read before the calls below: MSAL writes the cache again when it renews the token for them
  const renewedAt = options.fixedToken || !options.cacheUpdatedAt ? undefined : await options.cacheUpdatedAt().catch(() => null);
  const results: CheckResult[] = [];
  const appName = "Partner Center: app-only call (GET /customers?size=1)";
  try {
    await within(options.timeoutMs, api.ping());
    results.push(ok(appName, "answers"));
  } catch (error) {
    const { detail, fix } = problem(error, "app", options.fixedToken);
    results.push(failed(appName, detail, fix));
  }

  const userName = "Partner Center: App+User call (GET /customers/relationshiprequests)";
  try {
    await within(options.timeoutMs, api.getRelationshipRequestLink());
    results.push(ok(userName, `answers${renewedWords(options, renewedAt)}`));
  } catch (error) {
    const { detail, fix } = problem(error, "app_user", options.fixedToken);
    results.push(failed(userName, `${detail} (removals and the relink link need it)`, fix));
  }
  const age = tokenAgeCheck(options, renewedAt);
  if (age) results.push(age);
  return results;
}

function renewedWords(options: PartnerCenterCheckOptions, at: Date | null | undefined): string {
  if (options.fixedToken) return "; a fixed PARTNER_CENTER_TOKEN is used (no refresh token)";
  if (at === undefined) return "; the refresh token's last renewal is not recorded (TOKEN_CACHE_KEY unset: it lives in memory only)";
  if (!at) return "; the token cache holds nothing yet (the app writes it on its first App+User call)";
  return `; refresh token last renewed ${at.toISOString()} (${Math.floor((options.now() - at.getTime()) / DAY_MS)} days ago)`;
}

function tokenAgeCheck(options: PartnerCenterCheckOptions, at: Date | null | undefined): CheckResult | undefined {
  if (!at) return undefined;
  const days = Math.floor((options.now() - at.getTime()) / DAY_MS);
  if (days < REFRESH_TOKEN_WARN_DAYS) return undefined;
  return failed("Partner Center: refresh token age", `the token cache was last renewed ${days} days ago; Entra ID lets a refresh token lapse after 90 days unused`, "let the app make an App+User call (open a case's removal or /offboard relink), or do the consent sign-in again (docs/deploy.md)");
}
