// The reject modal's submission: a reason of a few words is required (Slack shows the error in
// the modal); the rejection itself is the workflow's, and a refusal is told in the approvals channel.
import type { App } from "@slack/bolt";
import { REJECT_MODAL, REJECT_REASON_BLOCK, REJECT_REASON_INPUT, caseValue, decodeValue } from "../slack-inputs";
import type { ListenerDeps } from "./listener-deps";
import { HAND_MADE, RESTARTING, refusalText } from "./replies";

export function registerRejectModal(app: App, deps: ListenerDeps): void {
  const { workflow, queue, approvalChannelId } = deps;
  app.view(REJECT_MODAL, async ({ ack, view, body, client }) => {
    const target = decodeValue(caseValue, view.private_metadata);
    const reason = view.state.values[REJECT_REASON_BLOCK]?.[REJECT_REASON_INPUT]?.value ?? "";
    if (!target) return void (await ack({ response_action: "errors", errors: { [REJECT_REASON_BLOCK]: HAND_MADE } }));
    if (reason.trim().length < 3) return void (await ack({ response_action: "errors", errors: { [REJECT_REASON_BLOCK]: "Please give a reason of at least a few words." } }));
    await ack();
    await queue.run(
      async () => {
        const result = await workflow.reject(body.user.id, target.c, reason);
        if (!result.ok) await client.chat.postEphemeral({ channel: approvalChannelId, user: body.user.id, text: refusalText(result.refusal) });
      },
      () => client.chat.postEphemeral({ channel: approvalChannelId, user: body.user.id, text: `${RESTARTING} Your rejection was not recorded.` }),
    );
  });
}
