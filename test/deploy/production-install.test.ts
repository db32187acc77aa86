// The production start works from a production install, the way the Dockerfile's runtime stage
// makes one: a clean copy of the repository is built (`npm run build`), the runtime stage's COPY
// lines and its `npm ci` are carried out in an empty folder, and its CMD is started there. It must
// answer /readyz on its embedded defaults and pass the image's HEALTHCHECK command.
// Slow (a build and an install from the local npm cache): about a minute on the 2-core machine.
import { type ChildProcess, execFile, spawn } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { ROOT, copies, execForm, instructions, readDockerfile, runCommands, stageNamed } from "./dockerfile";

const run = promisify(execFile);
jest.setTimeout(240_000);

/** The environment of a fresh shell: none of jest's NODE_OPTIONS nor the npm_* of `npm run jest`. */
function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (name === "NODE_OPTIONS" || name.toLowerCase().startsWith("npm_")) continue;
    env[name] = value;
  }
  return { ...env, ...extra };
}

async function sh(command: string, cwd: string, env: NodeJS.ProcessEnv = cleanEnv()): Promise<void> {
  try {
    await run("sh", ["-c", command], { cwd, env, maxBuffer: 16 * 1024 * 1024 });
  } catch (error) {
    const failed = error as { stdout?: string; stderr?: string; message: string };
    throw new Error(`\`${command}\` failed in ${cwd}:\n${failed.stderr ?? ""}\n${failed.stdout ?? ""}`);
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}

/** The files a `docker build` context would hold: tracked and untracked files that git does not ignore. */
async function cleanCopy(target: string): Promise<void> {
  const { stdout } = await run("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"], { cwd: ROOT, maxBuffer: 16 * 1024 * 1024 });
  for (const file of stdout.split("\0").filter(Boolean)) {
    if (!fs.existsSync(path.join(ROOT, file))) continue; // deleted in the work tree, not yet committed
    fs.mkdirSync(path.dirname(path.join(target, file)), { recursive: true });
    fs.copyFileSync(path.join(ROOT, file), path.join(target, file));
  }
}

describe("production install", () => {
  const stages = readDockerfile();
  const runtime = stageNamed(stages, "runtime");
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "offboarding-prod-"));
  const buildDir = path.join(work, "build");
  const appDir = path.join(work, "app");
  const dataDir = path.join(work, "data");
  let child: ChildProcess | undefined;

  afterAll(async () => {
    if (child && child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child?.once("exit", resolve));
      child.kill("SIGKILL");
      await exited;
    }
    fs.rmSync(work, { recursive: true, force: true });
  });

  it("builds in a clean copy, installs production dependencies only, starts and answers /readyz", async () => {
    // build stage: the repository's own node_modules stands in for its `npm ci` (same lock file)
    fs.mkdirSync(buildDir, { recursive: true });
    await cleanCopy(buildDir);
    fs.symlinkSync(path.join(ROOT, "node_modules"), path.join(buildDir, "node_modules"), "dir");
    expect(fs.existsSync(path.join(buildDir, "src", "store", "generated"))).toBe(false);
    await sh("npm run build --silent", buildDir);

    // runtime stage, in its order: the lock files, npm ci, then what it takes from the build
    fs.mkdirSync(appDir, { recursive: true });
    for (const copy of copies(runtime).filter((c) => c.from === undefined)) {
      for (const source of copy.sources) fs.copyFileSync(path.join(ROOT, source), path.join(appDir, path.basename(source)));
    }
    const install = runCommands(runtime).find((command) => command.startsWith("npm ci"));
    expect(install).toBeDefined();
    await sh(install ?? "", appDir, cleanEnv({ npm_config_prefer_offline: "true" }));
    expect(fs.existsSync(path.join(appDir, "node_modules", "@prisma", "client"))).toBe(true);
    for (const devOnly of ["jest", "ts-jest", "eslint", "tsx"]) expect(fs.existsSync(path.join(appDir, "node_modules", devOnly))).toBe(false);
    for (const copy of copies(runtime).filter((c) => c.from === "build")) {
      for (const source of copy.sources) {
        const from = path.join(buildDir, source.replace(/^\/app\//, ""));
        expect(fs.existsSync(from) ? source : `missing from the build: ${source}`).toBe(source);
        fs.cpSync(from, path.join(appDir, copy.destination), { recursive: true });
      }
    }
    expect(fs.existsSync(path.join(appDir, "src", "store"))).toBe(false);

    const port = await freePort();
    const env = cleanEnv({ DATA_DIR: dataDir, PORT: String(port), EMULATOR_PORT: "0", LOG_LEVEL: "warn" });
    for (const name of Object.keys(env)) if (/^(SLACK_|DATABASE_|PARTNER_CENTER_|AZURE_)/.test(name)) delete env[name];
    const [command, ...args] = execForm(instructions(runtime, "CMD")[0]?.args ?? "");
    let output = "";
    const started = spawn(command ?? "node", args, { cwd: appDir, env, stdio: ["ignore", "pipe", "pipe"] });
    child = started;
    started.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString("utf8")));
    started.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString("utf8")));
    const exit = new Promise<number | null>((resolve) => started.once("exit", (code) => resolve(code)));

    // wait for readiness (not a timed assertion: a slow machine only waits longer)
    const base = `http://127.0.0.1:${port}`;
    let ready: { status: number; body: string } | undefined;
    for (let attempt = 0; attempt < 240 && started.exitCode === null; attempt++) {
      ready = await fetch(`${base}/readyz`).then(async (response) => ({ status: response.status, body: await response.text() }), () => undefined);
      if (ready?.status === 200) break;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    expect({ status: ready?.status, output: ready?.status === 200 ? "" : output }).toEqual({ status: 200, output: "" });
    expect(JSON.parse(ready?.body ?? "{}")).toEqual({ status: "ready", checks: { accepting: true, database: true, partnerCenter: true, approvalChannel: true }, problems: [], warnings: [] });
    // the local console's page shipped with the image
    expect((await fetch(`${base}/`)).status).toBe(200);

    // the image's HEALTHCHECK command, as Docker would run it inside the container
    const [healthCommand, ...healthArgs] = execForm(instructions(runtime, "HEALTHCHECK")[0]?.args ?? "");
    await expect(run(healthCommand ?? "", healthArgs, { cwd: appDir, env })).resolves.toBeDefined();

    // npm run doctor's module runs from the production install too (the image: `node dist/src/doctor/doctor-main.js`);
    // with no Slack credentials it says so and fails
    const doctor = await run(process.execPath, ["dist/src/doctor/doctor-main.js"], { cwd: appDir, env }).then(
      (done) => ({ code: 0, stdout: done.stdout }),
      (error: { code?: number; stdout?: string }) => ({ code: error.code, stdout: error.stdout ?? "" }),
    );
    expect(doctor.stdout).toContain("✔ Environment: parses");
    expect(doctor.stdout).toContain("✘ Slack: not configured");
    expect(doctor.code).toBe(1);

    started.kill("SIGTERM");
    expect(await exit).toBe(0);
  });

  it("postinstall steps aside without the prisma CLI; generate itself still insists on it", async () => {
    const bare = path.join(work, "bare");
    fs.mkdirSync(path.join(bare, "scripts"), { recursive: true });
    fs.copyFileSync(path.join(ROOT, "scripts", "prisma-generate.js"), path.join(bare, "scripts", "prisma-generate.js"));
    const script = path.join(bare, "scripts", "prisma-generate.js");
    const asPostinstall = await run(process.execPath, [script], { cwd: bare, env: cleanEnv({ npm_lifecycle_event: "postinstall" }) });
    expect(asPostinstall.stderr).toContain("prisma generate skipped");
    await expect(run(process.execPath, [script], { cwd: bare, env: cleanEnv() })).rejects.toMatchObject({ code: 1, stderr: expect.stringContaining("needs the prisma CLI") });
  });
});
