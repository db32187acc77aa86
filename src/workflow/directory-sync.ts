// Keeps the local customer directory in step with Partner Center: all pages, on demand and on
// a timer. A customer missing from a complete sync has left the partner's list.
import type { Customer } from "../domain";
import type { PartnerCenterApi } from "../partner-center/partner-center-api";
import type { Store } from "../store";
import { type Logger, silentLogger } from "../logger";
import type { Clock } from "./ports";

export class DirectorySync {
  private running: Promise<number> | null = null;
  private timer: NodeJS.Timeout | null = null;
  /** set once the directory is known to have been synced or found filled */
  private filled = false;

  constructor(
    private readonly store: Store,
    private readonly partnerCenter: PartnerCenterApi,
    private readonly clock: Clock = () => new Date(),
    private readonly logger: Logger = silentLogger,
    private readonly pageSize = 500,
  ) {}

  /** Syncs every page; concurrent callers share one run. Returns the number of customers read. */
  sync(): Promise<number> {
    if (!this.running) {
      this.running = this.syncAll().finally(() => {
        this.running = null;
      });
    }
    return this.running;
  }

  /** Searches the directory, syncing first if it has never been filled. */
  async search(query: string, limit = 10): Promise<Customer[]> {
    // The directory never shrinks (customers who leave are marked, not deleted), so once it has
    // been found filled, or filled by a sync, no keystroke needs to ask again.
    if (!this.filled) {
      if (await this.store.directory.isEmpty()) await this.sync();
      this.filled = true;
    }
    return this.store.directory.search(query, limit);
  }

  startPeriodic(intervalMs: number): void {
    this.stopPeriodic();
    this.timer = setInterval(() => {
      this.sync().catch((error: unknown) => this.logger.warn({ err: String(error) }, "directory sync failed"));
    }, intervalMs);
    this.timer.unref();
  }

  stopPeriodic(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  private async syncAll(): Promise<number> {
    const startedAt = this.clock();
    let count = 0;
    let page = await this.partnerCenter.listCustomers({ pageSize: this.pageSize });
    for (;;) {
      await this.store.directory.upsertMany(page.customers, startedAt);
      count += page.customers.length;
      if (!page.continuation) break;
      page = await this.partnerCenter.listCustomers({ pageSize: this.pageSize, continuation: page.continuation });
    }
    await this.store.directory.markMissingAsRemoved(startedAt);
    await this.store.directory.refreshStatistics();
    this.logger.info({ customers: count }, "customer directory synced");
    return count;
  }
}
