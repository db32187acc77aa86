// Bolt listeners, one file per kind: parse the request, acknowledge at once, then call a use
// case and render. Nothing here decides what is allowed (the workflow and the domain do) or
// writes the store (the workflow does).
import type { App } from "@slack/bolt";
import { ACTIONS } from "../slack-inputs";
import { registerApprovalButtons } from "./approval-buttons";
import { ButtonDispatcher } from "./button-dispatcher";
import { registerCaseButtons } from "./case-buttons";
import { registerCommand } from "./command-listener";
import { registerHomeTab } from "./home-tab";
import type { ListenerDeps } from "./listener-deps";
import { registerRejectModal } from "./reject-modal";

export type { ListenerDeps } from "./listener-deps";

export function registerListeners(app: App, deps: ListenerDeps): void {
  const buttons = new ButtonDispatcher(deps.interactions, deps.client, deps.logger);
  registerCommand(app, buttons, deps);
  registerCaseButtons(buttons, deps);
  registerApprovalButtons(buttons, deps);
  buttons.install(app);
  // ticking the GDAP box only changes what the next Approve press sends: acknowledged, nothing more
  app.action(ACTIONS.endGdapChoice, async ({ ack }) => {
    await ack();
  });
  registerRejectModal(app, deps);
  registerHomeTab(app, deps);
}
