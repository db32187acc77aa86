// With SLACK_APP_TOKEN the app takes Slack's requests over a Socket Mode WebSocket instead of
// HTTP. A local WebSocket server plays Slack: it hands out envelopes and expects acks.
import crypto from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { WebSocketServer, type WebSocket } from "ws";
import { type Application, startApplication } from "../../src/app";
import { loadConfig } from "../../src/config";
import { createLogger } from "../../src/logger";
import { type EmulatorHandle, startEmulator } from "../../src/stand-ins/partner-center";
import { LocalSlackApi } from "../../src/stand-ins/slack/local-slack-api";
import { OPERATOR, OPS_CHANNEL, waitFor } from "../support/app-harness";

let app: Application;
let emulator: EmulatorHandle;
let slackServer: http.Server;
let wss: WebSocketServer;
const botToken = `xoxb-${crypto.randomBytes(6).toString("hex")}`;
const slack = new LocalSlackApi(botToken);
const received: unknown[] = [];
let socket: WebSocket | null = null;

beforeAll(async () => {
  slackServer = http.createServer((req, res) => void slack.handle(req, res).then((handled) => handled || res.writeHead(404).end()));
  await new Promise<void>((resolve) => slackServer.listen(0, "127.0.0.1", resolve));
  const slackUrl = `http://127.0.0.1:${(slackServer.address() as AddressInfo).port}`;
  wss = new WebSocketServer({ port: 0, host: "127.0.0.1" });
  await new Promise<void>((resolve) => wss.once("listening", () => resolve()));
  wss.on("connection", (ws) => {
    socket = ws;
    ws.on("message", (data) => received.push(JSON.parse(String(data))));
    ws.send(JSON.stringify({ type: "hello", num_connections: 1, connection_info: { app_id: "ALOCAL" }, debug_info: { host: "local" } }));
  });
  slack.appToken = `xapp-1-${crypto.randomBytes(6).toString("hex")}`;
  slack.socketModeUrl = `ws://127.0.0.1:${(wss.address() as AddressInfo).port}/`;
  emulator = await startEmulator({ port: 0 });
  const schema = process.env.DATABASE_URL ? `test_${crypto.randomBytes(6).toString("hex")}` : undefined;
  const config = loadConfig({
    DATA_DIR: "memory://",
    ...(process.env.DATABASE_URL ? { DATABASE_URL: process.env.DATABASE_URL, DATABASE_SCHEMA: schema } : {}),
    PORT: "0",
    PARTNER_CENTER_URL: emulator.url,
    PARTNER_CENTER_TOKEN: "emulator-token",
    SLACK_BOT_TOKEN: botToken,
    SLACK_APP_TOKEN: slack.appToken,
    SLACK_API_URL: `${slackUrl}/api/`,
    APPROVAL_CHANNEL_ID: "C0APPROVALS",
    OPERATOR_USER_IDS: OPERATOR.id,
  });
  // no signing secret: Socket Mode needs none, and the settings come from the environment as in production
  app = await startApplication(config, { logger: createLogger("silent"), host: "127.0.0.1", background: false });
});

afterAll(async () => {
  await app.close();
  await emulator.close();
  await new Promise<void>((resolve) => wss.close(() => resolve()));
  await new Promise<void>((resolve) => slackServer.close(() => resolve()));
});

test("a slash command arrives over the WebSocket, is acknowledged by envelope id, and answered", async () => {
  const ws = await waitFor("the app's WebSocket", () => socket ?? undefined);
  const responseUrl = slack.createResponseUrl(`http://127.0.0.1:${(slackServer.address() as AddressInfo).port}`, OPS_CHANNEL, OPERATOR.id);
  ws.send(
    JSON.stringify({
      envelope_id: "env-1",
      type: "slash_commands",
      accepts_response_payload: true,
      payload: { command: "/offboard", text: "help", user_id: OPERATOR.id, user_name: "olivia", channel_id: OPS_CHANNEL, team_id: "TLOCAL", response_url: responseUrl, trigger_id: "1.2.3", api_app_id: "ALOCAL" },
    }),
  );
  await waitFor("ack of env-1", () => received.find((m) => (m as { envelope_id?: string }).envelope_id === "env-1"));
  const help = await waitFor("help answer", () => slack.ephemerals.find((e) => e.user === OPERATOR.id));
  expect(JSON.stringify(help.blocks)).toContain("/offboard status");
  // no HTTP receiver in Socket Mode, but health routes stay
  expect((await fetch(`${app.url}/healthz`)).status).toBe(200);
  expect((await fetch(`${app.url}/slack/events`, { method: "POST" })).status).toBe(404);
});
