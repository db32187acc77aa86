// The App Home: the user's own cases and the requests waiting for their approval.
import type { App } from "@slack/bolt";
import { homeView } from "../blocks/info-messages";
import { interactionKey } from "../interaction-jobs";
import type { ListenerDeps } from "./listener-deps";

export function registerHomeTab(app: App, deps: ListenerDeps): void {
  const { workflow, interactions, client } = deps;
  interactions.on("home", async ({ userId }) => {
    await client.views.publish({ user_id: userId, view: homeView(await workflow.homeFor(userId)) });
  });
  // Bolt acknowledges events itself; the job is persisted in the event's turn
  app.event("app_home_opened", async ({ event, body }) => {
    if (event.tab !== "home") return;
    await interactions.accept(interactionKey(body), { type: "home", userId: event.user });
  });
}
