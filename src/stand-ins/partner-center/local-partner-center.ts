// The emulator as the app's stand-in for Partner Center: what the composition root hands to
// connectPartnerCenter when no PARTNER_CENTER_URL is set, so the production client never imports
// the stand-in itself.
import type { LocalPartnerCenterStarter } from "../../partner-center/connect-partner-center";
import { startEmulator } from "./emulator-server";

export const startLocalPartnerCenter: LocalPartnerCenterStarter = async ({ port, dataDir }) => {
  const emulator = await startEmulator({ port, host: "127.0.0.1", dataDir });
  return { url: emulator.url, description: `embedded emulator at ${emulator.url}`, close: () => emulator.close() };
};
