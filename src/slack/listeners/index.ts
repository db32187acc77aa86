// Bolt listeners, one file per kind: parse the request, acknowledge at once, then call a use
// case and render. Nothing here decides what is allowed (the workflow and the domain do) or
// writes the store (the workflow does); the listeners only gather facts the policy needs.
import type { AnyMiddlewareArgs, App, Middleware } from "@slack/bolt";
import { z } from "zod";
import { ACTIONS } from "../slack-inputs";
import { registerApprovalButtons } from "./approval-buttons";
import { registerBatchButtons, registerBatchModals } from "./batch-listeners";
import { ButtonDispatcher } from "./button-dispatcher";
import { registerCaseButtons } from "./case-buttons";
import { registerCommand } from "./command-listener";
import { registerHomeTab } from "./home-tab";
import type { ListenerDeps } from "./listener-deps";
import { registerModalSubmissions } from "./modal-submissions";

export type { ListenerDeps } from "./listener-deps";

const whoAsked = z.union([
  // interactions name the user and the workspace they belong to
  z.object({ user: z.object({ id: z.string(), team_id: z.string().optional() }) }).transform((b) => ({ userId: b.user.id, teamId: b.user.team_id })),
  // slash commands name the user and the workspace they typed in
  z.object({ user_id: z.string(), team_id: z.string().optional() }).transform((b) => ({ userId: b.user_id, teamId: b.team_id })),
]);

/**
 * Notes, for every signed request, which workspace the person acted from: a fact for the access
 * policy. (The job made for the request carries it too, for whichever instance works it.)
 */
function noteWhoAsked(deps: ListenerDeps): Middleware<AnyMiddlewareArgs> {
  return async ({ body, next }) => {
    const asked = whoAsked.safeParse(body);
    if (asked.success) deps.people.noteRequest(asked.data.userId, asked.data.teamId);
    await next();
  };
}

export function registerListeners(app: App, deps: ListenerDeps): void {
  app.use(noteWhoAsked(deps));
  const buttons = new ButtonDispatcher(deps.interactions, deps.client, deps.logger);
  registerCommand(app, buttons, deps);
  registerCaseButtons(buttons, deps);
  registerApprovalButtons(buttons, deps);
  registerHomeTab(app, buttons, deps);
  registerBatchButtons(buttons, deps);
  buttons.install(app);
  // ticking the GDAP box only changes what the next Approve press sends: acknowledged, nothing more
  app.action(new RegExp(`^${ACTIONS.endGdapChoice}(?:\\.\\d{1,3})?$`), async ({ ack }) => {
    await ack();
  });
  registerModalSubmissions(app, deps);
  registerBatchModals(app, deps);
}
