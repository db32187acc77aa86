// The App Home: the user's own cases and the requests waiting for their approval. Opening it is a
// durable job like any request; it is published then, and again after every case change
// (home-publisher.ts).
import type { App } from "@slack/bolt";
import { interactionKey } from "../interaction-jobs";
import type { ListenerDeps } from "./listener-deps";

export function registerHomeTab(app: App, deps: ListenerDeps): void {
  const { home, interactions } = deps;
  interactions.on("home", async ({ userId }) => home.opened(userId));
  // Bolt acknowledges events itself; the job is persisted in the event's turn
  app.event("app_home_opened", async ({ event, body }) => {
    if (event.tab !== "home") return;
    await interactions.accept(interactionKey(body), { type: "home", userId: event.user, teamId: body.team_id });
  });
}
