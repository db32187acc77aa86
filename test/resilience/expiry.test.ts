// Approval requests expire: pressing Approve after the window refuses and expires the request,
// and the periodic sweep expires requests nobody touched; either way the approval message says so.
// APPROVAL_TTL_HOURS takes fractions of an hour, so the window here is under a second.
import { DEMO_TENANTS } from "../../src/stand-ins/partner-center/demo-partner";
import { ACTIONS } from "../../src/slack/slack-inputs";
import { requestRemovalAndWait } from "../support/slack-steps";
import { APPROVER, type Harness, OPERATOR, OPS_CHANNEL, buttonsOf, startHarness, textOf, waitFor } from "../support/app-harness";

const TTL_HOURS = "0.0002"; // 0.72 s
const EXPIRED_TEXT = "Expired.";

async function requestRemoval(h: Harness, companyName: string) {
  const message = await waitFor(
    `case message for ${companyName}`,
    async () => {
      const found = h.slack.messages.find((m) => m.channel === OPS_CHANNEL && m.text.includes(companyName));
      if (found) return found;
      await h.command(OPERATOR, companyName);
      return waitFor("case message", () => h.slack.messages.find((m) => m.channel === OPS_CHANNEL && m.text.includes(companyName)), 2_000).catch(() => undefined);
    },
    30_000,
  );
  await waitFor("Request removal button", () => buttonsOf(message.blocks).some((b) => b.action_id === ACTIONS.requestRemoval));
  return requestRemovalAndWait(h, OPERATOR, message);
}

describe("an approval request past its expiry", () => {
  let h: Harness;
  beforeAll(async () => {
    // the sweep is far away: only the Approve press can find the request expired
    h = await startHarness({ env: { APPROVAL_TTL_HOURS: TTL_HOURS, EXPIRY_SWEEP_SECONDS: "3600" } });
  });
  afterAll(async () => h.close());

  test("cannot be approved: the approver is told it expired, nothing is removed, and its message says it expired", async () => {
    const approval = await requestRemoval(h, "Fourth Coffee");
    const c = await h.app.store.cases.findActiveByTenant(DEMO_TENANTS.clean);
    const expiresAt = c?.expiresAt?.getTime() ?? 0;
    expect(c?.state).toBe("awaiting_approval");
    await waitFor("the window to pass", () => Date.now() > expiresAt + 50);
    expect(textOf(approval.blocks)).not.toContain(EXPIRED_TEXT);

    const before = h.slack.ephemerals.filter((e) => e.user === APPROVER.id).length;
    await h.press(APPROVER, approval, ACTIONS.approve);
    const refusal = await waitFor("refusal", () => h.slack.ephemerals.filter((e) => e.user === APPROVER.id)[before]);
    expect(refusal.text).toContain("expired");
    await waitFor("approval message says it expired", () => textOf(approval.blocks).includes(EXPIRED_TEXT) && !buttonsOf(approval.blocks).some((b) => b.action_id === ACTIONS.approve));
    expect((await h.app.store.cases.get(c?.id ?? ""))?.state).toBe("expired");
    expect(h.emulator.stats().byRoute["PATCH /customers/{id}"] ?? 0).toBe(0);
    expect(h.emulator.snapshot().customers.find((x) => x.id === DEMO_TENANTS.clean)?.relationshipToPartner).toBe("reseller");
  });
});

describe("the periodic expiry sweep", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ env: { APPROVAL_TTL_HOURS: TTL_HOURS, EXPIRY_SWEEP_SECONDS: "0.2" } });
  });
  afterAll(async () => h.close());

  test("expires a request nobody decided on and updates its message", async () => {
    const approval = await requestRemoval(h, "Fourth Coffee");
    await waitFor("approval message says it expired", () => textOf(approval.blocks).includes(EXPIRED_TEXT));
    const c = (await h.app.store.cases.listByTenant(DEMO_TENANTS.clean))[0];
    expect(c?.state).toBe("expired");
    const events = await h.app.store.audit.listByTenant(DEMO_TENANTS.clean);
    expect(events.find((e) => e.action === "removal.expired")?.actor).toBe("system");
  });
});
