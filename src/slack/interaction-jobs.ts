// Every Slack request the app acknowledges is first a durable job: in the request's turn the
// listener verifies and parses it, persists it keyed by the request's own id, and acks; the job
// runner (workflow/job-runner.ts) works it here, on this or any other instance, after a crash or
// a deploy as well. Work that fails is tried again after a backoff; when it is out of attempts
// the person who pressed or typed is told what happened.
import crypto from "node:crypto";
import type { RespondArguments } from "@slack/bolt";
import type { WebClient } from "@slack/web-api";
import { z } from "zod";
import type { Logger } from "../logger";
import type { ClaimedJob } from "../store";
import { type JobEnd, type JobHandler, noteCase } from "../workflow";
import { escapeText } from "./blocks/block-kit";
import type { Reply } from "./listeners/replies";

export const INTERACTION_JOB = "slack_interaction";
/** tries per interaction: a Partner Center or Slack hiccup is outlasted, a lasting fault is told */
export const INTERACTION_ATTEMPTS = 3;

const interaction = z.discriminatedUnion("type", [
  // viewId: the modal the press opened at once (its trigger lives 3 s), for the work to answer in;
  // state: the message's inputs as Slack sent them (checked by the button's handler)
  z.object({
    type: z.literal("button"),
    actionId: z.string(),
    value: z.string(),
    userId: z.string(),
    teamId: z.string().optional(),
    channelId: z.string(),
    responseUrl: z.string().nullable(),
    triggerId: z.string(),
    viewId: z.string().optional(),
    state: z.unknown().optional(),
  }),
  z.object({ type: z.literal("command"), text: z.string(), userId: z.string(), teamId: z.string().optional(), channelId: z.string(), responseUrl: z.string() }),
  // a removal request whose modal was checked and closed; the request itself reads Partner Center
  z.object({ type: z.literal("request"), caseId: z.string(), justification: z.string(), userId: z.string(), teamId: z.string().optional() }),
  z.object({ type: z.literal("home"), userId: z.string(), teamId: z.string().optional() }),
  // a rejection whose modal was checked and closed; requestStamp: the request the approver saw
  z.object({ type: z.literal("reject"), caseId: z.string(), reason: z.string(), requestStamp: z.string().regex(/^\d{1,16}$/).optional(), userId: z.string(), teamId: z.string().optional() }),
  // a batch request whose modal was checked and closed; the request posts the card and saves the batch
  z.object({ type: z.literal("batch"), selected: z.array(z.string()).max(100), justification: z.string(), userId: z.string(), teamId: z.string().optional() }),
]);
export type Interaction = z.infer<typeof interaction>;

const keyedBody = z.object({
  event_id: z.string().min(1).optional(),
  trigger_id: z.string().min(1).optional(),
});

/**
 * The key of one request across Slack's retries (X-Slack-Retry-Num re-sends it with the same
 * event_id or trigger_id): its job's key, so a retry of a request already taken, by this
 * instance or another, makes no second job. A fresh key when it has none.
 */
export function interactionKey(body: unknown): string {
  const parsed = keyedBody.safeParse(body);
  if (parsed.success && parsed.data.event_id) return `slack:event:${parsed.data.event_id}`;
  if (parsed.success && parsed.data.trigger_id) return `slack:trigger:${parsed.data.trigger_id}`;
  return `slack:once:${crypto.randomUUID()}`;
}
type InteractionOf<T extends Interaction["type"]> = Extract<Interaction, { type: T }>;

/** Where acknowledged interactions are kept until worked (the job table, through the composition root). */
export interface InteractionStore {
  /** persists it as a job keyed by `key`; false when a job with that key exists (a second delivery) */
  accept(key: string, interaction: Interaction): Promise<boolean>;
  /** one was accepted: work it now rather than at the next poll */
  kick(): void;
  /** resolves once every accepted interaction has been worked (tests) */
  settle(): Promise<void>;
}

type Worker<T extends Interaction["type"]> = (interaction: InteractionOf<T>, reply: Reply) => Promise<void>;
type Workers = { [T in Interaction["type"]]?: Worker<T> };

const WHAT: Record<Interaction["type"], string> = {
  button: "Your button press",
  command: "Your /offboard command",
  request: "Your removal request",
  home: "Your Home tab",
  reject: "Your rejection",
  batch: "Your batch removal request",
};

/** requests accepted within the last BURST_WINDOW_MS that make a burst */
const BURST_ACCEPTS = 20;
const BURST_WINDOW_MS = 1_000;
/** how long a burst holds the work behind its acks back before one job at a time goes on anyway */
const MAX_DEFER_MS = 10_000;

export class InteractionJobs implements JobHandler {
  readonly kind = INTERACTION_JOB;
  /** interactions worked at once: enough to overlap Partner Center round trips */
  readonly concurrency = 4;
  private readonly workers: Workers = {};
  /** when the last requests were accepted (a ring of BURST_ACCEPTS), to tell a burst */
  private readonly accepted: number[] = [];
  /** when the burst under way began (null: none) */
  private burstSince: number | null = null;

  constructor(
    private readonly store: InteractionStore,
    private readonly client: WebClient,
    private readonly logger: Logger,
    /** told, before a job is worked, which workspace its request came from (a fact for the access policy) */
    private readonly noteRequest: (userId: string, teamId: string | undefined) => void = () => undefined,
  ) {}

  /** Who works interactions of a type (each type once). */
  on<T extends Interaction["type"]>(type: T, worker: Workers[T]): void {
    if (this.workers[type]) throw new Error(`${type} interactions have two workers`);
    this.workers[type] = worker;
  }

  /**
   * None while Slack requests pour in, for a while: the work behind an ack (Prisma, rendering,
   * Partner Center's answers) shares the main thread with the receiver, and even one job at a time
   * stalled the acks of a burst behind it (bench, 200/s: the main thread's loop delay p99 9–14 ms
   * and a round's p99 up to 3× the bare Bolt app's). The jobs wait safely in the table and are
   * worked at full width once the burst ends; a burst that goes on past MAX_DEFER_MS gets one job at
   * a time, so nobody's press waits on a flood without end.
   */
  concurrencyNow(now = Date.now()): number {
    const oldest = this.accepted.length >= BURST_ACCEPTS ? this.accepted[this.accepted.length - BURST_ACCEPTS] : undefined;
    if (oldest === undefined || now - oldest >= BURST_WINDOW_MS) {
      this.burstSince = null;
      return this.concurrency;
    }
    this.burstSince ??= now;
    return now - this.burstSince < MAX_DEFER_MS ? 0 : 1;
  }

  /** In the request's turn, before its ack: persist it. False if it could not be (the caller tells the user). */
  async accept(key: string, request: Interaction, now = Date.now()): Promise<boolean> {
    this.accepted.push(now);
    if (this.accepted.length > BURST_ACCEPTS) this.accepted.shift();
    try {
      if (await this.store.accept(key, request)) this.store.kick();
      else this.logger.info({ key, type: request.type }, "dropped a Slack retry (or second delivery) of a request already taken");
      return true;
    } catch (error) {
      this.logger.error({ key, type: request.type, err: String(error) }, "could not persist a Slack request");
      return false;
    }
  }

  settle(): Promise<void> {
    return this.store.settle();
  }

  async work(job: ClaimedJob): Promise<JobEnd> {
    const parsed = interaction.safeParse(job.payload);
    // fail closed: a job this version cannot read is not guessed at; its attempts run out and it is dead
    if (!parsed.success) throw new Error("the stored request is not one this app can work");
    const request = parsed.data;
    const caseId = caseOf(request);
    if (caseId) noteCase(caseId);
    // the job may be worked by another instance than the one Slack sent the request to
    this.noteRequest(request.userId, request.teamId);
    const reply = this.replyTo(request);
    switch (request.type) {
      case "button":
        return this.run(this.workers.button, request, reply);
      case "command":
        return this.run(this.workers.command, request, reply);
      case "request":
        return this.run(this.workers.request, request, reply);
      case "home":
        return this.run(this.workers.home, request, reply);
      case "batch":
        return this.run(this.workers.batch, request, reply);
      case "reject":
        return this.run(this.workers.reject, request, reply);
    }
  }

  private async run<T extends Interaction["type"]>(worker: Worker<T> | undefined, request: InteractionOf<T>, reply: Reply): Promise<JobEnd> {
    if (!worker) throw new Error(`no worker for ${request.type} interactions`);
    await worker(request, reply);
    return "done";
  }

  async gaveUp(job: ClaimedJob, error: string): Promise<void> {
    const parsed = interaction.safeParse(job.payload);
    if (!parsed.success) return void this.logger.error({ jobId: job.id }, "a dead Slack job whose requester cannot be read");
    const text = `${WHAT[parsed.data.type]} could not be carried out after ${job.attempts} tries, so nothing more will be tried: ${escapeText(error)}. Press Re-check on the case to see where things stand.`;
    // the DM, not response_url: that one may be the thing that kept failing
    await this.client.chat.postMessage({ channel: parsed.data.userId, text });
  }

  /**
   * Answers the person privately: through response_url where Slack gave one, else by direct
   * message. A response_url Slack no longer takes (used five times, or past its 30 minutes: a job
   * that waited out an outage) is not a failed job: the answer goes by direct message instead,
   * rather than the work being done again for want of a reply.
   */
  replyTo(request: Interaction): Reply {
    const responseUrl = "responseUrl" in request ? request.responseUrl : null;
    const direct = async (message: string | RespondArguments) => {
      const text = typeof message === "string" ? message : (message.text ?? "");
      const blocks = typeof message !== "string" && "blocks" in message ? message.blocks : undefined;
      await this.client.chat.postMessage({ channel: request.userId, text, ...(blocks ? { blocks } : {}) });
    };
    if (!responseUrl) return direct;
    return async (message) => {
      try {
        await postToResponseUrl(responseUrl, message);
      } catch (error) {
        if (!(error instanceof ResponseUrlGone)) throw error;
        this.logger.info({ userId: request.userId, type: request.type }, "the response_url is spent or expired; answering by direct message");
        await direct(message);
      }
    };
  }
}

/** Slack answers 404 for a response_url used five times or older than 30 minutes. */
class ResponseUrlGone extends Error {}

const caseInValue = z.object({ c: z.string() });

/** The case a request is about, where it names one (a case button's value, a removal request), for the job's log line. */
function caseOf(request: Interaction): string | null {
  if (request.type === "request" || request.type === "reject") return request.caseId;
  if (request.type !== "button") return null;
  try {
    const value = caseInValue.safeParse(JSON.parse(request.value));
    return value.success ? value.data.c : null;
  } catch {
    return null;
  }
}

async function postToResponseUrl(url: string, message: string | RespondArguments): Promise<void> {
  const body = typeof message === "string" ? { text: message } : message;
  const response = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body), signal: AbortSignal.timeout(10_000) });
  if (response.status === 404) throw new ResponseUrlGone("Slack no longer takes replies on that response_url");
  // Slack answers "ok"; anything else means the person did not get it, so the attempt failed
  if (!response.ok) throw new Error(`Slack did not take the reply (HTTP ${response.status})`);
}

