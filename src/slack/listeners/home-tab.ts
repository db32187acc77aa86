// The App Home: the user's own cases and the requests waiting for their approval, and for admins
// the set-up checks. Opening it is a durable job like any request; it is published then, and
// again after every case change and every run of the checks (home-publisher.ts).
import type { App } from "@slack/bolt";
import { interactionKey } from "../interaction-jobs";
import { ACTIONS, emptyValue } from "../slack-inputs";
import type { ButtonDispatcher } from "./button-dispatcher";
import type { ListenerDeps } from "./listener-deps";
import { report } from "./replies";

export function registerHomeTab(app: App, buttons: ButtonDispatcher, deps: ListenerDeps): void {
  const { home, interactions, workflow } = deps;
  interactions.on("home", async ({ userId }) => home.opened(userId));
  // run in this press's job, bounded (check-cache.ts); who may is the workflow's to say, and a
  // refusal is told by direct message (a Home press has no response_url)
  buttons.on(ACTIONS.rerunSetupChecks, emptyValue, async ({ userId, respond }) => {
    if ((await report(respond, await workflow.rerunSetupChecks(userId))) === null) return;
    await home.opened(userId);
  });
  // Bolt acknowledges events itself; the job is persisted in the event's turn
  app.event("app_home_opened", async ({ event, body }) => {
    if (event.tab !== "home") return;
    await interactions.accept(interactionKey(body), { type: "home", userId: event.user, teamId: body.team_id });
  });
}
