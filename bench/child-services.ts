// Stand-ins served from a child process of their own (the benches' remote services): the child is
// forked with Node's defaults (it is not the app), sent what it should serve, and answers once it
// is ready; it stops when the parent disconnects. The parent's side of that handshake, once.
import { type ChildProcess, type Serializable, fork } from "node:child_process";
import type { z } from "zod";

export interface ChildServices<T> {
  child: ChildProcess;
  ready: T;
  close(): Promise<void>;
}

/** Forks `file --serve`, sends `request`, and resolves with its first message once it parses as `ready`. */
export async function forkServices<T>(file: string, request: Serializable, ready: z.ZodType<T>, what: string): Promise<ChildServices<T>> {
  const child = fork(file, ["--serve"], { execArgv: [], stdio: ["ignore", "inherit", "inherit", "ipc"] });
  const answer = await new Promise<T>((resolve, reject) => {
    child.once("message", (message: unknown) => {
      const parsed = ready.safeParse(message);
      if (parsed.success) resolve(parsed.data);
      else reject(new Error(`the ${what} sent an unexpected message`));
    });
    child.once("exit", (code) => reject(new Error(`the ${what} exited with ${code ?? "a signal"}`)));
    child.send(request);
  });
  return {
    child,
    ready: answer,
    close: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.disconnect();
      }),
  };
}
