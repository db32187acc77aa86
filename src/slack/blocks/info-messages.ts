// Help, status, audit, the customer picker and the App Home.
import type { Customer } from "../../domain";
import { describeState } from "../../domain";
import type { AuditEvent, StoredCase } from "../../store";
import type { HomeSummary } from "../../workflow";
import { ACTIONS, encodeValue, numbered, requestStamp } from "../slack-inputs";
import { approvalButtons } from "./approval-message";
import { gdapChoiceBox } from "./gdap-blocks";
import { setupBlocks } from "./setup-blocks";
import { type Block, MAX_BLOCKS, MAX_VIEW_BLOCKS, actions, button, confirm, context, divider, fallbackText, fitBlocks, header, outside, section, slackDate } from "./block-kit";

const HELP_TEXT = [
  "*Reseller Offboarding* walks you through removing the reseller relationship with a customer in Partner Center.",
  "• `/offboard <company name | domain | tenant id>`: open (or show) the customer's case",
  "• `/offboard status`: list open cases",
  "• `/offboard audit <customer>`: the customer's audit trail",
  "• `/offboard relink <customer>`: the link to request a reseller relationship again",
  "• `/offboard scan`: check every customer and list the ones you could offboard; `/offboard scan status`: where it stands",
  "• `/offboard help`: this help",
].join("\n");

const actorOf = (id: string) => (id === "system" ? "_the app_" : `<@${id}>`);

export function helpMessage(problem?: string): { text: string; blocks: Block[] } {
  const blocks = problem ? [section(`:information_source: ${outside(problem)}`), section(HELP_TEXT)] : [section(HELP_TEXT)];
  return { text: problem ? fallbackText(`${outside(problem)} Type /offboard help for help.`) : "How to use /offboard", blocks };
}

export function pickerMessage(query: string, customers: Customer[]): { text: string; blocks: Block[] } {
  const blocks: Block[] = [section(`Several customers match “${outside(query, 100)}”. Which one?`)];
  for (const [n, c] of customers.slice(0, 10).entries()) {
    blocks.push(section(`*${outside(c.companyName, 150)}*\n${outside(c.domain, 150)} · \`${outside(c.tenantId, 64)}\``, button(numbered(ACTIONS.pickCustomer, n), "Open case", encodeValue({ t: c.tenantId }), { label: `Open the case for ${c.companyName}` })));
  }
  return { text: fallbackText(`Several customers match ${outside(query, 100)}`), blocks };
}

export function statusMessage(cases: StoredCase[]): { text: string; blocks: Block[] } {
  if (cases.length === 0) return { text: "No open cases.", blocks: [section("No open offboarding cases.")] };
  const blocks: Block[] = [header(`Open cases (${cases.length})`)];
  for (const c of cases) {
    blocks.push(section(`*${outside(c.companyName, 150)}*: ${describeState(c.state)} · opened by <@${c.openedBy}> ${slackDate(c.openedAt, "{date_short_pretty}")}`));
  }
  return { text: `${cases.length} open cases`, blocks: fitBlocks(blocks) };
}

export function auditMessage(customer: Customer, events: AuditEvent[]): { text: string; blocks: Block[] } {
  const name = outside(customer.companyName, 150);
  if (events.length === 0) return { text: fallbackText(`No audit events for ${name}.`), blocks: [section(`No audit events for *${name}* yet.`)] };
  const lines = events.map((e) => {
    const request = e.pcRequestId ? ` · request \`${outside(e.pcRequestId, 64)}\`` : "";
    return `${slackDate(e.at, "{date_num} {time_secs}")} ${actorOf(e.actor)} *${outside(e.action, 80)}* → ${outside(e.outcome, 20)}${request}`;
  });
  // one section holds at most 3000 characters: pack lines into as few sections as fit
  const blocks: Block[] = [header(`Audit trail: ${customer.companyName}`)];
  let chunk = "";
  for (const line of lines) {
    if (chunk.length + line.length + 1 > 2900) {
      blocks.push(section(chunk));
      chunk = "";
    }
    chunk += (chunk ? "\n" : "") + line;
  }
  if (chunk) blocks.push(section(chunk));
  return { text: fallbackText(`Audit trail for ${name}`), blocks: fitBlocks(blocks, MAX_BLOCKS) };
}

/** The Home tab: the same buttons, with the same confirm dialogs, as in the channels. */
export function homeView(home: HomeSummary, userId: string) {
  const blocks: Block[] = [header("Reseller Offboarding")];
  if (!home.mayRead) {
    blocks.push(section("Only offboarding operators and approvers can see cases here. Ask an admin if you need access."), divider(), context("Type `/offboard help` for the commands."));
    return { type: "home" as const, blocks };
  }
  for (const warning of home.warnings.slice(0, 5)) blocks.push(section(`:warning: *Partner Center credentials:* ${outside(warning, 500)}`));
  blocks.push(section("*Your open cases*"));
  if (home.myCases.length === 0) blocks.push(context("None. Start one with `/offboard <customer>`."));
  for (const [n, c] of home.myCases.slice(0, 20).entries()) {
    const line = section(`*${outside(c.companyName, 150)}*: ${describeState(c.state)}`);
    blocks.push(line);
    if (c.state === "awaiting_approval" && c.requestedBy === userId) {
      blocks.push(
        actions([
          button(numbered(ACTIONS.withdrawRequest, n), "Withdraw request", encodeValue({ c: c.id, r: requestStamp(c.requestedAt) }), {
            label: `Withdraw the removal request for ${c.companyName}`,
            confirm: confirm("Withdraw the removal request?", "Approvers can no longer approve it, and the case is open again.", "Withdraw", "danger"),
          }),
        ]),
      );
    }
  }
  blocks.push(divider(), section("*Waiting for your approval*"));
  if (!home.isApprover) blocks.push(context("You are not an approver."));
  else if (home.awaitingMe.length === 0 && home.batchesAwaitingMe.length === 0) blocks.push(context("Nothing is waiting for you."));
  for (const [n, c] of home.awaitingMe.slice(0, 20).entries()) {
    const why = c.justification ? `\n*Why:* ${outside(c.justification, 300)}` : "";
    blocks.push(section(`*${outside(c.companyName, 150)}*: requested by <@${c.requestedBy ?? "unknown"}>, expires ${slackDate(c.expiresAt)}${why}`));
    // the same choice as on the approval message, so Approve here never ends them by default
    if (home.gdapEnabled) blocks.push(gdapChoiceBox({ n, request: { c: c.id, r: requestStamp(c.requestedAt) } }));
    blocks.push(approvalButtons(c, n, home.gdapEnabled));
  }
  for (const batch of home.batchesAwaitingMe.slice(0, 10)) {
    const where = batch.card ? ` in <#${batch.card.channelId}>` : "";
    blocks.push(
      section(
        `*A batch of ${batch.customers} customer${batch.customers === 1 ? "" : "s"}*: requested by <@${batch.requestedBy}>, expires ${slackDate(batch.expiresAt)}\n*Why:* ${outside(batch.justification, 300)}\nApprove, take customers out or reject it on its card${where}.`,
      ),
    );
  }
  // admins (the approvers) see the set-up checks; the case lists give way first to stay within 100 blocks
  const admin = home.setup ? setupBlocks(home.setup) : [];
  const footer = [divider(), context("Type `/offboard help` in any channel for the commands.")];
  return { type: "home" as const, blocks: [...fitBlocks(blocks, MAX_VIEW_BLOCKS - admin.length - footer.length), ...admin, ...footer] };
}
