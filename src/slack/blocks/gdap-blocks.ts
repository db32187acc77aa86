// The customer's GDAP relationships on the case message and the approval message: each one's
// name, status, roles and end date as Graph lists them now, what the removal does with it, and
// once an ending has run, each one's outcome as read back from Graph (Graph's words when it
// refused). Never "ended" for a status Graph does not show as terminationRequested or terminated.
import { type GdapPlanItem, type GdapRelationship, gdapOutcome, gdapRoleName } from "../../domain";
import type { GdapJobItem } from "../../store";
import type { GdapView } from "../../workflow";
import { ACTIONS, END_GDAP_VALUE, GDAP_CHOICE_BLOCK, encodeValue, homeGdapBlock, numbered } from "../slack-inputs";
import { type Block, actions, button, checkbox, context, escapeText, section } from "./block-kit";

const LISTED = 15;

function day(date: Date | null): string | null {
  return date ? date.toISOString().slice(0, 10) : null;
}

/** "Name · status · roles · ends 2027-03-01", escaped. */
export function describeRelationship(r: GdapRelationship): string {
  const roles = r.roleIds.map(gdapRoleName);
  const shownRoles = roles.length > 4 ? `${roles.slice(0, 4).join(", ")} +${roles.length - 4} more` : roles.join(", ");
  const ended = r.status === "terminated" || r.status === "expired";
  const end = day(r.endsAt);
  const parts = [`*${escapeText(r.displayName)}*`, `\`${escapeText(r.status)}\``, shownRoles ? escapeText(shownRoles) : "no roles listed", end ? `${ended ? "ended" : "ends"} ${end}` : "no end date yet"];
  return parts.join(" · ");
}

/** What ending it takes, before any ending has run. */
function plannedText(item: GdapPlanItem): string {
  switch (item.decision.action) {
    case "terminate":
      return "_will be terminated_";
    case "delete":
      return "_will be deleted (never sent to the customer)_";
    case "none":
      return escapeText(item.decision.reason);
    case "unrecognised":
      return `:warning: ${escapeText(item.decision.reason)}`;
  }
}

/** The outcome of one relationship's item, from the live status (never from what was sent). */
function itemText(item: GdapJobItem, live: GdapRelationship | undefined, liveKnown: boolean): string {
  if (item.state === "pending") return "_ending…_";
  if (item.state === "failed") return `:x: ${escapeText(item.lastError ?? "not ended")}`;
  if (!liveKnown) return "done when last read (Graph cannot be read just now)";
  const outcome = gdapOutcome(item.action === "delete" ? "delete" : "terminate", live ? { gone: false, status: live.status } : { gone: true });
  const mark = outcome.kind === "ended" || outcome.kind === "deleted" ? ":white_check_mark: " : "";
  return `${mark}${escapeText(outcome.text)}`;
}

function jobHeadline(gdap: GdapView): string | null {
  const job = gdap.job;
  if (!job) return null;
  const { progress } = job;
  const finished = progress.done + progress.failed;
  switch (job.job.state) {
    case "held":
      return "The approver chose to end these: they are ended once Partner Center confirms the removal.";
    case "queued":
    case "running":
      return `:gear: *Ending GDAP relationships…* ${finished} / ${progress.total} done${progress.failed ? `, ${progress.failed} not ended` : ""}.`;
    case "done":
      return `:white_check_mark: *GDAP relationships ended* (${progress.done} of ${progress.total}); each status below is read from Microsoft Graph.`;
    case "failed":
      return `:warning: *Not every GDAP relationship was ended* (${progress.done} of ${progress.total}).`;
    case "cancelled":
      return null;
  }
}

/**
 * The case message's GDAP section: a header, one line per relationship, and Retry when something
 * did not end. `decided`: the removal was approved, so no ending job means the approver kept them.
 */
export function gdapCaseBlocks(gdap: GdapView, caseId: string, decided: boolean): Block[] {
  const job = gdap.job;
  const items = new Map((job?.items ?? []).filter((i) => i.action !== "list").map((i) => [i.relationshipId, i]));
  const listing = job?.items.find((i) => i.action === "list");
  const live = gdap.relationships ?? [];
  const count = gdap.relationships ? ` (${live.length})` : "";
  const kept = decided && !job;
  const intro = job
    ? jobHeadline(gdap)
    : kept
      ? "The approver chose to keep these: the app did not touch them."
      : "Removing the reseller relationship does not end these. They do not block removal; the approval can end them too.";
  const blocks: Block[] = [section(`*GDAP relationships${count}*${intro ? `\n${intro}` : ""}`)];
  const lines: string[] = [];
  if (gdap.readProblem) lines.push(`:warning: ${escapeText(gdap.readProblem)}`);
  if (listing?.state === "failed") lines.push(`:x: ${escapeText(listing.lastError ?? "The relationships could not be listed.")}`);
  for (const planned of live) {
    const item = items.get(planned.relationship.id);
    const listedLater = listing?.state === "done" && !item && (planned.decision.action === "terminate" || planned.decision.action === "delete");
    const endable = planned.decision.action === "terminate" || planned.decision.action === "delete";
    const what = item ? itemText(item, planned.relationship, true) : listedLater ? "_not part of this ending (listed after it)_" : kept && endable ? "kept" : plannedText(planned);
    lines.push(`• ${describeRelationship(planned.relationship)} → ${what}`);
  }
  // items Graph no longer lists (deleted, or gone) still get their line, when Graph could be read
  if (gdap.relationships) {
    const listedIds = new Set(live.map((p) => p.relationship.id));
    for (const item of items.values()) {
      if (!listedIds.has(item.relationshipId)) lines.push(`• *${escapeText(item.name)}* → ${itemText(item, undefined, true)}`);
    }
  } else {
    for (const item of items.values()) lines.push(`• *${escapeText(item.name)}* → ${itemText(item, undefined, false)}`);
  }
  if (lines.length === 0) lines.push("None: Microsoft Graph lists no GDAP relationship with this customer.");
  const shown = lines.slice(0, LISTED);
  blocks.push(section(shown.join("\n")));
  if (lines.length > LISTED) blocks.push(context(`…and ${lines.length - LISTED} more.`));
  if (job?.job.state === "failed") {
    blocks.push(
      actions([
        button(ACTIONS.retryGdap, "Retry GDAP ending", encodeValue({ c: caseId, j: job.job.id }), {
          style: "primary",
        }),
      ]),
    );
  }
  return blocks;
}

/** What the approver is asked to end, with the box that decides it (ticked to begin with). */
export function gdapApprovalBlocks(gdap: GdapView): Block[] {
  const live = gdap.relationships ?? [];
  const toEnd = live.filter((p) => p.decision.action === "terminate" || p.decision.action === "delete");
  const untouched = live.filter((p) => p.decision.action === "none" || p.decision.action === "unrecognised");
  const lines: string[] = [];
  if (gdap.readProblem) {
    lines.push(`:warning: ${escapeText(gdap.readProblem)}`, "Ticked below, the app reads them again once the removal is confirmed and ends them.");
  } else if (toEnd.length === 0) {
    lines.push("None to end: Microsoft Graph lists no active or pending GDAP relationship with this customer.");
  } else {
    lines.push("Removing the reseller relationship does not end them. Ticked below, the app ends these once Partner Center confirms the removal:");
    for (const p of toEnd.slice(0, 10)) lines.push(`• ${describeRelationship(p.relationship)} → ${p.decision.action === "delete" ? "delete" : "terminate"}`);
    if (toEnd.length > 10) lines.push(`…and ${toEnd.length - 10} more.`);
  }
  if (untouched.length > 0) lines.push(`Left as they are: ${untouched.slice(0, 10).map((p) => `${escapeText(p.relationship.displayName)} (\`${escapeText(p.relationship.status)}\`)`).join(", ")}`);
  return [section(`*GDAP relationships*\n${lines.join("\n")}`), gdapChoiceBox()];
}

/**
 * The box that decides whether the approval ends the GDAP relationships, ticked to begin with:
 * one on the approval message, and on the Home tab one per request, numbered as its Approve is
 * and named after the request it decides (homeGdapBlock).
 */
export function gdapChoiceBox(home?: { n: number; request: { c: string; r: string } }): Block {
  const option = { text: "Also end GDAP relationships", value: END_GDAP_VALUE, description: "Untick to keep them, e.g. for a GDAP-only managed-services contract" };
  if (!home) return actions([checkbox(ACTIONS.endGdapChoice, option, true)], GDAP_CHOICE_BLOCK);
  return actions([checkbox(numbered(ACTIONS.endGdapChoice, home.n), option, true)], homeGdapBlock(home.n, home.request));
}

/** One line for the approval message once decided: what became of the GDAP relationships. */
export function gdapOutcomeLine(gdap: GdapView): string {
  const job = gdap.job;
  if (!job) return "GDAP relationships: kept, as the approver chose; the app did not touch them.";
  const { done, total } = job.progress;
  switch (job.job.state) {
    case "held":
      return "GDAP relationships: the approver chose to end them; they are ended once Partner Center confirms the removal.";
    case "queued":
    case "running":
      return "GDAP relationships: being ended; progress shows on the case message.";
    case "done":
      return `:white_check_mark: GDAP relationships ended (${done} of ${total}); each one's status shows on the case message.`;
    case "failed":
    case "cancelled":
      return `:warning: Not every GDAP relationship was ended (${done} of ${total}); the case message says why, and can retry.`;
  }
}
