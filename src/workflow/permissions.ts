// Who may act: the domain's rules (src/domain/policy.ts) asked with what the front end knows about
// the person (PolicyProvider.describe). Facts that cannot be had refuse, as the rules do.
import { type AccessPolicy, type PermissionCheck, type PersonFacts, checkAdmin, checkApprover, checkOperator, checkReader } from "../domain";
import type { Logger } from "../logger";
import type { PolicyProvider } from "./ports";

/** What a person needs to be for a use case: an operator, an approver, either (to read), or an admin (the set-up checks). */
export type Role = "operate" | "approve" | "read" | "administer";

const ROLE_CHECKS: Record<Role, (policy: AccessPolicy, person: PersonFacts) => PermissionCheck> = {
  operate: checkOperator,
  approve: checkApprover,
  read: checkReader,
  administer: checkAdmin,
};

const UNVERIFIED: PermissionCheck = { ok: false, code: "unverified", message: "The app could not check your access with Slack, so nothing was done. Try again in a minute." };

/** The domain's answer for `actor` in `role`; when the policy or the person cannot be read, a refusal. */
export async function checkRole(policy: PolicyProvider, logger: Logger, actor: string, role: Role): Promise<PermissionCheck> {
  try {
    const [current, person] = await Promise.all([policy.current(), policy.describe(actor)]);
    return ROLE_CHECKS[role](current, person);
  } catch (error) {
    logger.warn({ actor, err: error instanceof Error ? error.message : String(error) }, "could not resolve who may act");
    return UNVERIFIED;
  }
}
