// The doctor's last run, kept for /readyz?detail and the App Home's admin section: the checks
// call Slack, Partner Center and Graph, so nobody opening a page runs them; at most one run is
// under way at a time, and every caller in the meantime joins it.
import type { SetupChecks, SetupReport } from "../workflow/ports";
import { type CheckResult, failed, reason, within } from "./doctor-check";

/** a whole run never takes longer: each call has its own timeout, and this bounds their sum */
const RUN_LIMIT_MS = 30_000;

export class CheckCache implements SetupChecks {
  private last: SetupReport | null = null;
  private inFlight: Promise<SetupReport> | null = null;
  private readonly listeners: Array<(report: SetupReport) => void> = [];

  constructor(
    private readonly run: () => Promise<CheckResult[]>,
    private readonly clock: () => Date = () => new Date(),
    private readonly limitMs = RUN_LIMIT_MS,
  ) {}

  latest(): SetupReport | null {
    return this.last;
  }

  running(): boolean {
    return this.inFlight !== null;
  }

  /** Told after every run (the Home tabs that show it are published again). */
  onFinished(listener: (report: SetupReport) => void): void {
    this.listeners.push(listener);
  }

  refresh(freshMs = 0): Promise<SetupReport> {
    if (this.inFlight) return this.inFlight;
    if (this.last && this.clock().getTime() - this.last.checkedAt.getTime() < freshMs) return Promise.resolve(this.last);
    const started = this.clock();
    this.inFlight = within(this.limitMs, this.run())
      .catch((error: unknown) => [failed("Set-up checks", `the checks did not finish: ${reason(error)}`, "run `npm run doctor` where the app runs, and read the app's log")])
      .then((checks) => {
        const report = { checkedAt: started, checks };
        this.last = report;
        return report;
      })
      .finally(() => {
        this.inFlight = null;
      });
    const report = this.inFlight;
    // listeners hear once the run is no longer under way, so what they publish says so
    void report.then((done) => {
      for (const listener of this.listeners) listener(done);
    });
    return report;
  }
}
