// Entry point: validate the environment, start the app (with Slack, or in its local world with the
// local console when no Slack credentials are set), and shut down gracefully on SIGTERM / SIGINT.
import { ConfigError, loadConfig } from "./config";
import { slackSettingsFrom, startApplication } from "./app";
import { startLocalConsole } from "./stand-ins/local-world";
import { createLogger } from "./logger";
import { startLocalPartnerCenter } from "./stand-ins/partner-center";

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`Configuration error: ${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
  const logger = createLogger(config.LOG_LEVEL);
  const running = slackSettingsFrom(config)
    ? await startApplication(config, { logger, localPartnerCenter: startLocalPartnerCenter })
    : await startLocalConsole(process.env, { logger });
  if ("consoleUrl" in running) {
    process.stdout.write(`\nReseller Offboarding is running without Slack credentials.\nOpen the local console: ${running.consoleUrl}\n\n`);
  }

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, "shutting down: no new work, releasing jobs in flight");
    running
      .close()
      .then(() => process.exit(0))
      .catch((error: unknown) => {
        logger.error({ err: String(error) }, "shutdown failed");
        process.exit(1);
      });
  };
  process.on("SIGTERM", () => stop("SIGTERM"));
  process.on("SIGINT", () => stop("SIGINT"));
}

main().catch((error: unknown) => {
  process.stderr.write(`Reseller Offboarding could not start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
