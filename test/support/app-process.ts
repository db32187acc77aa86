// Runs the app as a separate process (src/main.ts through tsx, no build), so a test can kill it
// the hard way or send it SIGTERM. The test process plays Slack (a local Web API stand-in) and
// Partner Center (the emulator); the app's database is a PGlite folder on disk, or a fresh schema
// on the PostgreSQL named by DATABASE_URL.
import { type ChildProcess, spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { type Database, openDatabase } from "../../src/store";
import { type LocalWorld, createLocalWorld, emulatorSettings, graphSettings } from "../../src/stand-ins/local-world";
import type { EmulatorHandle } from "../../src/stand-ins/partner-center";
import type { LocalSlackApi, PostedMessage } from "../../src/stand-ins/slack/local-slack-api";
import { type SlackRequestSender, type SlackUser, messageState } from "../../src/stand-ins/slack/slack-request-signer";
import { ACTIONS } from "../../src/slack/slack-inputs";
import { OPERATOR, OPS_CHANNEL, buttonsOf, testAppEnv, waitFor } from "./app-harness";
import { testDatabaseSettings } from "./test-database";

const ROOT = path.resolve(__dirname, "..", "..");

export interface AppProcess {
  child: ChildProcess;
  url: string;
  sender: SlackRequestSender;
  /** the JSON log lines it wrote so far */
  logs: string[];
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stop(signal: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** What several app processes in one test share: the database, Slack, the secrets. */
export interface ProcessWorld {
  slack: LocalSlackApi;
  /** a response_url for a command or a button press by `user` in `channel` */
  responseUrl: LocalWorld["responseUrl"];
  dataDir: string;
  schema: string | null;
  start(partnerCenterUrl: string, env?: Record<string, string>): Promise<AppProcess>;
  /** opens the app's database from the test process (only while no app process holds a PGlite folder) */
  openDatabase(): Promise<Database>;
  close(): Promise<void>;
}

const START_WAIT_MS = 120_000;

export async function createProcessWorld(): Promise<ProcessWorld> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "offboarding-proc-"));
  const database = testDatabaseSettings();
  // each test points its processes at a Partner Center of its own (an emulator it inspects)
  const world = await createLocalWorld({ env: testAppEnv({ DATA_DIR: dataDir, LOG_LEVEL: "info", OPERATOR_USER_IDS: OPERATOR.id, ...database.env }), emulator: false });
  const running = new Set<AppProcess>();

  const start = async (partnerCenterUrl: string, env: Record<string, string> = {}): Promise<AppProcess> => {
    // these processes' emulator serves no Graph unless a test points GRAPH_URL at one
    const graph = env.GRAPH_URL ? graphSettings(env.GRAPH_URL) : { GRAPH_DISABLED: "true" };
    const childEnv: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME, ...world.appEnv({ ...emulatorSettings(partnerCenterUrl), ...graph, ...env }) };
    // `node --import tsx`, not the tsx CLI: the CLI runs the app in a grandchild that a SIGKILL would orphan
    const child = spawn(process.execPath, ["--import", "tsx", "src/main.ts"], { cwd: ROOT, env: childEnv, stdio: ["ignore", "pipe", "pipe"] });
    const logs: string[] = [];
    let stderr = "";
    let buffered = "";
    child.stdout?.on("data", (chunk: Buffer) => {
      buffered += chunk.toString("utf8");
      const lines = buffered.split("\n");
      buffered = lines.pop() ?? "";
      logs.push(...lines.filter((line) => line.trim() !== ""));
    });
    child.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
    const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once("exit", (code, signal) => resolve({ code, signal })));
    let exited = false;
    void exit.then(() => (exited = true));
    const port = await waitFor(
      "the app process to listen",
      () => {
        if (exited) throw new Error(`the app process exited before it listened: ${stderr.slice(-2000)}`);
        for (const line of logs) {
          const parsed = parseLine(line);
          if (parsed?.msg === "reseller offboarding is running" && typeof parsed.port === "number") return parsed.port;
        }
        return undefined;
      },
      // tsx compiles the whole app at start: on a loaded 2-core machine that alone took over 30 s
      START_WAIT_MS,
    );
    const url = `http://127.0.0.1:${port}`;
    const handle: AppProcess = {
      child,
      url,
      sender: world.senderFor(url),
      logs,
      exit,
      stop: async (signal) => {
        if (!exited) child.kill(signal);
        const result = await exit;
        running.delete(handle);
        return result;
      },
    };
    running.add(handle);
    return handle;
  };

  return {
    slack: world.slack,
    responseUrl: world.responseUrl,
    dataDir,
    schema: database.schema,
    start,
    openDatabase: () => {
      const settings = database.env;
      return settings.DATABASE_URL ? openDatabase({ databaseUrl: settings.DATABASE_URL, dataDir: "unused", schema: settings.DATABASE_SCHEMA }) : openDatabase({ dataDir });
    },
    close: async () => {
      for (const app of [...running]) await app.stop("SIGKILL");
      await database.drop();
      fs.rmSync(dataDir, { recursive: true, force: true });
      await world.close();
    },
  };
}

/** One pino line as an object, or null when the line is not JSON. */
export function parseLine(line: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(line);
    return value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/**
 * The customer's case message in the operators' channel, opened with a signed /offboard as an
 * operator would (the stand-in keeps it up to date as the app edits it).
 */
export async function openCaseMessage(world: ProcessWorld, app: AppProcess, companyName: string): Promise<PostedMessage> {
  // the first directory sync may still be running: ask again until the case message appears
  const message = await waitFor(
    `case message for ${companyName}`,
    async () => {
      const found = world.slack.messages.find((m) => m.channel === OPS_CHANNEL && m.text.includes(companyName));
      if (found) return found;
      await app.sender.slashCommand(OPERATOR, OPS_CHANNEL, companyName, world.responseUrl(OPS_CHANNEL, OPERATOR.id));
      await new Promise((resolve) => setTimeout(resolve, 300));
      return undefined;
    },
    30_000,
  );
  // the case is opened once the commands asked above are worked to their end (the message posted
  // is then saved as the case's): a kill in the middle of opening is not what these tests are about
  await withLogsOnFailure(app, jobsEnded(app));
  return message;
}

/** Resolves once every job the process has begun has ended, as its log says. */
export function jobsEnded(app: AppProcess, ms = 30_000): Promise<true> {
  return waitFor(
    "the app's jobs under way to end",
    () => {
      const lines = app.logs.map(parseLine);
      const begun = new Set(lines.filter((l) => l?.["msg"] === "working a job").map((l) => l?.["jobId"]));
      const ended = new Set(lines.filter((l) => l?.["msg"] === "job worked" || l?.["msg"] === "a job attempt failed").map((l) => l?.["jobId"]));
      return [...begun].every((id) => ended.has(id)) || undefined;
    },
    ms,
  );
}

/** The message's buttons with this action. */
export const buttonsWith = (message: Pick<PostedMessage, "blocks">, actionId: string) => buttonsOf(message.blocks).filter((b) => b.action_id === actionId);

/**
 * Presses the message's button on `app` with Partner Center slow, so the work behind the press is
 * still under way, and SIGKILLs `app` as soon as Slack has its 200.
 */
export async function pressThenKill(
  world: ProcessWorld,
  emulator: Pick<EmulatorHandle, "configure">,
  press: { app: AppProcess; user: SlackUser; message: PostedMessage; actionId: string; slowMs: number; triggerId?: string },
): Promise<void> {
  const { app, user, message, actionId } = press;
  const value = buttonsWith(message, actionId)[0]?.value;
  if (!value) throw new Error(`no ${actionId} button`);
  emulator.configure({ latencyMs: press.slowMs });
  // the message's boxes as shown travel with the press, as Slack sends them (an approval's GDAP choice)
  const options = { state: messageState(message.blocks), ...(press.triggerId ? { triggerId: press.triggerId } : {}) };
  const pressed = await app.sender.blockAction(user, message.channel, message.ts, { action_id: actionId, value }, world.responseUrl(message.channel, user.id), options);
  if (pressed.status !== 200) throw new Error(`${actionId} was answered ${pressed.status}`);
  const exit = await app.stop("SIGKILL");
  if (exit.signal !== "SIGKILL") throw new Error(`the app ended with ${exit.signal ?? `code ${exit.code}`}, not SIGKILL`);
  emulator.configure({ latencyMs: 0 });
}

/** Opens the customer's case and presses Suspend all on it, as an operator would; returns the case message. */
export async function pressSuspendAll(world: ProcessWorld, app: AppProcess, companyName: string): Promise<PostedMessage> {
  const message = await openCaseMessage(world, app, companyName);
  const button = buttonsWith(message, ACTIONS.suspendAll)[0];
  if (!button?.value) throw new Error("no Suspend all button on the case message");
  const pressed = await app.sender.blockAction(OPERATOR, OPS_CHANNEL, message.ts, { action_id: ACTIONS.suspendAll, value: button.value }, world.responseUrl(OPS_CHANNEL, OPERATOR.id));
  if (pressed.status !== 200) throw new Error(`Suspend all was answered ${pressed.status}`);
  return message;
}

/** Runs a wait on an app process; if it fails, the error carries the process's last log lines. */
export async function withLogsOnFailure<T>(proc: AppProcess, wait: Promise<T>): Promise<T> {
  try {
    return await wait;
  } catch (error) {
    // the hundreds of suspend calls say little; what happened around them does
    const tail = proc.logs.filter((line) => !line.includes('"method":"PATCH"')).slice(-40).join("\n");
    throw new Error(`${error instanceof Error ? error.message : String(error)}\n--- the app process's last log lines ---\n${tail}`);
  }
}
