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

export const OFFBOARD_CHANNEL = { id: "C0OFFBOARD", name: "offboarding" } as const;
export const APPROVAL_CHANNEL = { id: "C0APPROVALS", name: "approvals" } as const;
export const CONSOLE_CHANNELS = [OFFBOARD_CHANNEL, APPROVAL_CHANNEL] as const;

export const BOT_NAME = "Reseller Offboarding";

export function consoleUser(id: string): ConsoleUser | undefined {
  return CONSOLE_USERS.find((user) => user.id === id);
}
