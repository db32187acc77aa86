// The container definitions agree with the code: the Dockerfile's stages, the flags and health
// route it uses, and compose.yaml's variables (a misspelt one would be silently ignored by the app).
import fs from "node:fs";
import path from "node:path";
import { parse } from "yaml";
import { configSchema } from "../../src/config";
import { ROOT, copies, execForm, instructions, readDockerfile, runCommands, stageNamed } from "./dockerfile";

const packageJson = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as { config: { nodeFlags: string; mallocEnv: string } };

describe("Dockerfile", () => {
  const stages = readDockerfile();
  const build = stageNamed(stages, "build");
  const runtime = stageNamed(stages, "runtime");

  it("builds and runs on Node 20 slim, the runtime stage last so it is the image", () => {
    expect(build.image).toBe("node:20-slim");
    expect(runtime.image).toBe("node:20-slim");
    expect(stages[stages.length - 1]).toBe(runtime);
  });

  it("builds with the dev toolchain: npm ci, then npm run build (prisma generate + tsc)", () => {
    const commands = runCommands(build);
    expect(commands.some((command) => /^npm ci\b/.test(command) && !command.includes("--omit=dev"))).toBe(true);
    expect(commands).toContain("npm run build");
    // every file the build stage copies from the context exists in the repository
    for (const copy of copies(build)) {
      for (const source of copy.sources) expect(fs.existsSync(path.join(ROOT, source))).toBe(true);
    }
  });

  it("installs production dependencies only, without install scripts, in the runtime stage", () => {
    const install = runCommands(runtime).filter((command) => command.startsWith("npm ci"));
    expect(install).toHaveLength(1);
    expect(install[0]).toContain("--omit=dev");
    expect(install[0]).toContain("--ignore-scripts");
    // the runtime stage takes nothing from the build context except the lock files
    for (const copy of copies(runtime)) {
      if (copy.from === undefined) expect(copy.sources.sort()).toEqual(["package-lock.json", "package.json"]);
      else expect(copy.from).toBe("build");
    }
  });

  it("runs as a non-root user", () => {
    const users = instructions(runtime, "USER").map((instruction) => instruction.args);
    expect(users.length).toBeGreaterThan(0);
    expect(["root", "0"]).not.toContain(users[users.length - 1]);
  });

  it("starts with node and package.json's config.nodeFlags, as npm start does after its build", () => {
    const cmd = instructions(runtime, "CMD");
    expect(cmd).toHaveLength(1);
    expect(execForm(cmd[0]?.args ?? "")).toEqual(["node", ...packageJson.config.nodeFlags.split(/\s+/), "dist/src/main.js"]);
    expect(packageJson.config.nodeFlags.trim()).not.toBe("");
  });

  it("sets package.json's config.mallocEnv in the runtime stage, as npm start does", () => {
    const env = instructions(runtime, "ENV")
      .map((instruction) => instruction.args)
      .join(" ");
    const wanted = packageJson.config.mallocEnv.split(/\s+/).filter(Boolean);
    expect(wanted.length).toBeGreaterThan(0);
    for (const pair of wanted) expect(env.split(/\s+/)).toContain(pair);
  });

  it("checks health with node (slim has no curl) on /healthz", () => {
    const healthcheck = instructions(runtime, "HEALTHCHECK");
    expect(healthcheck).toHaveLength(1);
    const command = execForm(healthcheck[0]?.args ?? "");
    expect(command[0]).toBe("node");
    expect(command.join(" ")).toContain("/healthz");
  });

  it(".dockerignore keeps local state, secrets and built output out of the build context", () => {
    const ignored = fs.readFileSync(path.join(ROOT, ".dockerignore"), "utf8").split("\n").map((line) => line.trim());
    for (const entry of ["node_modules", "dist", "data", ".env", ".git", "src/store/generated"]) expect(ignored).toContain(entry);
  });
});

describe("compose.yaml", () => {
  interface Service {
    image?: string;
    build?: unknown;
    environment?: Record<string, string>;
    depends_on?: Record<string, { condition: string }>;
    healthcheck?: { test: string[] };
    volumes?: string[];
  }
  const compose = parse(fs.readFileSync(path.join(ROOT, "compose.yaml"), "utf8")) as { services: Record<string, Service>; volumes: Record<string, unknown> };
  const app = compose.services.app;
  const db = compose.services.db;

  it("runs the app's image after PostgreSQL 16 is healthy", () => {
    expect(app?.build).toBe(".");
    expect(db?.image).toBe("postgres:16");
    expect(app?.depends_on?.db?.condition).toBe("service_healthy");
    expect(db?.healthcheck?.test.join(" ")).toContain("pg_isready");
  });

  it("points the app at that database and keeps its data in a named volume", () => {
    expect(app?.environment?.DATABASE_URL).toMatch(/^postgresql:\/\/offboarding:.*@db:5432\/offboarding$/);
    const pgVolume = (db?.volumes ?? []).find((volume) => volume.endsWith(":/var/lib/postgresql/data"));
    expect(pgVolume).toBeDefined();
    expect(Object.keys(compose.volumes)).toContain(pgVolume?.split(":")[0]);
  });

  it("passes only variables the app reads", () => {
    const known = Object.keys(configSchema.shape);
    const unknown = Object.keys(app?.environment ?? {}).filter((name) => !known.includes(name));
    expect(unknown).toEqual([]);
  });
});

describe("docs/deploy.md", () => {
  const guide = fs.readFileSync(path.join(ROOT, "docs", "deploy.md"), "utf8");

  it("names only variables the app reads (and compose's database password)", () => {
    const named = new Set(guide.match(/\b[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+\b/g) ?? []);
    const known = new Set([...Object.keys(configSchema.shape), "POSTGRES_PASSWORD"]);
    expect([...named].filter((name) => !known.has(name))).toEqual([]);
  });

  it("lists every bot scope manifest.yml asks for", () => {
    const manifest = parse(fs.readFileSync(path.join(ROOT, "manifest.yml"), "utf8")) as { oauth_config: { scopes: { bot: string[] } } };
    for (const scope of manifest.oauth_config.scopes.bot) expect(guide).toContain(`\`${scope}\``);
  });

  it("is linked from the README", () => {
    expect(fs.readFileSync(path.join(ROOT, "README.md"), "utf8")).toContain("(docs/deploy.md)");
  });
});
