// The local console in headless Chromium: the whole removal of a demo customer as a person
// would do it in the page (ending its two GDAP relationships too), the approval by someone
// else, a refusal, and the reject modal with its validation errors. The browser comes with `npm install` (test/support/browser.ts).
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Browser, Locator, Page } from "playwright-core";
import type { Application } from "../../src/app";
import { APPROVAL_CHANNEL, OFFBOARD_CHANNEL, PRIVATE_CHANNEL } from "../../src/stand-ins/console/console-identities";
import { startLocalConsole } from "../../src/stand-ins/local-world";
import { createLogger } from "../../src/logger";
import { DEMO_TENANTS } from "../../src/stand-ins/partner-center/demo-partner";
import { projectRoot } from "../../src/project-root";
import { launchChromium } from "../support/browser";

const ARTIFACTS = path.join(projectRoot(), "test-artifacts", "console");
const DOC_SCREENSHOTS = path.join(projectRoot(), "docs", "screenshots");
const STEP_MS = 30_000;

jest.setTimeout(180_000);

describe("local console in a real browser", () => {
  let app: (Application & { consoleUrl: string }) | undefined;
  let browser: Browser | undefined;
  let page: Page;
  let dataDir: string;
  let shot = 0;

  beforeAll(async () => {
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "console-browser-"));
    app = await startLocalConsole({ PORT: "0", EMULATOR_PORT: "0", DATA_DIR: dataDir, LOG_LEVEL: "silent" }, { logger: createLogger("silent") });
    // the first directory sync runs in the background at start; the commands need it done
    const started = app;
    await waitUntil("the directory sync", async () => (await started.directory.search("Contoso Ltd", 5)).length === 1);
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.setDefaultTimeout(STEP_MS);
    await page.goto(app.consoleUrl);
  });

  afterAll(async () => {
    await browser?.close();
    await app?.close();
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  });

  async function screenshot(name: string, alsoForDocs?: string): Promise<void> {
    shot += 1;
    const file = path.join(ARTIFACTS, `${String(shot).padStart(2, "0")}-${name}.png`);
    await page.screenshot({ path: file });
    // the README's copies change only when asked (or missing): every run differs in its dates
    if (alsoForDocs && (process.env.UPDATE_DOC_SCREENSHOTS === "1" || !fs.existsSync(path.join(DOC_SCREENSHOTS, alsoForDocs)))) {
      fs.mkdirSync(DOC_SCREENSHOTS, { recursive: true });
      fs.copyFileSync(file, path.join(DOC_SCREENSHOTS, alsoForDocs));
    }
  }

  async function becomeUser(userId: string): Promise<void> {
    await page.selectOption("#identity", userId);
  }

  async function openChannel(name: "offboarding" | "approvals" | "leadership"): Promise<void> {
    const id = { offboarding: OFFBOARD_CHANNEL.id, approvals: APPROVAL_CHANNEL.id, leadership: PRIVATE_CHANNEL.id }[name];
    await page.locator(`.sidebar .nav-item[data-view="${id}"]`).click();
    await expectVisible(page.locator("#view-title", { hasText: `# ${name}` }));
  }

  /** The app's direct messages with whoever the page is now. */
  async function openDirectMessages(): Promise<void> {
    await page.locator("#nav-dms .nav-item").click();
    await expectVisible(page.locator("#view-title", { hasText: "Reseller Offboarding" }));
  }

  /** Request removal…: its modal asks why; the answer goes to the approvers. */
  async function requestRemoval(caseMessage: Locator, why: string): Promise<void> {
    await press(caseMessage, "Request removal");
    const modal = page.getByRole("dialog");
    await expectVisible(modal.locator("h2", { hasText: "Request removal" }));
    await modal.getByLabel("Why should this customer be removed?").fill(why);
    await screenshot("request-removal-modal");
    await modal.getByRole("button", { name: "Send to approvers" }).click();
    await modal.waitFor({ state: "detached" });
  }

  async function slashCommand(text: string): Promise<void> {
    await page.fill("#command", text);
    await page.press("#command", "Enter");
  }

  /** A channel message by its header text (case messages and approval requests have one). */
  function messageWithHeader(header: string): Locator {
    return page.locator(".timeline > .msg:not(.ephemeral)", { has: page.locator(".b-header", { hasText: header }) });
  }

  function ephemeral(text: string | RegExp): Locator {
    return page.locator(".msg.ephemeral", { hasText: text });
  }

  /** Presses a button; when it carries a confirm dialog, checks the dialog and confirms. */
  async function press(scope: Locator, button: string | RegExp, confirm?: { title: string; text?: string | RegExp; yes: string }): Promise<void> {
    await scope.getByRole("button", { name: button }).click();
    if (!confirm) return;
    const dialog = page.getByRole("alertdialog");
    await expectVisible(dialog.locator("h2", { hasText: confirm.title }));
    if (confirm.text) await expectVisible(dialog.locator(".dialog-body", { hasText: confirm.text }));
    await expectVisible(dialog.getByRole("button", { name: "Go back" }));
    await screenshot(`confirm-${confirm.title.replace(/\W+/g, "-").toLowerCase()}`);
    await dialog.getByRole("button", { name: confirm.yes, exact: true }).click();
    await dialog.waitFor({ state: "detached" });
  }

  it("walks the removal of a customer with legacy subscriptions from /offboard to the relink link", async () => {
    await expectVisible(page.locator("#view-title", { hasText: "# offboarding" }));
    expect(await page.inputValue("#identity")).toBe("U0OLIVIA");

    // Olivia opens the case
    await slashCommand("/offboard Contoso Ltd");
    const caseMessage = messageWithHeader("Offboarding: Contoso Ltd");
    await expectVisible(caseMessage);
    await expectVisible(caseMessage.locator(".b-context", { hasText: DEMO_TENANTS.legacyOnly }));
    await expectVisible(caseMessage.locator("b", { hasText: "Active subscriptions (3)" }));
    // mentions show as names, code as code: the mrkdwn is rendered, not shown raw
    await expectVisible(caseMessage.locator(".mention", { hasText: "@Olivia Operator" }));
    expect(await caseMessage.locator("code", { hasText: DEMO_TENANTS.legacyOnly }).count()).toBe(1);
    expect(await caseMessage.getByRole("button", { name: "Request removal" }).count()).toBe(0);
    // its GDAP relationships, as Graph lists them: they do not block, and say what removal does with them
    await expectVisible(caseMessage.locator("b", { hasText: "GDAP relationships (2)" }));
    await expectVisible(caseMessage.locator(".b-text", { hasText: /Contoso admin.*active.*Global Reader.*will be terminated/ }));
    await expectVisible(caseMessage.locator(".b-text", { hasText: /Contoso helpdesk renewal.*approvalPending.*will be terminated/ }));
    await screenshot("case-message", "case-message.png");

    // Suspend all, through its confirm dialog
    await press(caseMessage, /^Suspend all \(3\)$/, { title: "Suspend all subscriptions?", text: "Contoso Ltd", yes: "Suspend 3" });
    await expectVisible(caseMessage.locator(".b-text", { hasText: /Suspend all\s+finished/ }));
    await expectVisible(caseMessage.locator(".b-text", { hasText: "3 / 3" }));
    await expectVisible(caseMessage.getByRole("button", { name: "Request removal" }));
    await screenshot("suspended");

    // ask for approval, saying why
    await requestRemoval(caseMessage, "Contract ended; they moved to another partner.");
    await expectVisible(caseMessage.locator(".b-text", { hasText: "waiting for an approver" }));
    await expectVisible(caseMessage.locator(".b-text", { hasText: "Contract ended; they moved to another partner." }));
    await expectVisible(caseMessage.locator(".thread .msg", { hasText: "requested removal of Contoso Ltd" }));
    // the app confirms in Olivia's direct messages, where she will hear the outcome too
    await openDirectMessages();
    await expectVisible(page.locator(".timeline .msg", { hasText: "Removal of Contoso Ltd requested" }));
    await openChannel("offboarding");

    // Nora is no approver: the app refuses, privately
    await becomeUser("U0NORA");
    await openChannel("approvals");
    const approval = messageWithHeader("Approval needed: remove Contoso Ltd");
    await expectVisible(approval);
    // the approvers are named on it, and the justification shown
    await expectVisible(approval.locator(".mention", { hasText: "@Alex Approver" }));
    await expectVisible(approval.locator(".b-text", { hasText: "Contract ended" }));
    await press(approval, "Approve", { title: "Remove the reseller relationship?", yes: "Approve and remove" });
    await expectVisible(ephemeral("Only approvers"));
    await screenshot("refused-not-an-approver");

    // Alex approves; Nora's refusal is not visible to him. The request says which GDAP
    // relationships the approval ends, with the box to end them ticked
    await becomeUser("U0ALEX");
    await expectVisible(approval.getByRole("button", { name: "Approve" }));
    expect(await ephemeral("Only approvers").count()).toBe(0);
    await expectVisible(approval.locator(".b-text", { hasText: /Contoso admin.*→ terminate/ }));
    const endGdap = approval.getByRole("checkbox", { name: /Also end GDAP relationships/ });
    expect(await endGdap.isChecked()).toBe(true);
    // a box the person changes stays changed while the page redraws, until the press sends it
    await endGdap.uncheck();
    await becomeUser("U0OLIVIA");
    await becomeUser("U0ALEX");
    expect(await endGdap.isChecked()).toBe(false);
    await endGdap.check();
    await screenshot("approval", "approval.png");
    await press(approval, "Approve", { title: "Remove the reseller relationship?", text: "cannot be undone", yes: "Approve and remove" });
    await expectVisible(approval.locator(".b-text", { hasText: /Removed\. Approved by @Alex Approver/ }));
    expect(await approval.getByRole("button", { name: "Approve", exact: true }).count()).toBe(0);

    // both GDAP relationships ended once Partner Center confirmed the removal, as read back from Graph
    await expectVisible(approval.locator(".b-text", { hasText: "GDAP relationships ended (2 of 2)" }));

    // the case message says so, and the thread offers the relink link
    await openChannel("offboarding");
    await expectVisible(caseMessage.locator(".b-text", { hasText: /Relationship removed/ }));
    await expectVisible(caseMessage.locator(".b-text", { hasText: "GDAP relationships ended (2 of 2)" }));
    await expectVisible(caseMessage.locator(".b-text", { hasText: /Contoso admin.*Ended: Graph shows/ }));
    await expectVisible(caseMessage.locator(".b-text", { hasText: /Contoso helpdesk renewal.*Ended: Graph shows/ }));
    const reply = caseMessage.locator(".thread .msg", { hasText: "is removed" });
    await expectVisible(reply);
    const link = reply.getByRole("link", { name: "Request a reseller relationship" });
    await expectVisible(link);
    expect(await link.getAttribute("href")).toMatch(/^https:\/\//);
    await screenshot("removed-with-relink-link");

    // Olivia hears of it in her direct messages
    await becomeUser("U0OLIVIA");
    await openDirectMessages();
    await expectVisible(page.locator(".timeline .msg", { hasText: "approved your request to remove Contoso Ltd" }));
    await expectVisible(page.locator(".timeline .msg", { hasText: "The reseller relationship with Contoso Ltd is removed." }));
    await screenshot("direct-messages");
    await becomeUser("U0ALEX");

    // and Alex's Home tab is there too
    await page.locator("#nav-home").click();
    await expectVisible(page.locator(".timeline .b-header", { hasText: "Reseller Offboarding" }));
    await expectVisible(page.locator(".timeline", { hasText: "Waiting for your approval" }));
    await screenshot("home-tab");
  });

  it("asks for a reason in the reject modal and shows the app's validation errors", async () => {
    await becomeUser("U0OLIVIA");
    await openChannel("offboarding");
    await slashCommand("/offboard Fourth Coffee");
    const caseMessage = messageWithHeader("Offboarding: Fourth Coffee");
    await requestRemoval(caseMessage, "No longer a customer of ours.");

    await becomeUser("U0ALEX");
    await openChannel("approvals");
    const approval = messageWithHeader("Approval needed: remove Fourth Coffee");
    await press(approval, "Reject");
    const modal = page.getByRole("dialog");
    await expectVisible(modal.locator("h2", { hasText: "Reject removal" }));
    const reason = modal.getByLabel("Reason");

    // too short for the input's min_length: Slack's client refuses before the app sees it
    await reason.fill("no");
    await modal.getByRole("button", { name: "Reject", exact: true }).click();
    await expectVisible(modal.locator(".b-input-error", { hasText: "at least 3 characters" }));

    // long enough for the client, but blank once trimmed: the app answers with response_action errors
    await reason.fill("   x");
    await modal.getByRole("button", { name: "Reject", exact: true }).click();
    await expectVisible(modal.locator(".b-input-error", { hasText: "Please give a reason" }));
    await screenshot("reject-modal-error");

    await reason.fill("The customer's contract runs until June.");
    await modal.getByRole("button", { name: "Reject", exact: true }).click();
    await modal.waitFor({ state: "detached" });
    await expectVisible(approval.locator(".b-text", { hasText: "Rejected by @Alex Approver" }));
    await expectVisible(approval.locator(".b-text", { hasText: "contract runs until June" }));
    await screenshot("rejected");

    // Olivia is told why, in her direct messages
    await becomeUser("U0OLIVIA");
    await openDirectMessages();
    await expectVisible(page.locator(".timeline .msg", { hasText: "rejected your request to remove Fourth Coffee: The customer's contract runs until June." }));
  });

  it("a case asked for in a private channel without the app comes in a direct message, and Slack's refusal shows", async () => {
    await becomeUser("U0OLIVIA");
    await openChannel("leadership");
    await slashCommand("/offboard Proseware Inc");
    await expectVisible(ephemeral("cannot post in this conversation"));
    await expectVisible(page.locator("#slack-errors", { hasText: "channel_not_found" }));
    await screenshot("private-channel-pointer");
    await openDirectMessages();
    await expectVisible(messageWithHeader("Offboarding: Proseware Inc"));
  });

  it("shows the app's text as text, and refuses other commands in the composer", async () => {
    await becomeUser("U0OLIVIA");
    await openChannel("offboarding");
    // the app escapes & in mrkdwn; the page must show it once, as a character, and run nothing
    await slashCommand("/offboard Tom & Jerry's (<b>)");
    await expectVisible(ephemeral("Use letters, digits"));
    await slashCommand("/offboard Tom & Jerry's");
    await expectVisible(ephemeral("No customer matches “Tom & Jerry's”"));
    await slashCommand("/remind me");
    await expectVisible(page.locator("#composer-hint", { hasText: "/remind is not a valid command here" }));
  });
});

async function expectVisible(locator: Locator): Promise<void> {
  await locator.first().waitFor({ state: "visible", timeout: STEP_MS });
}

async function waitUntil(what: string, check: () => Promise<boolean>, ms = STEP_MS): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
