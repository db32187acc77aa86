// The modals: asking for a removal (with a justification), rejecting one (with a reason), and
// the notice a modal turns into when the person may not go on. Modals open at once from the
// press (a trigger_id lives three seconds); their checks come back on submit, in the modal.
import { JUSTIFICATION_MAX, REJECT_REASON_MAX } from "../../domain";
import { JUSTIFICATION_BLOCK, JUSTIFICATION_INPUT, REJECT_MODAL, REJECT_REASON_BLOCK, REJECT_REASON_INPUT, REQUEST_MODAL, encodeValue } from "../slack-inputs";
import { type Block, clip, context, outside, section } from "./block-kit";

interface ModalView {
  type: "modal";
  callback_id?: string;
  private_metadata?: string;
  title: { type: "plain_text"; text: string };
  submit?: { type: "plain_text"; text: string };
  close: { type: "plain_text"; text: string };
  blocks: Block[];
}

const title = (text: string) => ({ type: "plain_text" as const, text: clip(text, 24) });

function textInput(blockId: string, actionId: string, label: string, maxLength: number, placeholder: string): Block {
  return {
    type: "input",
    block_id: blockId,
    label: { type: "plain_text", text: label },
    element: { type: "plain_text_input", action_id: actionId, multiline: true, min_length: 3, max_length: maxLength, placeholder: { type: "plain_text", text: placeholder } },
  };
}

/** Opened from Request removal: the case is named once the listener knows it; the case id travels in the metadata. */
export function requestModal(caseId: string, companyName?: string): ModalView {
  const whom = companyName ? `*${outside(companyName, 150)}*` : "this customer";
  return {
    type: "modal",
    callback_id: REQUEST_MODAL,
    private_metadata: encodeValue({ c: caseId }),
    title: title("Request removal"),
    submit: title("Send to approvers"),
    close: title("Back"),
    blocks: [
      section(`Ask an approver to remove the reseller relationship with ${whom}. Partner Center is checked again before the request is sent and before anything is removed.`),
      textInput(JUSTIFICATION_BLOCK, JUSTIFICATION_INPUT, "Why should this customer be removed?", JUSTIFICATION_MAX, "e.g. Contract ended; the customer moved to another partner"),
      context("Approvers see this on the request, and it is kept in the audit trail."),
    ],
  };
}

/** Opened from Reject: the metadata names the case and the request the approver saw. */
export function rejectModal(caseId: string, stamp: string): ModalView {
  return {
    type: "modal",
    callback_id: REJECT_MODAL,
    private_metadata: encodeValue({ c: caseId, r: stamp }),
    title: title("Reject removal"),
    submit: title("Reject"),
    close: title("Back"),
    blocks: [
      section("Reject this removal request? The operator who asked sees your reason."),
      textInput(REJECT_REASON_BLOCK, REJECT_REASON_INPUT, "Reason", REJECT_REASON_MAX, "e.g. The customer still has open invoices"),
    ],
  };
}

/** What an opened modal becomes when the person may not go on: the reason, and no submit button. */
export function noticeModal(heading: string, text: string): ModalView {
  return { type: "modal", title: title(heading), close: title("Close"), blocks: [section(text)] };
}
