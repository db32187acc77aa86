// Microsoft Graph, when the app ends GDAP relationships: one read of the delegated admin
// relationships through the app's own client and credentials.
import type { Config } from "../config";
import { connectGraph } from "../graph/connect-graph";
import { type CheckResult, failed, ok, reason, skipped, within } from "./doctor-check";

const NAME = "Microsoft Graph (GDAP): GET /tenantRelationships/delegatedAdminRelationships?$top=1";
const FIX =
  "grant the Entra ID app the application permission DelegatedAdminRelationship.ReadWrite.All with admin consent, check AZURE_TENANT_ID / AZURE_CLIENT_ID / AZURE_CLIENT_SECRET and GRAPH_URL (https://graph.microsoft.com/v1.0); or set GRAPH_DISABLED=true if GDAP is managed elsewhere";

export async function graphChecks(config: Config, timeoutMs: number): Promise<CheckResult[]> {
  if (config.GRAPH_DISABLED) return [skipped("Microsoft Graph (GDAP)", "GRAPH_DISABLED=true: the app leaves GDAP relationships alone")];
  if (!config.GRAPH_URL) return [skipped("Microsoft Graph (GDAP)", "GRAPH_URL is unset: the app uses the Graph stand-in that comes with its built-in emulator")];
  let connection: ReturnType<typeof connectGraph>;
  try {
    connection = connectGraph(config);
  } catch (error) {
    return [failed("Microsoft Graph (GDAP): credentials", reason(error), FIX)];
  }
  try {
    if (!connection.api) return [skipped("Microsoft Graph (GDAP)", connection.description)];
    await within(timeoutMs, connection.api.ping());
    return [ok(NAME, "answers")];
  } catch (error) {
    return [failed(NAME, reason(error), FIX)];
  } finally {
    await connection.close().catch(() => undefined);
  }
}
