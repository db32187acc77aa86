// JSON logs through pino. Tokens, client secrets and the signing secret are redacted by key,
// and any string that looks like a Slack token or a bearer token is masked wherever it appears.
import pino from "pino";

const REDACTED_KEYS = [
  "token",
  "botToken",
  "appToken",
  "accessToken",
  "refreshToken",
  "clientSecret",
  "signingSecret",
  "authorization",
  "password",
  "secret",
];

const SECRET_PATTERNS = [/xox[abposr]-[A-Za-z0-9-]+/g, /xapp-[A-Za-z0-9-]+/g, /Bearer\s+[A-Za-z0-9._~+/=-]+/gi];

function maskSecrets(text: string): string {
  return SECRET_PATTERNS.reduce((acc, pattern) => acc.replace(pattern, "[REDACTED]"), text);
}

/** The app's one logger type: what every module logs through (pino's loggers satisfy it). */
export interface Logger {
  debug(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

export const silentLogger: Logger = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: { app: "reseller-offboarding" },
      redact: { paths: [...REDACTED_KEYS, ...REDACTED_KEYS.map((key) => `*.${key}`), ...REDACTED_KEYS.map((key) => `*.*.${key}`)], censor: "[REDACTED]" },
      formatters: {
        log: (object) => {
          // strings anywhere in the top level may carry a token inside an error message
          const masked: Record<string, unknown> = {};
          for (const [key, value] of Object.entries(object)) masked[key] = typeof value === "string" ? maskSecrets(value) : value;
          return masked;
        },
      },
      hooks: {
        logMethod(args, method) {
          const masked = args.map((arg) => (typeof arg === "string" ? maskSecrets(arg) : arg)) as Parameters<typeof method>;
          method.apply(this, masked);
        },
      },
    },
    destination,
  );
}
