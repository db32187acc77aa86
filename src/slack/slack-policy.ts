// Who operates and approves, from the environment or a Slack user group (cached briefly,
// since group membership changes rarely and every button press asks).
import type { AccessPolicy } from "../domain";
import type { PolicyProvider } from "../workflow";

export interface SlackPolicyOptions {
  operators: string[];
  approvers: string[];
  approverGroupId?: string | undefined;
  approvalTtlMs: number;
  cacheMs?: number;
}

/** The one Web API call the policy needs; the app's WebClient satisfies it. */
export interface UsergroupReader {
  usergroups: { users: { list(args: { usergroup: string }): Promise<{ users?: string[] }> } };
}

export class SlackPolicyProvider implements PolicyProvider {
  private cached: { at: number; policy: AccessPolicy } | null = null;

  constructor(
    private readonly client: UsergroupReader,
    private readonly options: SlackPolicyOptions,
  ) {}

  async current(): Promise<AccessPolicy> {
    const cacheMs = this.options.cacheMs ?? 60_000;
    if (this.cached && Date.now() - this.cached.at < cacheMs) return this.cached.policy;
    const approvers = new Set(this.options.approvers);
    if (this.options.approverGroupId) {
      const result = await this.client.usergroups.users.list({ usergroup: this.options.approverGroupId });
      for (const user of result.users ?? []) approvers.add(user);
    }
    const policy: AccessPolicy = { operators: new Set(this.options.operators), approvers, approvalTtlMs: this.options.approvalTtlMs };
    this.cached = { at: Date.now(), policy };
    return policy;
  }
}
