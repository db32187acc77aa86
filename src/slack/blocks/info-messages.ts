// Help, status, audit, the customer picker and the App Home.
import type { Customer } from "../../domain";
import { describeState } from "../../domain";
import type { AuditEvent, StoredCase } from "../../store";
import { ACTIONS, encodeValue } from "../slack-inputs";
import { type Block, MAX_BLOCKS, actions, button, context, divider, escapeText, fitBlocks, header, section } from "./block-kit";

const HELP_TEXT = [
  "*Reseller Offboarding* walks you through removing the reseller relationship with a customer in Partner Center.",
  "• `/offboard <company name | domain | tenant id>`: open (or show) the customer's case",
  "• `/offboard status`: list open cases",
  "• `/offboard audit <customer>`: the customer's audit trail",
  "• `/offboard relink <customer>`: the link to request a reseller relationship again",
  "• `/offboard scan`: check every customer and list the ones you could offboard; `/offboard scan status`: where it stands",
  "• `/offboard help`: this help",
].join("\n");

export function helpMessage(problem?: string): { text: string; blocks: Block[] } {
  const blocks = problem ? [section(`:information_source: ${escapeText(problem)}`), section(HELP_TEXT)] : [section(HELP_TEXT)];
  return { text: problem ? `${problem} Type /offboard help for help.` : "How to use /offboard", blocks };
}

export function pickerMessage(query: string, customers: Customer[]): { text: string; blocks: Block[] } {
  const blocks: Block[] = [section(`Several customers match “${escapeText(query)}”. Which one?`)];
  for (const c of customers.slice(0, 10)) {
    blocks.push(section(`*${escapeText(c.companyName)}*\n${escapeText(c.domain)} · \`${c.tenantId}\``, button(ACTIONS.pickCustomer, "Open case", encodeValue({ t: c.tenantId }))));
  }
  return { text: `Several customers match ${query}`, blocks };
}

export function statusMessage(cases: StoredCase[]): { text: string; blocks: Block[] } {
  if (cases.length === 0) return { text: "No open cases.", blocks: [section("No open offboarding cases.")] };
  const blocks: Block[] = [header(`Open cases (${cases.length})`)];
  for (const c of cases) {
    blocks.push(section(`*${escapeText(c.companyName)}*: ${describeState(c.state)} · opened by <@${c.openedBy}> on ${c.openedAt.toISOString().slice(0, 10)}`));
  }
  return { text: `${cases.length} open cases`, blocks: fitBlocks(blocks) };
}

export function auditMessage(customer: Customer, events: AuditEvent[]): { text: string; blocks: Block[] } {
  if (events.length === 0) return { text: `No audit events for ${customer.companyName}.`, blocks: [section(`No audit events for *${escapeText(customer.companyName)}* yet.`)] };
  const lines = events.map((e) => {
    const request = e.pcRequestId ? ` · request \`${e.pcRequestId}\`` : "";
    return `\`${e.at.toISOString().replace("T", " ").slice(0, 19)}\` <@${e.actor}> *${e.action}* → ${e.outcome}${request}`;
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
  return { text: `Audit trail for ${customer.companyName}`, blocks: fitBlocks(blocks, MAX_BLOCKS) };
}

export function homeView(home: { myCases: StoredCase[]; awaitingMe: StoredCase[]; isApprover: boolean; warnings?: string[] }) {
  const blocks: Block[] = [header("Reseller Offboarding")];
  for (const warning of (home.warnings ?? []).slice(0, 5)) blocks.push(section(`:warning: *Partner Center credentials:* ${escapeText(warning)}`));
  blocks.push(section("*Your open cases*"));
  if (home.myCases.length === 0) blocks.push(context("None. Start one with `/offboard <customer>`."));
  for (const c of home.myCases.slice(0, 20)) blocks.push(section(`*${escapeText(c.companyName)}*: ${describeState(c.state)}`));
  blocks.push(divider(), section("*Waiting for your approval*"));
  if (!home.isApprover) blocks.push(context("You are not an approver."));
  else if (home.awaitingMe.length === 0) blocks.push(context("Nothing is waiting for you."));
  for (const c of home.awaitingMe.slice(0, 20)) {
    blocks.push(section(`*${escapeText(c.companyName)}*: requested by <@${c.requestedBy ?? "unknown"}>, expires ${c.expiresAt?.toISOString() ?? "-"}`));
    blocks.push(actions([button(ACTIONS.approve, "Approve", encodeValue({ c: c.id }), { style: "primary" }), button(ACTIONS.reject, "Reject", encodeValue({ c: c.id }), { style: "danger" })]));
  }
  blocks.push(divider(), context("Type `/offboard help` in any channel for the commands."));
  return { type: "home" as const, blocks: fitBlocks(blocks, 100) };
}
