// The emulator's current world and the lookups every route needs: one object shared by the route
// modules and the test controls, so a reset replaces the world for all of them at once.
import { randomUUID } from "node:crypto";
import { HttpError } from "./answers";
import { type EmuCustomer, type EmulatorState, type RememberedResponse, StatePersister, loadState } from "./emulator-state";

const MAX_REMEMBERED = 10_000;

export class EmulatorWorld {
  state: EmulatorState;
  /** the first successful answer per MS-RequestId of a mutating call, replayed when it comes again */
  remembered: Map<string, RememberedResponse>;
  private readonly persister: StatePersister;

  constructor(
    stateDir: string | undefined,
    private readonly initial: () => EmulatorState,
  ) {
    this.state = (stateDir ? loadState(stateDir) : undefined) ?? initial();
    this.remembered = new Map(this.state.requests);
    this.persister = new StatePersister(stateDir, () => ({ ...this.state, requests: [...this.remembered.entries()] }));
    this.persister.changed(); // a freshly seeded world is saved too, so its windows stay as seeded
  }

  changed(): void {
    this.persister.changed();
  }

  flush(): void {
    this.persister.flush();
  }

  /** back to the initial world, nothing remembered */
  reset(): void {
    this.state = this.initial();
    this.remembered = new Map();
    this.persister.changed();
  }

  remember(requestId: string, response: RememberedResponse): void {
    this.remembered.set(requestId, response);
    if (this.remembered.size > MAX_REMEMBERED) {
      const oldest = this.remembered.keys().next().value;
      if (oldest !== undefined) this.remembered.delete(oldest);
    }
    this.persister.changed();
  }

  /** customers by lower-cased id: a generated partner of 5,000 is looked up on every request */
  private index = new Map<string, EmuCustomer>();
  private indexed: EmuCustomer[] | null = null;

  /** any customer the partner ever had, for the test controls */
  anyCustomer(id: string): EmuCustomer {
    const customers = this.state.customers;
    if (this.indexed !== customers || this.index.size !== customers.length) {
      this.index = new Map(customers.map((x) => [x.id.toLowerCase(), x]));
      this.indexed = customers;
    }
    const c = this.index.get(id.toLowerCase());
    if (!c) throw new HttpError(404, 600008, `The customer ${id} was not found.`);
    return c;
  }

  /** a customer of the partner; one whose relationship is gone answers 403 with code 20002, as documented */
  findCustomer(id: string): EmuCustomer {
    const c = this.anyCustomer(id);
    if (c.relationshipToPartner === "none") throw new HttpError(403, 20002, `The partner id ${this.state.partnerId} has no commerce relationship with the customer id ${c.id}.`);
    return c;
  }

  newEtag(): string {
    return randomUUID();
  }
}
