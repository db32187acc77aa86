// The floor of the ack-latency bench: a Bolt app on the same HTTP receiver, with the same
// settings as the app's (src/slack/slack-app.ts), whose listeners only ack. Run in a process of
// its own with the app's Node flags, it measures what Bolt, Node's HTTP stack and this machine
// cost at the same moment, so the app's figure is read as a ratio to it.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { App, HTTPReceiver, LogLevel } from "@slack/bolt";

export interface FloorReady {
  floorUrl: string;
}

function serve(signingSecret: string): Promise<string> {
  const receiver = new HTTPReceiver({ signingSecret, endpoints: ["/slack/events"], logLevel: LogLevel.ERROR, processBeforeResponse: false, unhandledRequestTimeoutMillis: 2900 });
  // no Web API call and no conversation store, as in the app
  const app = new App({ receiver, authorize: async () => ({ botToken: "xoxb-floor", botId: "B0FLOOR", botUserId: "U0FLOOR" }), convoStore: false, logLevel: LogLevel.ERROR });
  app.command("/offboard", async ({ ack }) => ack());
  app.action(/^[a-z_]+$/, async ({ ack }) => ack());
  const server = http.createServer((req, res) => receiver.requestListener(req, res));
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`)));
}

if (process.argv[2] === "--serve") {
  process.once("message", (message: unknown) => {
    const secret = typeof message === "object" && message !== null && "signingSecret" in message ? String(message.signingSecret) : "";
    if (!secret) process.exit(2);
    void serve(secret).then((floorUrl) => process.send?.({ floorUrl } satisfies FloorReady));
    // the parent going away is the signal to stop
    process.once("disconnect", () => process.exit(0));
  });
}
