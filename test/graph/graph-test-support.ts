// Serves route modules (the Graph stand-in) on a loopback port, and a Graph client tuned for
// quick tests against it.
import http from "node:http";
import type { AddressInfo } from "node:net";
import type { TokenProvider } from "../../src/partner-center/auth";
import { GraphGdapClient, type GdapClientOptions } from "../../src/graph/gdap-client";
import type { RouteModule } from "../../src/stand-ins/graph/graph-stand-in";
import { quickClientSettings } from "../partner-center/partner-center-test-support";

export interface ServedRoutes {
  origin: string;
  close(): Promise<void>;
}

/** Each request goes to the first route that takes it; none taking it is a 404. */
export async function serveRoutes(...routes: RouteModule[]): Promise<ServedRoutes> {
  const server = http.createServer((req, res) => {
    void (async () => {
      for (const route of routes) if (await route(req, res)) return;
      res.writeHead(404).end();
    })().catch(() => {
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

export function quickGraphClient(baseUrl: string, overrides: Partial<GdapClientOptions> & { tokens?: TokenProvider } = {}): GraphGdapClient {
  return new GraphGdapClient({ baseUrl, ...quickClientSettings(), maxConcurrent: 8, poll: { intervalMs: 25, maxWaitMs: 2_000 }, ...overrides });
}
