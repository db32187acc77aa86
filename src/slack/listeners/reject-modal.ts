// The reject modal's submission: a reason of a few words is required (Slack shows the error in
// the modal); the rejection itself is the workflow's, and a refusal is told in the approvals channel.
import { performance } from "node:perf_hooks";
import type { App } from "@slack/bolt";
import { metrics } from "../../metrics";
import { interactionKey } from "../interaction-jobs";
import { REJECT_MODAL, REJECT_REASON_BLOCK, REJECT_REASON_INPUT, caseValue, decodeValue } from "../slack-inputs";
import type { ListenerDeps } from "./listener-deps";
import { HAND_MADE, NOT_TAKEN, refusalText } from "./replies";

export function registerRejectModal(app: App, deps: ListenerDeps): void {
  const { workflow, interactions, approvalChannelId, client } = deps;
  interactions.on("reject", async ({ userId, caseId, reason }) => {
    const result = await workflow.reject(userId, caseId, reason);
    if (!result.ok) await client.chat.postEphemeral({ channel: approvalChannelId, user: userId, text: refusalText(result.refusal) });
  });
  app.view(REJECT_MODAL, async ({ ack, view, body }) => {
    const target = decodeValue(caseValue, view.private_metadata);
    const reason = view.state.values[REJECT_REASON_BLOCK]?.[REJECT_REASON_INPUT]?.value ?? "";
    if (!target) return void (await ack({ response_action: "errors", errors: { [REJECT_REASON_BLOCK]: HAND_MADE } }));
    if (reason.trim().length < 3) return void (await ack({ response_action: "errors", errors: { [REJECT_REASON_BLOCK]: "Please give a reason of at least a few words." } }));
    const started = performance.now();
    const accepted = await interactions.accept(interactionKey(body), { type: "reject", caseId: target.c, reason, userId: body.user.id });
    // the modal stays open with the reason in it when the rejection could not be taken
    if (!accepted) return void (await ack({ response_action: "errors", errors: { [REJECT_REASON_BLOCK]: NOT_TAKEN } }));
    await ack();
    metrics.ack("view_submission", performance.now() - started);
  });
}
