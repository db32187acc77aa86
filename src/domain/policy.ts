// Who may do what. The rules take resolved user lists; where they come from (env, a Slack
// user group) is not the domain's business.

export interface AccessPolicy {
  /** empty means any workspace member may operate */
  operators: ReadonlySet<string>;
  approvers: ReadonlySet<string>;
  approvalTtlMs: number;
}

export const DEFAULT_APPROVAL_TTL_MS = 24 * 60 * 60 * 1000;

export function mayOperate(policy: AccessPolicy, userId: string): boolean {
  return policy.operators.size === 0 || policy.operators.has(userId);
}

export function mayApprove(policy: AccessPolicy, userId: string): boolean {
  return policy.approvers.has(userId);
}

export type PermissionCheck = { ok: true } | { ok: false; code: "not_operator" | "not_approver"; message: string };

export function checkOperator(policy: AccessPolicy, userId: string): PermissionCheck {
  return mayOperate(policy, userId)
    ? { ok: true }
    : { ok: false, code: "not_operator", message: "Only offboarding operators can do that. Ask an admin to add you to OPERATOR_USER_IDS." };
}

export function checkApprover(policy: AccessPolicy, userId: string): PermissionCheck {
  return mayApprove(policy, userId)
    ? { ok: true }
    : { ok: false, code: "not_approver", message: "Only approvers can approve or reject a removal. Nothing was changed." };
}
