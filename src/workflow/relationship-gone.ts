// When Partner Center says the relationship is gone (relationshipToPartner none, or 403 with code
// 20002 on a read), nothing is left to remove. What the workflow then does lives in
// WorkflowContext (endCaseWithoutRelationship); here, how it is recognised and said.
import { NO_RELATIONSHIP_TEXT } from "../partner-center/error-mapping";
import { PartnerCenterError } from "../partner-center/partner-center-api";

export const NO_RELATIONSHIP_MESSAGE = `${NO_RELATIONSHIP_TEXT.charAt(0).toUpperCase()}${NO_RELATIONSHIP_TEXT.slice(1)}.`;

/** what the audit says when a read answered 20002 */
export const READ_ANSWERED_20002 = "a read of the customer answered 403 with code 20002 (no relationship)";

export function isRelationshipGone(error: unknown): boolean {
  return error instanceof PartnerCenterError && error.kind === "no_relationship";
}
