// What the portfolio scan looks like in Slack: the progress bar in the channel, the result
// (counts per class and the top reasons), /offboard scan status, and the Home tab's clean-up
// candidates. Company names and Partner Center's words are escaped wherever they land.
import { BATCHABLE_CLASSES, type CleanupClass } from "../../domain";
import type { ScanCounts, ScanRecord, ScannedCustomer } from "../../store";
import type { ScanReport, ScanStatus } from "../../workflow";
import { ACTIONS, encodeValue } from "../slack-inputs";
import { chunkLines } from "./batch-messages";
import { type Block, actions, button, context, divider, escapeText, fields, header, section } from "./block-kit";

/** the classes the Home lists as clean-up candidates: the ones a batch may take */
const CANDIDATE_CLASSES: readonly CleanupClass[] = BATCHABLE_CLASSES;
/** candidates shown per class on the Home tab */
export const CANDIDATES_SHOWN = 15;

export const CLASS_WORDS: Record<CleanupClass, string> = {
  ready: "Ready",
  suspend_only: "Suspend-only",
  blocked: "Blocked",
  active: "Active",
  unreadable: "Unreadable",
};

const CLASS_HINTS: Record<CleanupClass, string> = {
  ready: "nothing blocks removal",
  suspend_only: "only legacy subscriptions to suspend",
  blocked: "something Partner Center will not remove past",
  active: "subscription activity in the last 90 days",
  unreadable: "Partner Center could not be read",
};

const BAR_CELLS = 20;
const n = (value: number) => value.toLocaleString("en-US");

export function progressBar(done: number, total: number): string {
  const share = total > 0 ? Math.min(1, done / total) : 0;
  const filled = Math.round(share * BAR_CELLS);
  return `\`${"█".repeat(filled)}${"░".repeat(BAR_CELLS - filled)}\` ${Math.floor(share * 100)}% · ${n(done)} of ${n(total)} customers`;
}

function classFields(counts: ScanCounts): Block {
  return fields((Object.keys(CLASS_WORDS) as CleanupClass[]).map((c) => `*${CLASS_WORDS[c]}*: ${n(counts.byClass[c])}\n_${CLASS_HINTS[c]}_`));
}

export function scanProgressMessage(scan: ScanRecord, counts: ScanCounts): { text: string; blocks: Block[] } {
  const listed = scan.listedAt !== null;
  const line = listed ? progressBar(counts.done, counts.total) : "Reading the customer list…";
  return {
    text: `Portfolio scan: ${listed ? `${counts.done} of ${counts.total} customers read` : "reading the customer list"}`,
    blocks: [
      section(`:mag: *Portfolio scan* started by <@${scan.requestedBy}>\n${line}`),
      classFields(counts),
      context("Partner Center calls for the scan wait behind every operator's own work. `/offboard scan status` shows where it stands."),
    ],
  };
}

export function scanResultMessage(report: ScanReport): { text: string; blocks: Block[] } {
  const { counts } = report;
  const reasons = report.topReasons.map((r) => `• ${n(r.customers)} ${CLASS_WORDS[r.cleanupClass].toLowerCase()}: ${escapeText(r.reason)}`);
  const blocks: Block[] = [
    header("Portfolio scan finished"),
    section(`${n(counts.done)} customers read. *${n(counts.byClass.ready)} ready* to offboard and *${n(counts.byClass.suspend_only)} suspend-only*.`),
    classFields(counts),
  ];
  if (reasons.length > 0) blocks.push(divider(), section(`*Top reasons*\n${reasons.join("\n")}`));
  if (report.gdap) {
    // removing the reseller relationship leaves GDAP in place: said where the candidates are counted
    const access = `*${n(report.gdap.withAccess)}* of the ready and suspend-only customers still give the partner admin access through GDAP relationships; removing the reseller relationship does not end them.`;
    const unread = report.gdap.notRead > 0 ? ` For *${n(report.gdap.notRead)}* Microsoft Graph could not be read (the CSV says why).` : "";
    blocks.push(section(`:key: ${access}${unread}`));
  }
  blocks.push(context("Every customer with its class, blockers, last activity and GDAP relationships is in the CSV in this thread. The ready and suspend-only ones are on the app's Home tab."));
  if (counts.byClass.ready + counts.byClass.suspend_only > 0) blocks.push(actions([batchButton()]));
  const text = `Portfolio scan finished: ${CLASS_ORDER.map((c) => `${counts.byClass[c]} ${CLASS_WORDS[c].toLowerCase()}`).join(", ")}`;
  return { text, blocks };
}

const CLASS_ORDER = Object.keys(CLASS_WORDS) as CleanupClass[];

export function scanStatusMessage(status: ScanStatus | null): { text: string; blocks: Block[] } {
  if (!status) return { text: "No portfolio scan yet.", blocks: [section("No portfolio scan has run yet. Start one with `/offboard scan`.")] };
  const { scan, counts } = status;
  const state = scan.active ? (scan.listedAt ? progressBar(counts.done, counts.total) : "Reading the customer list…") : `Finished ${scan.finishedAt?.toISOString().replace("T", " ").slice(0, 16) ?? ""} UTC`;
  return {
    text: scan.active ? `Portfolio scan running: ${counts.done} of ${counts.total} customers read` : "Last portfolio scan finished",
    blocks: [section(`*Portfolio scan* started by <@${scan.requestedBy}> at ${scan.startedAt.toISOString().replace("T", " ").slice(0, 16)} UTC\n${state}`), classFields(counts)],
  };
}

/**
 * The Home tab's clean-up candidates: the latest scan's ready and suspend-only customers, grouped
 * by class, exactly the two classes its Request batch removal… button offers.
 */
export function cleanupCandidateBlocks(candidates: { scan: ScanRecord; customers: ScannedCustomer[] } | null): Block[] {
  const blocks: Block[] = [divider(), section("*Clean-up candidates*")];
  if (!candidates) return [...blocks, context("No portfolio scan yet. `/offboard scan` finds the customers you could offboard today.")];
  if (candidates.customers.length === 0) return [...blocks, context("The last scan found no customer ready or suspend-only to offboard.")];
  const groups = CANDIDATE_CLASSES.map((cleanupClass) => ({ cleanupClass, customers: candidates.customers.filter((c) => c.cleanupClass === cleanupClass) })).filter((g) => g.customers.length > 0);
  const listed = groups.flatMap(({ cleanupClass, customers }) => [
    `*${CLASS_WORDS[cleanupClass]}* (${customers.length}${customers.length >= CANDIDATES_SHOWN ? " shown; the scan's CSV has them all" : ""}): _${CLASS_HINTS[cleanupClass]}_`,
    ...customers.map((c) => `• *${escapeText(c.companyName)}* (${escapeText(c.domain)})`),
  ]);
  const when = (candidates.scan.finishedAt ?? candidates.scan.startedAt).toISOString().slice(0, 10);
  const request = candidates.scan.active ? [] : [actions([batchButton()])];
  return [...blocks, ...chunkLines(listed).map((text) => section(text)), ...request, context(`Scan of ${when}${candidates.scan.active ? ", still running" : ""}. Request batch removal… offers these same customers; a suspend-only one has its active legacy subscriptions suspended first.`)];
}

/** Opens the batch request's modal with the latest scan's ready and suspend-only customers. */
function batchButton() {
  return button(ACTIONS.requestBatch, "Request batch removal…", encodeValue({}));
}
