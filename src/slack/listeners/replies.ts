// Private answers to the person who pressed or typed, and how a use case's refusal is worded in
// Slack: the workflow returns plain text and parameters; the mentions and command hints are ours.
import type { RespondArguments } from "@slack/bolt";
import type { Outcome, UseCaseRefusal } from "../../workflow";
import { escapeText } from "../blocks/block-kit";

/** Answers the user privately: through response_url where Slack gave one, else by direct message. */
export type Reply = (message: string | RespondArguments) => Promise<unknown>;

export const ephemeral = (text: string) => ({ response_type: "ephemeral" as const, replace_original: false, text });

/** the request could not be stored, so it was not taken: said at once, nothing half done */
export const NOT_TAKEN = "Sorry, the app could not take that request just now, so nothing was done. Please try again in a minute.";
export const HAND_MADE = "That button's data is not valid, so nothing was done. Use the buttons on the latest message.";

/** A refusal in Slack's words; outside text in it (company names, reasons, errors) is escaped. */
export function refusalText(refusal: UseCaseRefusal): string {
  const decided = refusal.decided;
  if (decided) {
    return decided.decision === "approved"
      ? `<@${decided.decidedBy}> already approved this removal; the case is ${decided.state.replace("_", " ")}.`
      : `<@${decided.decidedBy}> already rejected this removal${decided.reason ? `: ${escapeText(decided.reason)}` : "."}`;
  }
  if (refusal.code === "no_relationship" && refusal.customer) {
    return `${escapeText(refusal.message)} Use \`/offboard relink ${escapeText(refusal.customer.domain)}\` to request a new one.`;
  }
  return escapeText(refusal.message);
}

/** The outcome's value, or null after telling the user privately why not. */
export async function report<T>(respond: Reply, outcome: Outcome<T>): Promise<T | null> {
  if (outcome.ok) return outcome.value;
  await respond(ephemeral(refusalText(outcome.refusal)));
  return null;
}
