// With SLACK_APP_TOKEN the app takes Slack's requests over a Socket Mode WebSocket instead of
// HTTP. A local WebSocket server plays Slack: it hands out envelopes and expects acks.
import crypto from "node:crypto";
import type { AddressInfo } from "node:net";
import { WebSocketServer, type WebSocket } from "ws";
import type { Application } from "../../src/app";
import { IN_MEMORY_DATA_DIR } from "../../src/config";
import { createLogger } from "../../src/logger";
import { type LocalWorld, createLocalWorld } from "../../src/stand-ins/local-world";
import { OPERATOR, OPS_CHANNEL, waitFor } from "../support/app-harness";
import { testDatabaseSettings } from "../support/test-database";

let app: Application;
let world: LocalWorld;
let wss: WebSocketServer;
const database = testDatabaseSettings();
const received: unknown[] = [];
let socket: WebSocket | null = null;

beforeAll(async () => {
  world = await createLocalWorld({
    env: { DATA_DIR: IN_MEMORY_DATA_DIR, ...database.env, PORT: "0", EMULATOR_PORT: "0", APPROVAL_CHANNEL_ID: "C0APPROVALS", OPERATOR_USER_IDS: OPERATOR.id },
  });
  wss = new WebSocketServer({ port: 0, host: "127.0.0.1" });
  await new Promise<void>((resolve) => wss.once("listening", () => resolve()));
  wss.on("connection", (ws) => {
    socket = ws;
    ws.on("message", (data) => received.push(JSON.parse(String(data))));
    ws.send(JSON.stringify({ type: "hello", num_connections: 1, connection_info: { app_id: "ALOCAL" }, debug_info: { host: "local" } }));
  });
  const appToken = `xapp-1-${crypto.randomBytes(6).toString("hex")}`;
  world.slack.appToken = appToken;
  world.slack.socketModeUrl = `ws://127.0.0.1:${(wss.address() as AddressInfo).port}/`;
  // no signing secret: Socket Mode needs none, and the settings come from the environment as in production
  app = await world.startApp({ env: { SLACK_APP_TOKEN: appToken, SLACK_SIGNING_SECRET: "" }, logger: createLogger("silent"), background: false });
});

afterAll(async () => {
  await app.close();
  await database.drop();
  await world.close();
  await new Promise<void>((resolve) => wss.close(() => resolve()));
});

test("a slash command arrives over the WebSocket, is acknowledged by envelope id, and answered", async () => {
  const ws = await waitFor("the app's WebSocket", () => socket ?? undefined);
  const responseUrl = world.responseUrl(OPS_CHANNEL, OPERATOR.id);
  ws.send(
    JSON.stringify({
      envelope_id: "env-1",
      type: "slash_commands",
      accepts_response_payload: true,
      payload: { command: "/offboard", text: "help", user_id: OPERATOR.id, user_name: "olivia", channel_id: OPS_CHANNEL, team_id: "TLOCAL", response_url: responseUrl, trigger_id: "1.2.3", api_app_id: "ALOCAL" },
    }),
  );
  await waitFor("ack of env-1", () => received.find((m) => (m as { envelope_id?: string }).envelope_id === "env-1"));
  const help = await waitFor("help answer", () => world.slack.ephemerals.find((e) => e.user === OPERATOR.id));
  expect(JSON.stringify(help.blocks)).toContain("/offboard status");
  // no HTTP receiver in Socket Mode, but health routes stay
  expect((await fetch(`${app.url}/healthz`)).status).toBe(200);
  expect((await fetch(`${app.url}/slack/events`, { method: "POST" })).status).toBe(404);
});
