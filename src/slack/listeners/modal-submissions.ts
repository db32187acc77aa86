// What people submit in the modals: a rejection's reason, a removal request's justification.
// Their checks run before the ack, so a refusal is said in the modal itself (response_action
// "errors"), where the person is looking, whether they came from a channel or the Home tab. The
// rejection and the removal request themselves are durable jobs after the ack (a request reads
// Partner Center and posts to the approvers); a refusal found only then is sent by direct message.
import type { App } from "@slack/bolt";
import { outside } from "../blocks/block-kit";
import {
  JUSTIFICATION_BLOCK,
  JUSTIFICATION_INPUT,
  REJECT_MODAL,
  REJECT_REASON_BLOCK,
  REJECT_REASON_INPUT,
  REQUEST_MODAL,
  caseValue,
  decodeValue,
  requestValue,
  stampDate,
} from "../slack-inputs";
import { interactionKey } from "../interaction-jobs";
import { ANSWER_IN_MODAL_MS, fieldError, typed, within } from "./modal-answers";
import type { ListenerDeps } from "./listener-deps";
import { HAND_MADE, NOT_TAKEN, refusalText } from "./replies";

export function registerModalSubmissions(app: App, deps: ListenerDeps): void {
  const { workflow, interactions, approvalChannelId } = deps;

  interactions.on("reject", async ({ userId, caseId, reason, requestStamp }, tell) => {
    const rejected = await workflow.reject(userId, caseId, reason, requestStamp === undefined ? undefined : stampDate(requestStamp));
    if (!rejected.ok) await tell(`Your rejection was not recorded: ${refusalText(rejected.refusal)}`);
  });

  interactions.on("request", async ({ userId, caseId, justification }, tell) => {
    const requested = await workflow.requestRemoval(userId, caseId, justification);
    if (!requested.ok) return void (await tell(`Removal was not requested. ${refusalText(requested.refusal)}`));
    const name = outside(requested.value.removalCase.companyName, 150);
    await tell(`Removal of *${name}* requested. Approvers were asked in <#${approvalChannelId}>; you will hear here when they decide.`);
  });

  app.view(REJECT_MODAL, async ({ ack, view, body }) => {
    const userId = body.user.id;
    const target = decodeValue(requestValue, view.private_metadata);
    const reason = typed(view.state.values, REJECT_REASON_BLOCK, REJECT_REASON_INPUT);
    const errors = (text: string) => ack({ response_action: "errors", errors: { [REJECT_REASON_BLOCK]: text } });
    if (!target) return void (await errors(HAND_MADE));
    if (reason.trim().length < 3) return void (await errors("Please give a reason of at least a few words."));
    // refused now (someone approved meanwhile, a newer request) is said in the modal
    const check = await within(ANSWER_IN_MODAL_MS, workflow.checkRejection(userId, target.c, stampDate(target.r), reason));
    if (check !== "late" && !check.ok) return void (await errors(fieldError(check)));
    // the rejection itself is a job, after the ack: a crash or a deploy loses none
    const accepted = await interactions.accept(interactionKey(body), { type: "reject", caseId: target.c, reason, requestStamp: target.r, userId, teamId: body.user.team_id });
    if (!accepted) return void (await errors(NOT_TAKEN));
    await ack();
  });

  app.view(REQUEST_MODAL, async ({ ack, view, body }) => {
    const userId = body.user.id;
    const target = decodeValue(caseValue, view.private_metadata);
    const justification = typed(view.state.values, JUSTIFICATION_BLOCK, JUSTIFICATION_INPUT);
    const errors = (text: string) => ack({ response_action: "errors", errors: { [JUSTIFICATION_BLOCK]: text } });
    if (!target) return void (await errors(HAND_MADE));
    const check = await within(ANSWER_IN_MODAL_MS, workflow.checkRemovalRequest(userId, target.c, justification));
    if (check !== "late" && !check.ok) return void (await errors(fieldError(check)));
    // the request reads Partner Center live and posts to the approvers: a job, after the ack
    const accepted = await interactions.accept(interactionKey(body), { type: "request", caseId: target.c, justification, userId, teamId: body.user.team_id });
    // the modal stays open, with what was typed in it, when the request could not be taken
    if (!accepted) return void (await errors(NOT_TAKEN));
    await ack();
  });
}
