// Slack's Web API (with response_url) and Partner Center, stood in for in a process of their own.
// In production both are remote services, so for a latency figure the app's process, and its one
// event loop, must hold only the app (and its embedded database); serving Slack's and Partner
// Center's side of every call on the same thread would count their work as the app's.
import { z } from "zod";
import { IN_MEMORY_DATA_DIR } from "../src/config";
import { createLocalWorld } from "../src/stand-ins/local-world";
import { forkServices } from "./child-services";

export interface RemoteServices {
  /** what points the app at them (a LocalWorld's settings: URLs, secrets) */
  settings: Record<string, string>;
  /** response_urls Slack would hand out, for the given channel and user */
  responseUrls: string[];
  close(): Promise<void>;
}

const servicesRequest = z.object({ channel: z.string(), user: z.string(), responseUrls: z.number().int().min(1) });
type ServicesRequest = z.infer<typeof servicesRequest>;
const servicesReady = z.object({ settings: z.record(z.string(), z.string()), responseUrls: z.array(z.string()) });

/** Starts the stand-ins in a child process; close() stops it. */
export async function startRemoteServices(request: ServicesRequest): Promise<RemoteServices> {
  const services = await forkServices(__filename, request, servicesReady, "remote services");
  return { ...services.ready, close: services.close };
}

async function serve(request: ServicesRequest): Promise<void> {
  const world = await createLocalWorld({ env: { DATA_DIR: IN_MEMORY_DATA_DIR, EMULATOR_PORT: "0" } });
  const ready: z.infer<typeof servicesReady> = {
    settings: world.settings,
    responseUrls: Array.from({ length: request.responseUrls }, () => world.responseUrl(request.channel, request.user)),
  };
  process.send?.(ready);
  // the parent going away (close() or a crash) is the signal to stop
  process.once("disconnect", () => {
    void world.close().then(() => process.exit(0));
  });
}

if (process.argv[2] === "--serve") {
  process.once("message", (message: unknown) => {
    const parsed = servicesRequest.safeParse(message);
    if (!parsed.success) process.exit(2);
    serve(parsed.data).catch((error: unknown) => {
      console.error(error);
      process.exit(1);
    });
  });
}
