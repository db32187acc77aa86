// Afterwards: the link a customer follows to accept a reseller relationship again.
import { checkOperator } from "../domain";
import { type Outcome, refused, success } from "./results";
import { type WorkflowContext, describeError } from "./workflow-context";

export async function relinkUrl(ctx: WorkflowContext, actor: string, tenantId: string | null): Promise<Outcome<string>> {
  const permission = checkOperator(await ctx.policy.current(), actor);
  if (!permission.ok) return ctx.refuse(actor, "relationship.relink", permission.code, permission.message, { tenantId });
  try {
    const url = await ctx.partnerCenter.getRelationshipRequestLink();
    await ctx.store.audit.append({ actor, action: "relationship.relink_link", outcome: "ok", tenantId, at: ctx.clock() });
    return success(url);
  } catch (error) {
    return refused("partner_center", `Could not get the request link from Partner Center: ${describeError(error)}`);
  }
}
