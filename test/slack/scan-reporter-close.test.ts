// At shutdown the scan's progress redraws stop before the database closes: a redraw left waiting
// for its turn (chat.update at most once a second) used to run after the pool had ended.
import type { WebClient } from "@slack/web-api";
import { silentLogger } from "../../src/logger";
import { SlackScanReporter } from "../../src/slack/scan-reporter";
import type { ScanCounts } from "../../src/store";
import type { ScanStatus } from "../../src/workflow/portfolio-scan";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

test("close drops the redraws waiting for their turn and waits for the one under way", async () => {
  const reads: string[] = [];
  let underWay = 0;
  const workflow = {
    scanProgress: async (jobId: string): Promise<ScanStatus | null> => {
      underWay += 1;
      await sleep(50);
      reads.push(jobId);
      underWay -= 1;
      return null;
    },
    scanReport: async () => null,
    placeScanMessage: async () => undefined,
    placeScanResult: async () => undefined,
  };
  // no Slack call is made: every redraw finds no scan to show
  const reporter = new SlackScanReporter({} as WebClient, workflow, { postFor: async () => null }, silentLogger, 300);
  const counts = (done: number): ScanCounts => ({ done, total: 10, byClass: { ready: done, suspend_only: 0, blocked: 0, active: 0, unreadable: 0 } });
  reporter.scanProgress("scan-1", counts(1));
  await sleep(10);
  // the first redraw is reading; the next waits ~300 ms for its turn
  reporter.scanProgress("scan-1", counts(2));
  expect(underWay).toBe(1);
  await reporter.close();
  // the read under way finished before close returned
  expect(underWay).toBe(0);
  expect(reads).toEqual(["scan-1"]);
  // and the waiting one never runs, nor does a report after close
  reporter.scanProgress("scan-1", counts(3));
  await sleep(700);
  expect(reads).toEqual(["scan-1"]);
});
