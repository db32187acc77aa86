import type { WebClient } from "@slack/web-api";
import type { Logger } from "../../logger";
import type { OffboardingWorkflow } from "../../workflow";
import type { CasePlacement } from "../case-placement";
import type { HomePublisher } from "../home-publisher";
import type { InteractionJobs } from "../interaction-jobs";
import type { SlackMessageUpdater } from "../message-updater";
import type { SlackPeople } from "../slack-people";

/** What the listeners work with. No store: what they need written, the workflow writes. */
export interface ListenerDeps {
  workflow: OffboardingWorkflow;
  updater: SlackMessageUpdater;
  placement: CasePlacement;
  home: HomePublisher;
  /** learns which workspace each person's signed requests come from (a fact for the access policy) */
  people: Pick<SlackPeople, "noteRequest">;
  approvalChannelId: string;
  logger: Logger;
  /** acknowledged requests become durable jobs, worked here by the job runner */
  interactions: InteractionJobs;
  /** the bot token's client, for work done after the ack (in whichever process works the job) */
  client: WebClient;
}
