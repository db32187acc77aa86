// Shows a portfolio scan in its channel: posts the progress message when the scan first reports,
// redraws it at most once a second (chat.update is rate-limited), and when every customer is
// read posts the result with the CSV in its thread (files.uploadV2: getUploadURLExternal, the
// upload, completeUploadExternal). The result is posted once: a retried job sees it placed. Both go
// where the case placement would put a case message (case-placement.ts): the channel the scan was
// started in when the bot may post there, else DEFAULT_CASE_CHANNEL_ID, else the requester's
// direct messages; the scan then keeps the channel that took its progress message.
import type { WebClient } from "@slack/web-api";
import type { Logger } from "../logger";
import type { ScanCounts } from "../store";
import type { OffboardingWorkflow, ScanObserver } from "../workflow";
import { scanProgressMessage, scanResultMessage } from "./blocks/scan-messages";
import type { CasePlacement } from "./case-placement";
import { scanCsv } from "./scan-csv";
import { cannotPostThere, describeSlackError } from "./slack-errors";

type ScanUseCases = Pick<OffboardingWorkflow, "scanProgress" | "scanReport" | "placeScanMessage" | "placeScanResult">;

export class SlackScanReporter implements ScanObserver {
  /** per scan: the redraws in order, and whether one is waiting for its turn */
  private readonly chains = new Map<string, { tail: Promise<void>; waiting: boolean; lastAt: number }>();
  /** ends the waits of redraws queued for their turn (at shutdown) */
  private readonly pauses = new Set<() => void>();
  private closed = false;

  constructor(
    private readonly client: WebClient,
    private readonly workflow: ScanUseCases,
    private readonly places: Pick<CasePlacement, "postFor">,
    private readonly logger: Logger,
    private readonly minIntervalMs = 1000,
  ) {}

  scanProgress(jobId: string, _counts: ScanCounts): void {
    const chain = this.chains.get(jobId) ?? { tail: Promise.resolve(), waiting: false, lastAt: 0 };
    this.chains.set(jobId, chain);
    if (chain.waiting) return; // the redraw already queued reads the counts when it runs
    chain.waiting = true;
    chain.tail = chain.tail.then(async () => {
      await this.pause(Math.max(0, chain.lastAt + this.minIntervalMs - Date.now()));
      chain.waiting = false;
      if (this.closed) return;
      chain.lastAt = Date.now();
      await this.redraw(jobId).catch((error: unknown) => this.logger.warn({ jobId, err: String(error) }, "could not update the scan's progress message"));
    });
  }

  /**
   * No more redraws: the ones waiting for their turn are dropped (the scan's next process redraws
   * when it resumes), the one under way is waited for. Called before the database closes: a redraw
   * left to its timer read a closed pool ("Cannot use a pool after calling end on the pool").
   */
  async close(): Promise<void> {
    this.closed = true;
    for (const end of this.pauses) end();
    await Promise.all([...this.chains.values()].map((chain) => chain.tail));
  }

  private pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const end = () => {
        clearTimeout(timer);
        this.pauses.delete(end);
        resolve();
      };
      const timer = setTimeout(end, ms);
      this.pauses.add(end);
    });
  }

  async scanFinished(jobId: string): Promise<void> {
    await this.chains.get(jobId)?.tail;
    this.chains.delete(jobId);
    const report = await this.workflow.scanReport(jobId);
    if (!report || report.scan.resultTs) return;
    const { scan } = report;
    await this.redraw(jobId);
    const result = scanResultMessage(report);
    // the channel that took the progress message (redraw above moved it there if it had to)
    const channel = (await this.workflow.scanProgress(jobId))?.scan.channelId ?? scan.channelId;
    const posted = await this.places.postFor(this.client, channel, scan.requestedBy, result);
    if (!posted) throw new Error("the scan's result could not be posted anywhere");
    // placed before the CSV goes: a retry of this step must not post the result a second time
    await this.workflow.placeScanResult(jobId, posted.ts, posted.channelId);
    const csv = {
      filename: `portfolio-scan-${scan.startedAt.toISOString().slice(0, 10)}.csv`,
      title: "Portfolio scan: every customer",
      content: scanCsv(report.customers),
      initial_comment: `All ${report.counts.done} customers with their class, blockers and last activity.`,
    };
    try {
      await this.client.filesUploadV2({ ...csv, channel_id: posted.channelId, thread_ts: posted.ts });
    } catch (error) {
      // sharing a file takes membership (chat:write.public does not cover it): the requester gets it privately
      this.logger.warn({ jobId, channel: posted.channelId, err: describeSlackError(error) }, "could not attach the scan's CSV to its result");
      await this.csvElsewhere(jobId, scan.requestedBy, posted, csv, describeSlackError(error));
    }
  }

  /** The CSV in the requester's direct messages, and a word in the result's thread saying where it went (or that it could not go). */
  private async csvElsewhere(jobId: string, userId: string, result: { channelId: string; ts: string }, csv: { filename: string; title: string; content: string; initial_comment: string }, why: string): Promise<void> {
    let note = `The CSV could not be attached here (Slack: ${why}); invite the app to this channel to have it here next time.`;
    try {
      const dm = await this.client.chat.postMessage({ channel: userId, text: "The CSV of your portfolio scan, which could not be attached to its result." });
      if (!dm.channel || !dm.ts || dm.channel === result.channelId) throw new Error("no direct message to attach it to");
      await this.client.filesUploadV2({ ...csv, channel_id: dm.channel, thread_ts: dm.ts });
      note += ` It is in <@${userId}>'s direct messages with the app.`;
    } catch (error) {
      this.logger.warn({ jobId, err: describeSlackError(error) }, "could not send the scan's CSV by direct message either");
      note += " Sending it by direct message failed too: run /offboard scan again once the app can post here.";
    }
    await this.client.chat.postMessage({ channel: result.channelId, thread_ts: result.ts, text: note }).catch((error: unknown) => {
      this.logger.warn({ jobId, err: describeSlackError(error) }, "could not say where the scan's CSV went");
    });
  }

  /** Posts the progress message the first time, then updates it. */
  private async redraw(jobId: string): Promise<void> {
    const status = await this.workflow.scanProgress(jobId);
    if (!status) return;
    const message = scanProgressMessage(status.scan, status.counts);
    const { scan } = status;
    if (scan.messageTs) {
      try {
        await this.client.chat.update({ channel: scan.channelId, ts: scan.messageTs, text: message.text, blocks: message.blocks });
        return;
      } catch (error) {
        // the bot lost that channel during the scan: the progress is posted again, in the next place
        if (!cannotPostThere(error)) throw error;
        this.logger.info({ jobId, channel: scan.channelId, err: describeSlackError(error) }, "the scan's channel no longer takes its progress; posting it elsewhere");
      }
    }
    const preferred = scan.messageTs ? null : scan.channelId;
    const posted = await this.places.postFor(this.client, preferred, scan.requestedBy, message);
    if (!posted) throw new Error("the scan's progress could not be posted anywhere");
    await this.workflow.placeScanMessage(jobId, posted.ts, posted.channelId);
  }
}
