// The local world's Slack workspace, shared by the console, the tests and the benches: its
// people, its channels and the bot's place in them, and the scopes of the manifest the app is
// installed from. Tests that need another workspace build one from these pieces.
import { manifestBotScopes } from "../../doctor/manifest-scopes";
import type { WorkspaceConversation, WorkspacePerson, WorkspaceSpec } from "./slack-workspace";

export const LOCAL_TEAM_ID = "TLOCAL";
/** Slack Connect: a partner organisation sharing #offboarding with the workspace */
export const PARTNER_TEAM_ID = "TPARTNER";

export const LOCAL_PEOPLE: readonly WorkspacePerson[] = [
  // the console's people
  { id: "U0OLIVIA", name: "olivia" },
  { id: "U0ALEX", name: "alex" },
  { id: "U0NORA", name: "nora" },
  // the tests' and benches' people
  { id: "U0OPERATOR", name: "olivia.op" },
  { id: "U0OPERATR2", name: "oscar" },
  { id: "U0APPROVER", name: "alex.ap" },
  { id: "U0APPROVR2", name: "avery" },
  { id: "U0BYSTANDR", name: "nora.by" },
  { id: "U0GUEST", name: "gus.guest", guest: "restricted" },
  { id: "U0SINGLECH", name: "sam.single", guest: "ultra_restricted" },
  { id: "U0FORMER", name: "fred.former", deleted: true },
  { id: "U0EXTERNAL", name: "erin.partner", teamId: PARTNER_TEAM_ID },
];

const everyone = LOCAL_PEOPLE.filter((p) => !p.deleted).map((p) => p.id);
const staff = LOCAL_PEOPLE.filter((p) => !p.deleted && !p.guest && !p.teamId).map((p) => p.id);

export const LOCAL_CONVERSATIONS: readonly WorkspaceConversation[] = [
  // shared with the partner organisation (Slack Connect) and open to guests
  { id: "C0OFFBOARD", name: "offboarding", kind: "public", members: everyone, bot: true },
  // private: the bot is in it because it was invited, as the README's set-up asks
  { id: "C0APPROVALS", name: "approvals", kind: "private", members: staff, bot: true },
  // public, bot not invited: chat:write.public lets it post
  { id: "C0GENERAL", name: "general", kind: "public", members: staff, bot: false },
  // private, bot not invited: it cannot see or post there
  { id: "C0PRIVATE", name: "leadership", kind: "private", members: staff, bot: false },
  // a direct message between two people: the bot is never in it
  { id: "D0OLIVALEX", name: "olivia-alex", kind: "im", members: ["U0OLIVIA", "U0ALEX"], bot: false },
  { id: "D0OPERAPPR", name: "operator-approver", kind: "im", members: ["U0OPERATOR", "U0APPROVER"], bot: false },
];

/** The local workspace; `changes` lay other people, channels or groups over it. */
export function localWorkspace(changes: Partial<WorkspaceSpec> = {}): WorkspaceSpec {
  return {
    teamId: LOCAL_TEAM_ID,
    people: [...LOCAL_PEOPLE],
    conversations: LOCAL_CONVERSATIONS.map((c) => ({ ...c, members: [...c.members] })),
    usergroups: {},
    scopes: manifestBotScopes(),
    ...changes,
  };
}
