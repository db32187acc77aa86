// The Graph stand-in as other stand-ins mount it: served by the Partner Center emulator's server
// under its base path (/graph/v1.0), answering through the same code as its own route module.
import type { MountedRoutes } from "../partner-center/emulator-server";
import type { GraphStandIn } from "./graph-stand-in";

export { createGraphStandIn } from "./graph-stand-in";
export type { ForcedGraphResponse, GraphRequestRecord, GraphStandIn, GraphStandInOptions, GraphStandInSettings } from "./graph-stand-in";
export type { GdapStandInRelationship } from "./gdap-world";
export { demoRelationshipId, seedDemoGdap } from "./gdap-demo-data";

/** The stand-in as a mount of the emulator's server: `${origin}/graph/v1.0` is Graph's v1.0 root. */
export function graphMount(standIn: GraphStandIn): MountedRoutes {
  return {
    prefix: standIn.basePath.replace(/^\/+/, ""),
    handle: async (request) => {
      const answer = await standIn.answer(request);
      return { status: answer.status, body: answer.body, headers: answer.headers };
    },
  };
}
