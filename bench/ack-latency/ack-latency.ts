// Acknowledgement latency: the app (with its embedded database) runs here; Slack's Web API and
// Partner Center stand-ins run in a process of their own (bench/remote-services.ts), as the real
// ones are remote; a forked driver process sends signed slash commands and button presses at
// fixed rates and times each HTTP response, which Bolt sends when the listener acks. Each rate is measured after a short,
// uncounted warm-up (WARM_UP in ack-driver-protocol.ts), so the figures are the steady state.
import { fork } from "node:child_process";
import path from "node:path";
import { DEMO_TENANTS } from "../../src/stand-ins/partner-center";
import { OPERATOR, OPS_CHANNEL, startAppAgainst } from "../bench-app";
import { type BenchRow, finishBench, ms } from "../bench-results";
import { startRemoteServices } from "../remote-services";
import { type DriverRequest, type DriverResult, isDriverResult, RATES } from "./ack-driver-protocol";

async function main(): Promise<void> {
  const services = await startRemoteServices({ channel: OPS_CHANNEL, user: OPERATOR.id, responseUrls: 4 });
  const signingSecret = services.settings.SLACK_SIGNING_SECRET;
  if (!signingSecret) throw new Error("the remote services sent no signing secret");
  const app = await startAppAgainst(services.settings, { env: { PARTNER_CENTER_RPM: "6000", DIRECTORY_SYNC_MINUTES: "600" } });
  try {
    await app.directory.sync();
    // a real case, so Re-check presses do real work
    const opened = await app.workflow.startCase(OPERATOR.id, DEMO_TENANTS.legacyOnly);
    if (!opened.ok) throw new Error(opened.refusal.message);
    const request: DriverRequest = { appUrl: app.url, signingSecret, caseId: opened.value.removalCase.id, responseUrls: services.responseUrls };
    const results = await new Promise<DriverResult[]>((resolve, reject) => {
      // the driver stands in for Slack: it runs on Node's defaults, not with the app's memory flags
      const driver = fork(path.join(__dirname, "ack-driver.js"), [], { execArgv: [], stdio: ["ignore", "inherit", "inherit", "ipc"] });
      driver.on("message", (message: unknown) => {
        if (isDriverResult(message)) resolve(message.results);
      });
      driver.on("exit", (code) => reject(new Error(`driver exited with ${code ?? "a signal"} before reporting`)));
      driver.send(request);
    });
    const rows: BenchRow[] = results.map((r) => ({
      bench: "ack-latency",
      figure: `${r.rate}/s × ${r.sent}: p50 ${ms(r.p50)}, p99 ${ms(r.p99)}, max ${ms(r.max)}, errors ${r.errors}`,
      target: r.rate === Math.max(...RATES) ? "p99 < 50 ms, no errors" : "",
      pass: r.rate === Math.max(...RATES) ? r.p99 < 50 && r.errors === 0 : null,
    }));
    await finishBench(rows);
  } finally {
    await app.close();
    await services.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
