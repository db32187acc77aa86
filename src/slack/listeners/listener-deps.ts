import type { Logger } from "../../logger";
import type { DirectorySync, OffboardingWorkflow } from "../../workflow";
import type { SlackMessageUpdater } from "../message-updater";
import type { WebClient } from "@slack/web-api";
import type { InteractionJobs } from "../interaction-jobs";

/** What the listeners work with. No store: what they need written, the workflow writes. */
export interface ListenerDeps {
  workflow: OffboardingWorkflow;
  directory: DirectorySync;
  updater: SlackMessageUpdater;
  approvalChannelId: string;
  logger: Logger;
  /** acknowledged requests become durable jobs, worked here by the job runner */
  interactions: InteractionJobs;
  /** the bot token's client, for work done after the ack (in whichever process works the job) */
  client: WebClient;
}
