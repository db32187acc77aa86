// The App Home's admin section: the app's set-up checks (npm run doctor's) as last run, one line
// each with ✔/✘ and the fix under each ✘, when they were run, and "Run checks again". What the
// checks say comes from Slack, Partner Center and Graph: escaped, and any token shape masked,
// though the checks never put a secret in their words.
import type { SetupCheckLine, SetupShown } from "../../workflow";
import { ACTIONS, encodeValue } from "../slack-inputs";
import { type Block, button, context, divider, outside, section, slackDate } from "./block-kit";

/** at most this many sections of check lines (a Home tab holds 100 blocks, shared with cases) */
const MAX_CHECK_SECTIONS = 4;
const SECTION_CHARS = 2900;
const MARK: Record<SetupCheckLine["status"], string> = { ok: "✔", failed: "✘", skipped: "–" };
/** Slack tokens and app-level tokens, should any ever reach a check's words */
const TOKEN_SHAPE = /\b(?:xox[a-z]|xapp)-[A-Za-z0-9-]+/g;

const masked = (text: string) => text.replace(TOKEN_SHAPE, "[hidden]");

function checkLine(check: SetupCheckLine): string {
  const line = `${MARK[check.status]} *${outside(masked(check.name), 150)}*: ${outside(masked(check.detail), 500)}`;
  return check.status === "failed" && check.fix ? `${line}\n      _Fix:_ ${outside(masked(check.fix), 500)}` : line;
}

/** Lines packed into as few sections as fit, failures first so none is left out. */
function packed(lines: string[]): Block[] {
  const sections: string[] = [];
  for (const line of lines) {
    const last = sections.length - 1;
    if (last >= 0 && (sections[last] ?? "").length + line.length + 1 <= SECTION_CHARS) sections[last] += `\n${line}`;
    else sections.push(line);
  }
  const shown = sections.slice(0, MAX_CHECK_SECTIONS).map((text) => section(text));
  return sections.length > MAX_CHECK_SECTIONS ? [...shown, context("…more checks than fit here: `npm run doctor` lists them all.")] : shown;
}

export function setupBlocks(setup: SetupShown): Block[] {
  const rerun = button(ACTIONS.rerunSetupChecks, setup.running ? "Checking…" : "Run checks again", encodeValue({}), { label: "Run the set-up checks again" });
  const blocks: Block[] = [divider(), section("*Set-up checks* (admins only: what `npm run doctor` checks)", rerun)];
  const report = setup.report;
  if (!report) {
    blocks.push(context(setup.running ? ":hourglass_flowing_sand: Running the checks now; this tab shows them when they finish." : "Not checked yet. Press *Run checks again*."));
    return blocks;
  }
  const failed = report.checks.filter((c) => c.status === "failed");
  const verdict = failed.length === 0 ? ":white_check_mark: All checks passed" : `:x: ${failed.length} check${failed.length === 1 ? "" : "s"} failed`;
  const again = setup.running ? " Running them again now…" : "";
  blocks.push(context(`${verdict}. Checked ${slackDate(report.checkedAt, "{ago}")} (${slackDate(report.checkedAt)}).${again}`));
  const ordered = [...failed, ...report.checks.filter((c) => c.status !== "failed")];
  blocks.push(...packed(ordered.map(checkLine)));
  return blocks;
}
