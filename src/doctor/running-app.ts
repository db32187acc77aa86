// `npm run doctor` next to a running app on the embedded database: PGlite takes one process, so
// the CLI cannot open it to read what the app saw of Slack's requests; it asks that app for the
// checks it ran itself (GET /readyz?detail) and prints them as the running app's, with when.
import { z } from "zod";
import { type CheckResult, failed, ok, reason } from "./doctor-check";

/** the app runs the checks within 30 s (check-cache.ts) after its own probes of 3 s each: a margin over that */
const ANSWER_TIMEOUT_MS = 45_000;
/** far above what the app sends (a few kilobytes): a bigger answer is not the app's */
const MAX_ANSWER_BYTES = 256 * 1024;

export const RUNNING_APP = "Running app";

const checkResult = z.strictObject({
  name: z.string().min(1),
  status: z.enum(["ok", "failed", "skipped"]),
  detail: z.string(),
  fix: z.string().optional(),
});

/** what app.ts serves at /readyz?detail, as far as the doctor reads it */
const readyzDetail = z.object({
  doctor: z.array(checkResult).min(1),
  doctorCheckedAt: z.iso.datetime(),
});

// an answer from whatever listens on PORT lands in a terminal: no control characters get through
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/g;
const printable = (text: string): string => text.replace(CONTROL, " ");

export interface RunningAppOptions {
  timeoutMs?: number;
  fetch?: typeof fetch;
}

/** The body as text, or null when it is larger than the app ever sends. */
async function boundedText(response: Response): Promise<string | null> {
  const reader = response.body?.getReader();
  if (!reader) return "";
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > MAX_ANSWER_BYTES) {
      await reader.cancel();
      return null;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString("utf8");
}

/**
 * The running app's own checks: a first line saying whose they are and when they ran, then each
 * of them; one ✘ instead when the app does not answer or answers with something else.
 */
export async function runningAppChecks(dataDir: string, port: number, options: RunningAppOptions = {}): Promise<CheckResult[]> {
  const url = `http://127.0.0.1:${port}/readyz?detail`;
  const held = `the embedded database in ${dataDir} is open in a running app, which alone may read it`;
  const notAnswered = (why: string): CheckResult[] => [
    failed(
      RUNNING_APP,
      `${held}, and ${url} ${why}`,
      `run the doctor with the running app's PORT (and DATA_DIR), or look at the app's log; stopping the app lets the doctor check the rest without it`,
    ),
  ];
  let text: string | null;
  let status: number;
  try {
    const response = await (options.fetch ?? fetch)(url, { signal: AbortSignal.timeout(options.timeoutMs ?? ANSWER_TIMEOUT_MS) });
    status = response.status;
    text = await boundedText(response);
  } catch (error) {
    return notAnswered(`did not answer: ${printable(reason(error instanceof Error && error.cause instanceof Error ? error.cause : error))}`);
  }
  let body: unknown;
  try {
    body = text === null ? null : JSON.parse(text);
  } catch {
    body = null;
  }
  // 503 (not ready) still carries the checks; anything else, or another shape, is not the app's answer
  const parsed = status === 200 || status === 503 ? readyzDetail.safeParse(body) : null;
  if (!parsed?.success) return notAnswered(`answered HTTP ${status} with something other than the app's set-up checks`);
  const checks = parsed.data.doctor.map((check) => ({
    name: printable(check.name),
    status: check.status,
    detail: printable(check.detail),
    ...(check.fix !== undefined ? { fix: printable(check.fix) } : {}),
  }));
  // a ✘ from the app without its fix would print no fix: the report still needs one
  for (const check of checks) if (check.status === "failed" && !check.fix) check.fix = "see the app's log";
  return [ok(RUNNING_APP, `${held}: the checks below are that app's own (${url}), run at ${parsed.data.doctorCheckedAt}`), ...checks];
}
