// Shows a portfolio scan in its channel: posts the progress message when the scan first reports,
// redraws it at most once a second (chat.update is rate-limited), and when every customer is
// read posts the result with the CSV in its thread (files.uploadV2: getUploadURLExternal, the
// upload, completeUploadExternal). The result is posted once: a retried job sees it placed.
import type { WebClient } from "@slack/web-api";
import type { Logger } from "../logger";
import type { ScanCounts } from "../store";
import type { OffboardingWorkflow, ScanObserver } from "../workflow";
import { scanProgressMessage, scanResultMessage } from "./blocks/scan-messages";
import { scanCsv } from "./scan-csv";

type ScanUseCases = Pick<OffboardingWorkflow, "scanProgress" | "scanReport" | "placeScanMessage" | "placeScanResult">;

export class SlackScanReporter implements ScanObserver {
  /** per scan: the redraws in order, and whether one is waiting for its turn */
  private readonly chains = new Map<string, { tail: Promise<void>; waiting: boolean; lastAt: number }>();

  constructor(
    private readonly client: WebClient,
    private readonly workflow: ScanUseCases,
    private readonly logger: Logger,
    private readonly minIntervalMs = 1000,
  ) {}

  scanProgress(jobId: string, _counts: ScanCounts): void {
    const chain = this.chains.get(jobId) ?? { tail: Promise.resolve(), waiting: false, lastAt: 0 };
    this.chains.set(jobId, chain);
    if (chain.waiting) return; // the redraw already queued reads the counts when it runs
    chain.waiting = true;
    chain.tail = chain.tail.then(async () => {
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, chain.lastAt + this.minIntervalMs - Date.now())));
      chain.waiting = false;
      chain.lastAt = Date.now();
      await this.redraw(jobId).catch((error: unknown) => this.logger.warn({ jobId, err: String(error) }, "could not update the scan's progress message"));
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
    const posted = await this.client.chat.postMessage({ channel: scan.channelId, text: result.text, blocks: result.blocks });
    if (!posted.ts) throw new Error("Slack did not say where the scan's result was posted");
    await this.client.filesUploadV2({
      channel_id: scan.channelId,
      thread_ts: posted.ts,
      filename: `portfolio-scan-${scan.startedAt.toISOString().slice(0, 10)}.csv`,
      title: "Portfolio scan: every customer",
      content: scanCsv(report.customers),
      initial_comment: `All ${report.counts.done} customers with their class, blockers and last activity.`,
    });
    await this.workflow.placeScanResult(jobId, posted.ts);
  }

  /** Posts the progress message the first time, then updates it. */
  private async redraw(jobId: string): Promise<void> {
    const status = await this.workflow.scanProgress(jobId);
    if (!status) return;
    const message = scanProgressMessage(status.scan, status.counts);
    if (status.scan.messageTs) {
      await this.client.chat.update({ channel: status.scan.channelId, ts: status.scan.messageTs, text: message.text, blocks: message.blocks });
      return;
    }
    const posted = await this.client.chat.postMessage({ channel: status.scan.channelId, text: message.text, blocks: message.blocks });
    if (posted.ts) await this.workflow.placeScanMessage(jobId, posted.ts);
  }
}
