// Keeps the case and approval messages in Slack in step with the case. Progress of a long job
// is throttled (chat.update is rate-limited): at most one update a second per case, and the
// last one always lands. Updates to one case go out one after another, so a slow read for an
// earlier change can never land after, and overwrite, a later one.
import type { WebClient } from "@slack/web-api";
import type { JobProgress } from "../store";
import type { CaseChange, CaseObserver, Logger, OffboardingWorkflow } from "../workflow";
import { approvalMessage } from "./blocks/approval-message";
import { caseMessage } from "./blocks/case-message";
import type { CaseView } from "../workflow";

export class SlackMessageUpdater implements CaseObserver {
  private readonly lastView = new Map<string, CaseView>();
  private readonly pending = new Map<string, { progress: JobProgress; timer: NodeJS.Timeout | null; lastAt: number }>();
  private readonly inFlight = new Set<Promise<unknown>>();
  /** the tail of each case's queue of updates */
  private readonly queues = new Map<string, Promise<void>>();

  constructor(
    private readonly client: WebClient,
    private readonly workflow: Pick<OffboardingWorkflow, "viewCase">,
    private readonly logger: Logger,
    private readonly minIntervalMs = 1000,
  ) {}

  caseChanged(caseId: string, change: CaseChange, view?: CaseView): void {
    this.enqueue(caseId, () => this.refresh(caseId, change, view));
  }

  jobProgress(caseId: string, _jobId: string, progress: JobProgress): void {
    const entry = this.pending.get(caseId) ?? { progress, timer: null, lastAt: 0 };
    entry.progress = progress;
    this.pending.set(caseId, entry);
    if (entry.timer) return;
    const wait = Math.max(0, entry.lastAt + this.minIntervalMs - Date.now());
    entry.timer = setTimeout(() => {
      entry.timer = null;
      entry.lastAt = Date.now();
      this.enqueue(caseId, () => this.pushProgress(caseId, entry.progress));
    }, wait);
  }

  /** Remembers the view a listener just rendered, so progress updates need no Partner Center read. */
  remember(view: CaseView): void {
    this.lastView.set(view.removalCase.id, view);
  }

  /** Waits for the updates under way (tests, shutdown). */
  async settle(): Promise<void> {
    while (this.inFlight.size > 0 || [...this.pending.values()].some((p) => p.timer)) {
      await Promise.all([...this.inFlight]);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  private enqueue(caseId: string, update: () => Promise<void>): void {
    const previous = this.queues.get(caseId) ?? Promise.resolve();
    const next = previous.then(update).catch((error: unknown) => this.logger.warn({ caseId, err: String(error) }, "could not update a Slack message"));
    this.queues.set(caseId, next);
    this.inFlight.add(next);
    void next.finally(() => {
      this.inFlight.delete(next);
      if (this.queues.get(caseId) === next) this.queues.delete(caseId);
    });
  }

  private async pushProgress(caseId: string, progress: JobProgress): Promise<void> {
    const view = this.lastView.get(caseId);
    const ref = view?.removalCase.caseMessage;
    if (!view || !ref) return;
    const message = caseMessage(view, { progress });
    await this.client.chat.update({ channel: ref.channelId, ts: ref.ts, text: message.text, blocks: message.blocks });
  }

  private async refresh(caseId: string, change: CaseChange, fresh?: CaseView): Promise<void> {
    let view = fresh;
    if (!view) {
      const result = await this.workflow.viewCase(caseId);
      if (!result.ok) {
        this.logger.warn({ caseId, change, reason: result.refusal.message }, "case message not refreshed");
        return;
      }
      view = result.value;
    }
    this.lastView.set(caseId, view);
    const c = view.removalCase;
    if (c.caseMessage) {
      const message = caseMessage(view);
      await this.client.chat.update({ channel: c.caseMessage.channelId, ts: c.caseMessage.ts, text: message.text, blocks: message.blocks });
    }
    if (c.approvalMessage && change !== "job_started" && change !== "subscription_changed" && change !== "rechecked") {
      const message = approvalMessage(c, change === "reopened" ? { note: "the live re-check found items blocking removal again" } : undefined);
      await this.client.chat.update({ channel: c.approvalMessage.channelId, ts: c.approvalMessage.ts, text: message.text, blocks: message.blocks });
    }
  }
}
