// The doctor as `npm run doctor` runs it (its module, in a process of its own), with `env` alone.
import path from "node:path";
import { spawn } from "node:child_process";
import { projectRoot } from "../../src/project-root";
import type { Env } from "../../src/stand-ins/local-world";

export function runDoctorCli(env: Env): Promise<{ code: number | null; stdout: string }> {
  return new Promise((resolve, reject) => {
    const childEnv: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME };
    for (const [key, value] of Object.entries(env)) if (value !== undefined) childEnv[key] = value;
    const child = spawn(process.execPath, ["--import", "tsx", path.join("src", "doctor", "doctor-main.ts")], { cwd: projectRoot(), env: childEnv, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.on("error", reject);
    child.on("exit", (code) => resolve({ code, stdout }));
  });
}
