// What the app knows about a person, for the domain's access policy: which workspace they belong
// to and act from, and whether they are a full member (users.info: guests are is_restricted or
// is_ultra_restricted; bots and deactivated accounts are neither). users.info answers are kept a
// while, since every press asks; what signed requests say about a person's workspace is kept too.
import { z } from "zod";
import type { PersonFacts } from "../domain";
import type { Logger } from "../logger";
import { describeSlackError } from "./slack-errors";

/** The one Web API call this needs (scope users:read); the app's WebClient satisfies it. */
export interface UserReader {
  users: { info(args: { user: string }): Promise<unknown> };
}

const userInfo = z.object({
  user: z.object({
    id: z.string(),
    team_id: z.string().optional(),
    deleted: z.boolean().optional(),
    is_bot: z.boolean().optional(),
    is_restricted: z.boolean().optional(),
    is_ultra_restricted: z.boolean().optional(),
    is_stranger: z.boolean().optional(),
  }),
});

type Profile = Pick<PersonFacts, "kind"> & { teamId: string | null };

const PROFILE_TTL_MS = 10 * 60_000;
const MAX_PEOPLE = 5_000;

export class SlackPeople {
  private readonly profiles = new Map<string, { at: number; profile: Promise<Profile> }>();
  /** user id → the workspaces their signed requests came from */
  private readonly requestTeams = new Map<string, Set<string>>();

  constructor(
    private readonly client: UserReader,
    private readonly logger: Logger,
    private readonly ttlMs = PROFILE_TTL_MS,
  ) {}

  /** A signed request from Slack named this person and the workspace they act from. */
  noteRequest(userId: string, teamId: string | undefined): void {
    if (!teamId) return;
    let teams = this.requestTeams.get(userId);
    if (!teams) {
      if (this.requestTeams.size >= MAX_PEOPLE) this.requestTeams.delete(this.requestTeams.keys().next().value ?? "");
      this.requestTeams.set(userId, (teams = new Set()));
    }
    teams.add(teamId);
  }

  async describe(userId: string): Promise<PersonFacts> {
    const profile = await this.profile(userId);
    const teamIds = new Set(this.requestTeams.get(userId) ?? []);
    if (profile.teamId) teamIds.add(profile.teamId);
    return { userId, teamIds: [...teamIds], kind: profile.kind };
  }

  private profile(userId: string): Promise<Profile> {
    const cached = this.profiles.get(userId);
    if (cached && Date.now() - cached.at < this.ttlMs) return cached.profile;
    const profile = this.lookUp(userId);
    if (this.profiles.size >= MAX_PEOPLE) this.profiles.delete(this.profiles.keys().next().value ?? "");
    this.profiles.set(userId, { at: Date.now(), profile });
    // an answer we could not get is asked again next time, not kept
    void profile.then((p) => {
      if (p.kind === "unknown" && this.profiles.get(userId)?.profile === profile) this.profiles.delete(userId);
    });
    return profile;
  }

  private async lookUp(userId: string): Promise<Profile> {
    try {
      const parsed = userInfo.safeParse(await this.client.users.info({ user: userId }));
      if (!parsed.success) return { kind: "unknown", teamId: null };
      const user = parsed.data.user;
      const teamId = user.team_id ?? null;
      if (user.deleted) return { kind: "deactivated", teamId };
      if (user.is_bot) return { kind: "bot", teamId };
      if (user.is_restricted || user.is_ultra_restricted) return { kind: "guest", teamId };
      // a stranger is someone from another organisation Slack shows us through a shared channel
      if (user.is_stranger) return { kind: "full_member", teamId: teamId ?? "stranger" };
      return { kind: "full_member", teamId };
    } catch (error) {
      this.logger.warn({ user: userId, err: describeSlackError(error) }, "users.info failed; the person is treated as unknown");
      return { kind: "unknown", teamId: null };
    }
  }
}
