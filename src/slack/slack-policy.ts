// The facts the domain's access policy decides on, gathered from Slack: the installing workspace
// (auth.test), the operators and approvers (configured ids and user groups, read with
// usergroups:read and cached briefly, since every press asks) and what is known about a person.
// Nothing here decides who may act; src/domain/policy.ts does.
import type { AccessPolicy, PersonFacts } from "../domain";
import type { PolicyProvider } from "../workflow";
import type { SlackIdentity } from "./slack-identity";
import type { SlackPeople } from "./slack-people";

export interface SlackPolicyOptions {
  operators: string[];
  operatorGroupId?: string | undefined;
  approvers: string[];
  approverGroupId?: string | undefined;
  approvalTtlMs: number;
  cacheMs?: number;
}

/** The one Web API call for user groups; the app's WebClient satisfies it. */
export interface UsergroupReader {
  usergroups: { users: { list(args: { usergroup: string }): Promise<{ users?: string[] }> } };
}

export class SlackPolicyProvider implements PolicyProvider {
  private cached: { at: number; policy: Promise<AccessPolicy> } | null = null;

  constructor(
    private readonly client: UsergroupReader,
    private readonly identity: Pick<SlackIdentity, "get">,
    private readonly people: Pick<SlackPeople, "describe">,
    private readonly options: SlackPolicyOptions,
  ) {}

  current(): Promise<AccessPolicy> {
    const cacheMs = this.options.cacheMs ?? 60_000;
    if (this.cached && Date.now() - this.cached.at < cacheMs) return this.cached.policy;
    const policy = this.read();
    const entry = { at: Date.now(), policy };
    this.cached = entry;
    // a failed read is not kept: the next press asks again
    policy.catch(() => {
      if (this.cached === entry) this.cached = null;
    });
    return policy;
  }

  describe(userId: string): Promise<PersonFacts> {
    return this.people.describe(userId);
  }

  /** Who to mention on an approval request: the approvers' user group, or each approver. */
  async approverMentions(): Promise<string[]> {
    if (this.options.approverGroupId) return [`<!subteam^${this.options.approverGroupId}>`];
    return [...(await this.current()).approvers].map((id) => `<@${id}>`);
  }

  private async read(): Promise<AccessPolicy> {
    const { approverGroupId, operatorGroupId } = this.options;
    const [identity, approverGroup, operatorGroup] = await Promise.all([
      this.identity.get(),
      approverGroupId ? this.groupMembers(approverGroupId) : [],
      operatorGroupId ? this.groupMembers(operatorGroupId) : [],
    ]);
    const listed = this.options.operators.length > 0 || operatorGroupId;
    return {
      homeTeamId: identity.teamId || null,
      // with neither ids nor a group configured, every full member of the workspace operates
      operators: listed ? new Set([...this.options.operators, ...operatorGroup]) : "full_members",
      approvers: new Set([...this.options.approvers, ...approverGroup]),
      approvalTtlMs: this.options.approvalTtlMs,
    };
  }

  private async groupMembers(usergroup: string): Promise<string[]> {
    return (await this.client.usergroups.users.list({ usergroup })).users ?? [];
  }
}
