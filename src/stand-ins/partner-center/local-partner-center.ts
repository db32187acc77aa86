// The emulator as the app's stand-in for Partner Center: what the composition root hands to
// connectPartnerCenter when no PARTNER_CENTER_URL is set, so the production client never imports
// the stand-in itself. It serves the Graph stand-in (GDAP relationships) under /graph/v1.0 too.
import type { LocalPartnerCenterStarter } from "../../partner-center/connect-partner-center";
import { createGraphStandIn, graphMount } from "../graph";
import { startEmulator } from "./emulator-server";

export const startLocalPartnerCenter: LocalPartnerCenterStarter = async ({ port, dataDir }) => {
  const graph = createGraphStandIn();
  const emulator = await startEmulator({ port, host: "127.0.0.1", dataDir, mounts: [graphMount(graph)] });
  return {
    url: emulator.url,
    graphUrl: `${emulator.origin}${graph.basePath}`,
    description: `embedded emulator at ${emulator.url} (Graph at ${emulator.origin}${graph.basePath})`,
    close: () => emulator.close(),
  };
};
