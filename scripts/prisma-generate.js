// Generates the Prisma client without letting the CLI download a native engine: the client is
// the engine-less "client" kind, and pointing PRISMA_SCHEMA_ENGINE_BINARY at an existing file
// stops the download attempt this network would refuse.
//
// The generated client is TypeScript under src/, so `npm run build` compiles it into dist and a
// production install needs no generate step. When this runs as postinstall of a production
// install without the CLI (a devDependency), it says so and steps aside; `npm run generate` and
// `npm run build` still fail without it.
const { execFileSync } = require("node:child_process");
const path = require("node:path");

const root = path.resolve(__dirname, "..");
let cli;
try {
  cli = require.resolve("prisma/build/index.js", { paths: [root] });
} catch {
  if (process.env.npm_lifecycle_event === "postinstall") {
    process.stderr.write("prisma generate skipped: the prisma CLI is not installed (a production install); the built dist/ already holds the client\n");
    process.exit(0);
  }
  process.stderr.write("prisma generate needs the prisma CLI, a devDependency: run `npm ci` (without --omit=dev) first\n");
  process.exit(1);
}
execFileSync(process.execPath, [cli, "generate"], {
  cwd: root,
  stdio: ["ignore", "ignore", "inherit"],
  env: {
    ...process.env,
    PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY || path.join(root, "package.json"),
    CHECKPOINT_DISABLE: "1",
    PRISMA_HIDE_UPDATE_MESSAGE: "1",
  },
});
