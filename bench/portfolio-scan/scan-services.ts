// Partner Center (the emulator with a generated partner of many customers) and Slack, in a child
// process of their own: the scan bench measures the app's peak RSS, which must not include a
// 5,000-customer world or the CSV the Slack stand-in keeps. The parent asks for the emulator's
// counters over IPC.
import { fork } from "node:child_process";
import crypto from "node:crypto";
import { z } from "zod";
import { LocalSlackApi, serveLocalSlackApi } from "../../src/slack/local-slack/local-slack-api";
import { type EmulatorStats, seedGeneratedPartner, startEmulator } from "../../src/stand-ins/partner-center";

const request = z.object({ customers: z.number().int().positive(), latencyMs: z.number(), rpm: z.number() });
type ServicesRequest = z.infer<typeof request>;
const ready = z.object({ kind: z.literal("ready"), slackApiUrl: z.string(), botToken: z.string(), partnerCenterUrl: z.string() });
const statsAnswer = z.object({ kind: z.literal("stats"), total: z.number(), throttled: z.number(), filesShared: z.number(), csvRows: z.number() });

export interface ScanServices {
  slackApiUrl: string;
  botToken: string;
  partnerCenterUrl: string;
  stats(): Promise<Omit<z.infer<typeof statsAnswer>, "kind">>;
  close(): Promise<void>;
}

export async function startScanServices(wanted: ServicesRequest): Promise<ScanServices> {
  const child = fork(__filename, ["--serve"], { execArgv: [], stdio: ["ignore", "inherit", "inherit", "ipc"] });
  const started = await new Promise<z.infer<typeof ready>>((resolve, reject) => {
    child.once("message", (message: unknown) => {
      const parsed = ready.safeParse(message);
      if (parsed.success) resolve(parsed.data);
      else reject(new Error("the scan services sent an unexpected message"));
    });
    child.once("exit", (code) => reject(new Error(`the scan services exited with ${code ?? "a signal"}`)));
    child.send(wanted);
  });
  return {
    slackApiUrl: started.slackApiUrl,
    botToken: started.botToken,
    partnerCenterUrl: started.partnerCenterUrl,
    stats: () =>
      new Promise((resolve, reject) => {
        child.once("message", (message: unknown) => {
          const parsed = statsAnswer.safeParse(message);
          if (parsed.success) resolve(parsed.data);
          else reject(new Error("unexpected stats message"));
        });
        child.send({ kind: "stats" });
      }),
    close: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.disconnect();
      }),
  };
}

async function serve(wanted: ServicesRequest): Promise<void> {
  const botToken = `xoxb-bench-${crypto.randomBytes(8).toString("hex")}`;
  const slack = new LocalSlackApi(botToken, {});
  const server = await serveLocalSlackApi(slack);
  const world = seedGeneratedPartner(wanted.customers);
  const emulator = await startEmulator({ port: 0, host: "127.0.0.1", latencyMs: wanted.latencyMs, rpm: wanted.rpm, initialState: () => world });
  process.send?.({ kind: "ready", slackApiUrl: `${server.url}/api/`, botToken, partnerCenterUrl: emulator.url });
  process.on("message", () => {
    const stats: EmulatorStats = emulator.stats();
    const csv = slack.files.shared.at(-1)?.content ?? "";
    process.send?.({ kind: "stats", total: stats.total, throttled: stats.throttled, filesShared: slack.files.shared.length, csvRows: csv ? csv.trim().split("\r\n").length - 1 : 0 });
  });
  process.once("disconnect", () => {
    void Promise.all([emulator.close(), server.close()]).then(() => process.exit(0));
  });
}

if (process.argv[2] === "--serve") {
  process.once("message", (message: unknown) => {
    const parsed = request.safeParse(message);
    if (!parsed.success) process.exit(2);
    serve(parsed.data).catch((error: unknown) => {
      console.error(error);
      process.exit(1);
    });
  });
}
