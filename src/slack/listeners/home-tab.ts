// The App Home: the user's own cases and the requests waiting for their approval.
import type { App } from "@slack/bolt";
import { homeView } from "../blocks/info-messages";
import { cleanupCandidateBlocks } from "../blocks/scan-messages";
import { interactionKey } from "../interaction-jobs";
import type { ListenerDeps } from "./listener-deps";

export function registerHomeTab(app: App, deps: ListenerDeps): void {
  const { workflow, interactions, client } = deps;
  interactions.on("home", async ({ userId }) => {
    const [home, candidates] = await Promise.all([workflow.homeFor(userId), workflow.cleanupCandidates(userId, 15)]);
    const view = homeView(home);
    // operators see the last scan's ready customers (a Home tab holds at most 100 blocks)
    if (candidates !== undefined) view.blocks.push(...cleanupCandidateBlocks(candidates).slice(0, Math.max(0, 100 - view.blocks.length)));
    await client.views.publish({ user_id: userId, view });
  });
  // Bolt acknowledges events itself; the job is persisted in the event's turn
  app.event("app_home_opened", async ({ event, body }) => {
    if (event.tab !== "home") return;
    await interactions.accept(interactionKey(body), { type: "home", userId: event.user });
  });
}
