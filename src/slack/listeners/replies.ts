// Private answers to the person who pressed or typed, and how a use case's refusal is worded in
// Slack: the workflow returns plain text and parameters; the mentions and command hints are ours.
import type { RespondArguments } from "@slack/bolt";
import type { Outcome, UseCaseRefusal } from "../../workflow";
import { outside } from "../blocks/block-kit";

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
      : `<@${decided.decidedBy}> already rejected this removal${decided.reason ? `: ${outside(decided.reason, 500)}` : "."}`;
  }
  if (refusal.code === "no_relationship" && refusal.customer) {
    return `${outside(refusal.message, 1000)} Use \`/offboard relink ${outside(refusal.customer.domain, 150)}\` to request a new one.`;
  }
  if (refusal.code === "batch_member" && refusal.batchCard) return `${outside(refusal.message, 1000)} The card is in <#${refusal.batchCard.channelId}>.`;
  if (refusal.code === "not_delivered") return `${outside(refusal.message, 1000)} Once that is fixed, press *Request removal* again.`;
  // the message may carry a company name or Partner Center's own words
  return outside(refusal.message, 1000);
}

/** The outcome's value, or null after telling the user privately why not. */
export async function report<T>(respond: Reply, outcome: Outcome<T>): Promise<T | null> {
  if (outcome.ok) return outcome.value;
  await respond(ephemeral(refusalText(outcome.refusal)));
  return null;
}
