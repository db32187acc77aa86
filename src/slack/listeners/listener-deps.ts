import type { Logger } from "../../logger";
import type { DirectorySync, OffboardingWorkflow } from "../../workflow";
import type { SlackMessageUpdater } from "../message-updater";
import type { PostAckQueue } from "../post-ack-queue";
import type { RequestKeys } from "../retry-dedupe";

/** What the listeners work with. No store: what they need written, the workflow writes. */
export interface ListenerDeps {
  workflow: OffboardingWorkflow;
  directory: DirectorySync;
  updater: SlackMessageUpdater;
  approvalChannelId: string;
  logger: Logger;
  /** where acknowledged requests wait to be worked */
  queue: PostAckQueue;
  /** the keys of Slack requests already handled, so a retry of one is dropped */
  requestKeys: RequestKeys;
}
