// Keeps the case and approval messages in Slack in step with the case. Progress of a long job
// is throttled (chat.update is rate-limited): at most one update a second per case, and the
// last one always lands. Each update is numbered when the case changes, and one that is ready
// after a later one has gone out is dropped: a slow read for an earlier change must not
// overwrite a newer message, and a stuck call must not hold up the ones after it. A case message
// whose channel no longer takes it (the bot removed from it) is posted again where the case
// placement would put it (case-placement.ts), so a GDAP ending's progress still reaches someone.
import type { WebClient } from "@slack/web-api";
import type { JobProgress } from "../store";
import type { Logger } from "../logger";
import type { CaseChange, CaseObserver, CaseView, ChangeFacts, FreshView, GaveUpNotice, OffboardingWorkflow } from "../workflow";
import { type ApprovalCardOptions, approvalMessage } from "./blocks/approval-message";
import { escapeText } from "./blocks/block-kit";
import { caseMessage } from "./blocks/case-message";
import type { CasePlacement } from "./case-placement";
import { cannotPostThere, describeSlackError } from "./slack-errors";

export class SlackMessageUpdater implements CaseObserver {
  private readonly lastView = new Map<string, CaseView>();
  private readonly pending = new Map<string, { progress: JobProgress; timer: NodeJS.Timeout | null; lastAt: number }>();
  private readonly inFlight = new Set<Promise<unknown>>();
  /** per case: the write of its message under way (and those queued behind it) */
  private readonly writing = new Map<string, Promise<void>>();
  /** per case: the number given to the latest change, and that of the latest update sent */
  private readonly sequence = new Map<string, { given: number; sent: number }>();
  /** where a case message goes when its channel no longer takes it; set once the placement exists */
  private mover: Pick<CasePlacement, "relocate"> | null = null;

  constructor(
    private readonly client: WebClient,
    private readonly workflow: Pick<OffboardingWorkflow, "viewCase">,
    private readonly logger: Logger,
    private readonly minIntervalMs = 1000,
  ) {}

  caseChanged(caseId: string, change: CaseChange, view?: FreshView, facts?: ChangeFacts): void {
    // a reminder changes nothing people see on the case
    if (change === "reminder") return;
    this.track(this.refresh(caseId, change, this.number(caseId), view, facts));
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
      // progress redraws the latest view rather than being a change of its own, so it takes the
      // latest change's number: it never makes a refresh that is still reading look stale
      this.track(this.pushProgress(caseId, entry.progress, this.sequenceOf(caseId).given));
    }, wait);
  }

  /** Tells the person who asked, by direct message: nothing acknowledged ends in silence. */
  workGaveUp(notice: GaveUpNotice): void {
    const text = `:warning: ${escapeText(notice.what)} stopped after repeated failures and will not be tried again on its own: ${escapeText(notice.error)}. The case message shows where things stand.`;
    this.track(this.client.chat.postMessage({ channel: notice.userId, text }));
  }

  /** The placement that re-posts a case message its channel no longer takes (made after this updater: it remembers views here). */
  relocateWith(mover: Pick<CasePlacement, "relocate">): void {
    this.mover = mover;
  }

  /**
   * Whether `view` is no older than the view last shown for its case: a later write to the case,
   * or the same write read from Partner Center no earlier. An /offboard whose read began before a
   * suspension landed must not put the subscription back on the message after the suspension's
   * own refresh has gone out.
   */
  isCurrent(view: CaseView): boolean {
    const last = this.lastView.get(view.removalCase.id);
    if (!last) return true;
    if (view.removalCase.version !== last.removalCase.version) return view.removalCase.version > last.removalCase.version;
    return view.snapshot.takenAt.getTime() >= last.snapshot.takenAt.getTime();
  }

  /**
   * Writes a listener's render of the case message (an /offboard in place) in the case's turn, unless
   * a newer view is on the message by then; false when nothing was written.
   */
  writeIfCurrent(view: CaseView, write: () => Promise<unknown>): Promise<boolean> {
    return this.inTurn(view.removalCase.id, async () => {
      if (!this.isCurrent(view)) return false;
      await write();
      this.remember(view);
      return true;
    });
  }

  /** Remembers the view a listener just rendered, so progress updates need no Partner Center read. */
  remember(view: CaseView): void {
    if (this.isCurrent(view)) this.lastView.set(view.removalCase.id, view);
  }

  /** Waits for the updates under way (tests, shutdown). */
  async settle(): Promise<void> {
    while (this.inFlight.size > 0 || [...this.pending.values()].some((p) => p.timer)) {
      await Promise.all([...this.inFlight]);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  private track(work: Promise<unknown>): void {
    const guarded = work.catch((error: unknown) => this.logger.warn({ err: String(error) }, "could not update a Slack message"));
    this.inFlight.add(guarded);
    void guarded.finally(() => this.inFlight.delete(guarded));
  }

  private sequenceOf(caseId: string): { given: number; sent: number } {
    let entry = this.sequence.get(caseId);
    if (!entry) this.sequence.set(caseId, (entry = { given: 0, sent: 0 }));
    return entry;
  }

  private number(caseId: string): number {
    return (this.sequenceOf(caseId).given += 1);
  }

  /** True if update `n` may go out: nothing newer has gone out before it. */
  private maySend(caseId: string, n: number): boolean {
    const entry = this.sequenceOf(caseId);
    if (entry.sent > n) return false;
    entry.sent = n;
    return true;
  }

  private async pushProgress(caseId: string, progress: JobProgress, n: number): Promise<void> {
    await this.inTurn(caseId, async () => {
      const view = this.lastView.get(caseId);
      const ref = view?.removalCase.caseMessage;
      if (!view || !ref || !this.maySend(caseId, n)) return;
      const message = caseMessage(view, { progress });
      await this.client.chat.update({ channel: ref.channelId, ts: ref.ts, text: message.text, blocks: message.blocks });
    });
  }

  /**
   * A case message's writes go one at a time, each deciding when its turn comes whether it is still
   * the newest: two chat.update calls under way at once can reach Slack in either order.
   */
  private inTurn<T>(caseId: string, write: () => Promise<T>): Promise<T> {
    const next = (this.writing.get(caseId) ?? Promise.resolve()).then(write);
    const settled = next.then(
      () => undefined,
      () => undefined,
    );
    this.writing.set(caseId, settled);
    void settled.then(() => {
      if (this.writing.get(caseId) === settled) this.writing.delete(caseId);
    });
    return next;
  }

  private async refresh(caseId: string, change: CaseChange, n: number, fresh?: FreshView, facts?: ChangeFacts): Promise<void> {
    // the view the use case read (or is reading) after the change; only without one is it read here
    let view = fresh ? await fresh : null;
    if (!view) {
      const result = await this.workflow.viewCase(caseId);
      if (!result.ok) {
        this.logger.warn({ caseId, change, reason: result.refusal.message }, "case message not refreshed");
        return;
      }
      view = result.value;
    }
    const shown = view;
    const sent = await this.inTurn(caseId, async () => {
      if (!this.maySend(caseId, n)) return false;
      this.lastView.set(caseId, shown);
      const ref = shown.removalCase.caseMessage;
      if (!ref) return true;
      const message = caseMessage(shown);
      try {
        await this.client.chat.update({ channel: ref.channelId, ts: ref.ts, text: message.text, blocks: message.blocks });
        this.logger.debug({ caseId, change, state: shown.removalCase.state }, "case message updated");
      } catch (error) {
        if (!this.mover || !cannotPostThere(error)) throw error;
        this.logger.info({ caseId, change, err: describeSlackError(error) }, "the case message's channel no longer takes it");
        if (!(await this.mover.relocate(this.client, shown))) this.logger.warn({ caseId, change }, "the case message could not be posted anywhere");
      }
      return true;
    });
    if (!sent) return;
    const c = view.removalCase;
    if (facts?.supersededApproval) {
      // the earlier request's card: no buttons, and why
      const old = approvalMessage(c, { superseded: true });
      await this.client.chat.update({ channel: facts.supersededApproval.channelId, ts: facts.supersededApproval.ts, text: old.text, blocks: old.blocks });
    }
    // a request's card changes when the request does (and hears when a GDAP ending has finished); it was posted just now with a new request
    if (c.approvalMessage && APPROVAL_CHANGES.has(change)) {
      const message = approvalMessage(c, { ...approvalCardOptions(change, facts), notices: view.preconditions.notices, gdap: view.gdap });
      await this.client.chat.update({ channel: c.approvalMessage.channelId, ts: c.approvalMessage.ts, text: message.text, blocks: message.blocks });
    }
  }
}

const APPROVAL_CHANGES: ReadonlySet<CaseChange> = new Set(["approved", "reopened", "rejected", "expired", "cancelled", "removed", "failed", "withdrawn", "gdap_finished"]);

function approvalCardOptions(change: CaseChange, facts: ChangeFacts | undefined): ApprovalCardOptions {
  const requester = facts?.requester ? { requester: facts.requester } : {};
  if (change === "reopened") return { ...requester, note: "the live re-check found items blocking removal again" };
  if (change === "withdrawn") return { ...requester, withdrawnBy: facts?.actor ?? "someone" };
  if (change === "removed") return { ...requester, relinkUrl: facts?.relinkUrl ?? null };
  return requester;
}
