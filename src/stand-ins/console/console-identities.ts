// Who you can be in the local console, and where things happen. Fixed IDs keep screenshots and
// tests stable; roles come from the config the console passes to the app, not from here.
import type { SlackUser } from "../slack/slack-request-signer";

export interface ConsoleUser extends SlackUser {
  realName: string;
  role: "operator" | "approver" | "neither";
  /** shown under the name in the identity switch */
  title: string;
}

export const OLIVIA: ConsoleUser = { id: "U0OLIVIA", name: "olivia", realName: "Olivia Operator", role: "operator", title: "Operator" };
export const ALEX: ConsoleUser = { id: "U0ALEX", name: "alex", realName: "Alex Approver", role: "approver", title: "Approver (and operator)" };
export const NORA: ConsoleUser = { id: "U0NORA", name: "nora", realName: "Nora Neither", role: "neither", title: "Neither operator nor approver" };

export const CONSOLE_USERS: readonly ConsoleUser[] = [OLIVIA, ALEX, NORA];

export interface ConsoleChannelInfo {
  id: string;
  name: string;
  topic: string;
}

export const OFFBOARD_CHANNEL = { id: "C0OFFBOARD", name: "offboarding", topic: "Where operators run /offboard" } as const;
export const APPROVAL_CHANNEL = { id: "C0APPROVALS", name: "approvals", topic: "Private; the app was invited. Where approvers decide on removals" } as const;
/** the stand-in's workspace has these too: a public channel and a private one the app was never invited to */
export const GENERAL_CHANNEL = { id: "C0GENERAL", name: "general", topic: "Public; the app was not invited, yet may post (chat:write.public)" } as const;
export const PRIVATE_CHANNEL = { id: "C0PRIVATE", name: "leadership", topic: "Private; the app was not invited and cannot post here" } as const;
export const CONSOLE_CHANNELS: readonly ConsoleChannelInfo[] = [OFFBOARD_CHANNEL, APPROVAL_CHANNEL, GENERAL_CHANNEL, PRIVATE_CHANNEL];

export const BOT_NAME = "Reseller Offboarding";

export function consoleUser(id: string): ConsoleUser | undefined {
  return CONSOLE_USERS.find((user) => user.id === id);
}
