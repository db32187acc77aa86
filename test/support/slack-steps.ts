// Steps a person takes in Slack that span more than one request: a button that opens a modal,
// then the modal's submission, as Slack sends them (the stand-in issued the trigger and keeps the
// opened view; the submission carries that view's metadata and what was typed).
import type { OpenedModal, PostedMessage } from "../../src/stand-ins/slack/local-slack-api";
import type { SlackUser } from "../../src/stand-ins/slack/slack-request-signer";
import { ACTIONS, JUSTIFICATION_BLOCK, JUSTIFICATION_INPUT, REJECT_REASON_BLOCK, REJECT_REASON_INPUT } from "../../src/slack/slack-inputs";
import { APPROVAL_CHANNEL, type Harness, OPERATOR, OPS_CHANNEL, buttonsOf, waitFor } from "./app-harness";

export const JUSTIFICATION = "Contract ended; the customer moved to another partner";

/** Whether the message offers a button with this action. */
export const hasButton = (message: { blocks: unknown[] }, actionId: string) => buttonsOf(message.blocks).some((b) => b.action_id === actionId);

/** Runs /offboard as the operator and returns the case message the app posted (or updated) for that customer. */
export async function openCase(h: Pick<Harness, "command" | "slack">, companyName: string): Promise<PostedMessage> {
  const before = h.slack.messages.length;
  const response = await h.command(OPERATOR, companyName);
  if (response.status !== 200) throw new Error(`/offboard ${companyName} was answered ${response.status}`);
  return waitFor(`case message for ${companyName}`, () =>
    h.slack.messages.find((m, index) => m.channel === OPS_CHANNEL && m.text.includes(companyName) && (index >= before || m.updates > 0)),
  );
}

/** The modal the app opened for `user` after `before` modals, once it is open. */
export function nextModal(h: Pick<Harness, "slack">, user: SlackUser, before: number): Promise<OpenedModal> {
  return waitFor(`a modal for ${user.name}`, () => h.slack.openModals.slice(before).find((m) => m.user === user.id));
}

/** Submits an open modal with `text` typed into its one input; Slack's answer to the submission. */
export async function submitModal(h: Pick<Harness, "sender">, user: SlackUser, modal: OpenedModal, block: string, input: string, text: string) {
  return h.sender.viewSubmission(user, {
    id: modal.id,
    callback_id: String(modal.view.callback_id),
    private_metadata: String(modal.view.private_metadata),
    values: { [block]: { [input]: { type: "plain_text_input", value: text } } },
  });
}

/** Request removal… on a case message, with a justification: the modal's answer, and the modal. */
export async function requestRemoval(h: Harness, user: SlackUser, message: { channel: string; ts: string }, justification = JUSTIFICATION) {
  const before = h.slack.openModals.length;
  await h.press(user, message, ACTIONS.requestRemoval);
  const modal = await nextModal(h, user, before);
  const answer = await submitModal(h, user, modal, JUSTIFICATION_BLOCK, JUSTIFICATION_INPUT, justification);
  return { answer, modal };
}

/** Requests removal and waits for the approval request the app posts for it. */
export async function requestRemovalAndWait(h: Harness, user: SlackUser, message: { channel: string; ts: string }, justification = JUSTIFICATION): Promise<PostedMessage> {
  const before = h.slack.channelMessages(APPROVAL_CHANNEL).length;
  const { answer } = await requestRemoval(h, user, message, justification);
  if (answer.status !== 200 || answer.body.includes("errors")) throw new Error(`the request modal was refused: ${answer.body}`);
  const approval = await waitFor("approval message", () => h.slack.channelMessages(APPROVAL_CHANNEL)[before]);
  // the request is posted first and saved after: wait until it is saved (the work behind the ack is done)
  await h.app.slack.settle();
  return approval;
}

/** Reject on an approval request, with a reason: the modal's answer. */
export async function reject(h: Harness, user: SlackUser, approval: { channel: string; ts: string }, reason: string) {
  const before = h.slack.openModals.length;
  await h.press(user, approval, ACTIONS.reject);
  const modal = await nextModal(h, user, before);
  const answer = await submitModal(h, user, modal, REJECT_REASON_BLOCK, REJECT_REASON_INPUT, reason);
  // the rejection is a job after the ack: wait until it is worked
  await h.app.slack.settle();
  return { answer, modal };
}

/** Opens the case, clears what blocks (Suspend all), requests removal; returns both messages. */
export async function requestRemovalFor(h: Harness, companyName: string): Promise<{ message: PostedMessage; approval: PostedMessage }> {
  const message = await openCase(h, companyName);
  if (hasButton(message, ACTIONS.suspendAll)) await h.press(OPERATOR, message, ACTIONS.suspendAll);
  await waitFor("Request removal button", () => hasButton(message, ACTIONS.requestRemoval));
  const approval = await requestRemovalAndWait(h, OPERATOR, message);
  return { message, approval };
}
