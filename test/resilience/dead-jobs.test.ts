// A request whose work keeps failing is tried again after a backoff; when its attempts run out
// the job is dead: the person who sent it is told by direct message, the audit trail records it,
// and /metrics counts it. Nothing acknowledged ends in silence.
import { describeDatabase } from "../support/test-database";
import { type Harness, OPERATOR, OPS_CHANNEL, startHarness, waitFor } from "../support/app-harness";

let h: Harness;

beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => h.close());

test(`a command whose answer can never be delivered: retried, then dead, the user told and the job counted (${describeDatabase()})`, async () => {
  // the answer can never be delivered: its response_url does not answer at all (a spent or expired
  // one, answered 404, goes by direct message instead: people-told.test.ts)
  const sent = await h.sender.slashCommand(OPERATOR, OPS_CHANNEL, "help", "http://127.0.0.1:9/response/nobody-listens");
  expect(sent.status).toBe(200);

  const told = await waitFor(
    "the operator told by direct message",
    () => h.slack.directMessages(OPERATOR.id).find((m) => m.text.includes("could not be carried out")),
    30_000,
  );
  expect(told.text).toContain("Your /offboard command could not be carried out after 3 tries");
  expect(told.text).toContain("fetch failed");

  // the dead-letter record: the job itself, kept with its request and last error, and an audit event
  const jobs = await h.app.db.pool.query<{ state: string; attempts: number; lastError: string; payload: { text: string } }>(
    `SELECT "state", "attempts", "lastError", "payload" FROM "Job" WHERE "kind" = 'slack_interaction' AND "payload"->>'text' = 'help'`,
  );
  expect(jobs.rows).toEqual([{ state: "dead", attempts: 3, lastError: expect.stringContaining("fetch failed"), payload: expect.objectContaining({ text: "help" }) }]);
  const audit = await h.app.db.pool.query<{ actor: string; outcome: string }>(`SELECT "actor", "outcome" FROM "AuditEvent" WHERE "action" = 'job.slack_interaction.dead'`);
  expect(audit.rows).toEqual([{ actor: OPERATOR.id, outcome: "failed" }]);

  const metrics = await (await fetch(`${h.app.url}/metrics`)).text();
  expect(metrics).toMatch(/^offboarding_jobs\{kind="slack_interaction",state="dead"\} 1$/m);
  expect(metrics).toMatch(/^offboarding_jobs_finished_total\{kind="slack_interaction",outcome="dead"\} [1-9]/m);
  expect(metrics).toMatch(/^offboarding_jobs_finished_total\{kind="slack_interaction",outcome="retried"\} [2-9]/m);
  expect(metrics).toMatch(/^offboarding_slack_acks_total\{kind="command"\} [1-9]/m);
});
