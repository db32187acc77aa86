// The App Home: published when someone opens it, and published again for the people who have it
// open recently whenever a case changes, so no one acts on a stale list.
import type { WebClient } from "@slack/web-api";
import type { Logger } from "../logger";
import type { OffboardingWorkflow } from "../workflow";
import { MAX_VIEW_BLOCKS } from "./blocks/block-kit";
import { homeView } from "./blocks/info-messages";
import { CANDIDATES_SHOWN, cleanupCandidateBlocks } from "./blocks/scan-messages";
import { describeSlackError } from "./slack-errors";

/** How many recent Home viewers are kept up to date, and how long after their last visit. */
const MAX_VIEWERS = 50;
const VIEWER_TTL_MS = 8 * 3600_000;

export class HomePublisher {
  private readonly viewers = new Map<string, number>();
  private timer: NodeJS.Timeout | null = null;
  private publishing: Promise<void> = Promise.resolve();
  /** per person: the publish under way (and those queued behind it) */
  private readonly chains = new Map<string, Promise<void>>();

  constructor(
    private readonly client: WebClient,
    private readonly workflow: Pick<OffboardingWorkflow, "homeFor" | "cleanupCandidates">,
    private readonly logger: Logger,
    private readonly debounceMs = 200,
  ) {}

  /** Someone opened the Home tab (or acted on it): publish theirs now and keep it current. */
  async opened(userId: string): Promise<void> {
    this.viewers.delete(userId);
    this.viewers.set(userId, Date.now());
    if (this.viewers.size > MAX_VIEWERS) this.viewers.delete(this.viewers.keys().next().value ?? "");
    await this.publish(userId);
  }

  /** A case changed (or the set-up checks were run): every recent viewer's Home is published again, once per burst of changes. */
  caseChanged(): void {
    if (this.timer || this.viewers.size === 0) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.publishing = this.publishing.then(() => this.publishAll());
    }, this.debounceMs);
  }

  async settle(): Promise<void> {
    while (this.timer) await new Promise((resolve) => setTimeout(resolve, this.debounceMs));
    await this.publishing;
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private async publishAll(): Promise<void> {
    const now = Date.now();
    for (const [userId, seen] of [...this.viewers]) {
      if (now - seen > VIEWER_TTL_MS) this.viewers.delete(userId);
      else await this.publish(userId);
    }
  }

  /**
   * One person's publishes go one after the other, each reading after the one before was sent: an
   * open of the tab and a republish after a change otherwise raced, and the older read could land last.
   */
  private publish(userId: string): Promise<void> {
    const next = (this.chains.get(userId) ?? Promise.resolve()).then(() => this.publishNow(userId));
    this.chains.set(userId, next);
    void next.finally(() => {
      if (this.chains.get(userId) === next) this.chains.delete(userId);
    });
    return next;
  }

  private async publishNow(userId: string): Promise<void> {
    try {
      const [summary, candidates] = await Promise.all([this.workflow.homeFor(userId), this.workflow.cleanupCandidates(userId, CANDIDATES_SHOWN)]);
      const view = homeView(summary, userId);
      // operators see the last scan's ready customers (a Home tab holds at most 100 blocks)
      if (candidates !== undefined) view.blocks.push(...cleanupCandidateBlocks(candidates).slice(0, Math.max(0, MAX_VIEW_BLOCKS - view.blocks.length)));
      await this.client.views.publish({ user_id: userId, view });
    } catch (error) {
      this.logger.warn({ user: userId, err: describeSlackError(error) }, "could not publish the Home tab");
    }
  }
}
