// Afterwards: the link a customer follows to accept a reseller relationship again.
import { type Outcome, refused, success } from "./results";
import { type WorkflowContext, describeError } from "./workflow-context";

export async function relinkUrl(ctx: WorkflowContext, actor: string, tenantId: string | null): Promise<Outcome<string>> {
  const permission = await ctx.permit(actor, "operate", "relationship.relink", { tenantId });
  if (!permission.ok) return permission;
  try {
    const url = await ctx.partnerCenter.getRelationshipRequestLink();
    await ctx.store.audit.append({ actor, action: "relationship.relink_link", outcome: "ok", tenantId, at: ctx.clock() });
    return success(url);
  } catch (error) {
    return refused("partner_center", `Could not get the request link from Partner Center: ${describeError(error)}`);
  }
}
