// Who may do what. The rules take what a front end found out about a person (which workspace
// they belong to, whether they are a full member) and the configured lists; where those facts
// come from (Slack's users.info, a signed request, a user group) is not the domain's business.
// Safe by default: a fact that is missing or unknown refuses.

/** What is known about the person asking, gathered by the front end. */
export interface PersonFacts {
  userId: string;
  /**
   * Every workspace the front end has seen this person act from or belong to (their profile's
   * workspace, the workspace named in their signed requests). Empty when nothing is known.
   */
  teamIds: readonly string[];
  /** full_member: not a guest, not a bot, not deactivated; unknown: the front end could not tell */
  kind: "full_member" | "guest" | "bot" | "deactivated" | "unknown";
}

export interface AccessPolicy {
  /** the workspace the app is installed in; null (not known yet) lets nobody act */
  homeTeamId: string | null;
  /** the listed operators (user ids and user-group members), or every full member of the workspace */
  operators: ReadonlySet<string> | "full_members";
  approvers: ReadonlySet<string>;
  approvalTtlMs: number;
}

export const DEFAULT_APPROVAL_TTL_MS = 24 * 60 * 60 * 1000;

export type PermissionCode = "not_operator" | "not_approver" | "not_reader" | "not_admin" | "other_workspace" | "guest" | "not_a_person" | "unverified";

export type PermissionCheck = { ok: true } | { ok: false; code: PermissionCode; message: string };

const ALLOWED: PermissionCheck = { ok: true };

function refuse(code: PermissionCode, message: string): PermissionCheck {
  return { ok: false, code, message };
}

/**
 * Only full members of the installing workspace act at all: users of another organisation
 * (Slack Connect), guests, bots and deactivated accounts never do, nor anyone we cannot place.
 */
export function checkMember(policy: AccessPolicy, person: PersonFacts): PermissionCheck {
  if (!policy.homeTeamId) return refuse("unverified", "The app does not know its own workspace yet, so it cannot check who you are. Nothing was done; try again in a minute.");
  if (person.teamIds.length === 0 || person.kind === "unknown") {
    return refuse("unverified", "The app could not check who you are with Slack, so nothing was done. Try again in a minute.");
  }
  if (person.teamIds.some((team) => team !== policy.homeTeamId)) {
    return refuse("other_workspace", "Only members of this workspace can use offboarding; people from other organisations in shared channels cannot. Nothing was done.");
  }
  if (person.kind === "guest") return refuse("guest", "Guests cannot use offboarding. Nothing was done.");
  if (person.kind !== "full_member") return refuse("not_a_person", "Only people can use offboarding, not bots or deactivated accounts. Nothing was done.");
  return ALLOWED;
}

export function mayOperate(policy: AccessPolicy, person: PersonFacts): boolean {
  return checkOperator(policy, person).ok;
}

export function mayApprove(policy: AccessPolicy, person: PersonFacts): boolean {
  return checkApprover(policy, person).ok;
}

export function checkOperator(policy: AccessPolicy, person: PersonFacts): PermissionCheck {
  const member = checkMember(policy, person);
  if (!member.ok) return member;
  if (policy.operators === "full_members" || policy.operators.has(person.userId)) return ALLOWED;
  return refuse("not_operator", "Only offboarding operators can do that. Ask an admin to add you to OPERATOR_USER_IDS or the operators' user group.");
}

export function checkApprover(policy: AccessPolicy, person: PersonFacts): PermissionCheck {
  const member = checkMember(policy, person);
  if (!member.ok) return member;
  if (policy.approvers.has(person.userId)) return ALLOWED;
  return refuse("not_approver", "Only approvers can approve or reject a removal. Nothing was changed.");
}

/** Reading cases, the audit trail and the customer list: operators and approvers only. */
export function checkReader(policy: AccessPolicy, person: PersonFacts): PermissionCheck {
  const member = checkMember(policy, person);
  if (!member.ok) return member;
  if (checkOperator(policy, person).ok || checkApprover(policy, person).ok) return ALLOWED;
  return refuse("not_reader", "Only offboarding operators and approvers can see cases, customers and the audit trail.");
}

/**
 * Seeing the app's set-up checks (what `npm run doctor` finds) and running them again: the
 * approvers. They already decide the one irreversible step, so they are the people trusted with
 * how the app is wired; no separate admin list exists to fall out of step with theirs.
 */
export function checkAdmin(policy: AccessPolicy, person: PersonFacts): PermissionCheck {
  const approver = checkApprover(policy, person);
  if (approver.ok || approver.code !== "not_approver") return approver;
  return refuse("not_admin", "Only approvers can see or re-run the app's set-up checks. Nothing was done.");
}
