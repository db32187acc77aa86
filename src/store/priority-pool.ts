// A pg.Pool whose checkouts take turns through a gate with an urgent lane. The embedded database
// has one connection, shared by the ack path's one insert and by everything the job runner does
// after the ack (Prisma's queries and transactions, claims, lease renewals); in pg-pool's own
// first-come queue an ack insert waited behind the whole backlog of that work, so at 200 requests
// a second its wait grew with the backlog (bench: ack p50 0.6–1.4 s, p99 1.3–2.1 s). Through the
// urgent lane it waits for the one statement or transaction in hand, no more.
import pg from "pg";

type ConnectCallback = (err: Error | undefined, client: pg.PoolClient | undefined, done: (release?: unknown) => void) => void;

export class PriorityPool extends pg.Pool {
  private readonly places: number;
  private held = 0;
  private readonly urgent: Array<() => void> = [];
  private readonly normal: Array<() => void> = [];

  constructor(config: pg.PoolConfig) {
    super(config);
    this.places = config.max ?? 10;
  }

  // every checkout, pool.query's and Prisma's included, goes through the gate
  override connect(): Promise<pg.PoolClient>;
  override connect(callback: ConnectCallback): void;
  override connect(callback?: ConnectCallback): Promise<pg.PoolClient> | void {
    const checkout = this.checkout(false);
    if (!callback) return checkout;
    checkout.then(
      (client) => callback(undefined, client, (release) => client.release(release instanceof Error ? release : undefined)),
      (error: unknown) => callback(error instanceof Error ? error : new Error(String(error)), undefined, () => undefined),
    );
  }

  /** One statement ahead of every checkout still waiting: the ack path's insert. */
  async queryUrgent<R extends pg.QueryResultRow>(text: string, values: unknown[]): Promise<pg.QueryResult<R>> {
    const client = await this.checkout(true);
    try {
      return await client.query<R>(text, values);
    } finally {
      client.release();
    }
  }

  /** checkouts waiting for a place (urgent and normal) */
  get gateWaiting(): number {
    return this.urgent.length + this.normal.length;
  }

  private async checkout(urgent: boolean): Promise<pg.PoolClient> {
    if (this.held < this.places) this.held += 1;
    // the place is handed over by leave(), so `held` stays counted
    else await new Promise<void>((resolve) => (urgent ? this.urgent : this.normal).push(resolve));
    let client: pg.PoolClient;
    try {
      client = await super.connect();
    } catch (error) {
      this.leave();
      throw error;
    }
    // pg-pool gives the client a fresh release for each checkout; ours passes the place on after it
    const release = client.release.bind(client);
    let released = false;
    client.release = (error?: Error | boolean) => {
      release(error);
      if (!released) {
        released = true;
        this.leave();
      }
    };
    return client;
  }

  private leave(): void {
    const next = this.urgent.shift() ?? this.normal.shift();
    if (next) next();
    else this.held -= 1;
  }
}
