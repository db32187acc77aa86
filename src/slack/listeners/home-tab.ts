// The App Home: the user's own cases and the requests waiting for their approval.
import type { App } from "@slack/bolt";
import { homeView } from "../blocks/info-messages";
import type { ListenerDeps } from "./listener-deps";

export function registerHomeTab(app: App, deps: ListenerDeps): void {
  const { workflow, queue } = deps;
  app.event("app_home_opened", async ({ event, client }) => {
    if (event.tab !== "home") return;
    await queue.run(async () => client.views.publish({ user_id: event.user, view: homeView(await workflow.homeFor(event.user)) }));
  });
}
