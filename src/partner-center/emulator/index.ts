export { startEmulator, removalBlockers, REMOVAL_BLOCKED_CODE, ETAG_MISMATCH_CODE } from "./emulator-server";
export type { EmulatorHandle, EmulatorOptions, EmulatorSettings, EmulatorStats, ForcedResponse, RecordedRequest } from "./emulator-server";
export { DEMO_TENANTS, DEMO_PARTNER_ID, seedDemoPartner, stableGuid } from "./demo-partner";
export type { DemoTenant } from "./demo-partner";
export type { EmulatorState } from "./emulator-state";
