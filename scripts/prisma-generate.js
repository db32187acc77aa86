// Generates the Prisma client without letting the CLI download a native engine: the client is
// the engine-less "client" kind, and pointing PRISMA_SCHEMA_ENGINE_BINARY at an existing file
// stops the download attempt this network would refuse.
const { execFileSync } = require("node:child_process");
const path = require("node:path");

const root = path.resolve(__dirname, "..");
execFileSync(process.execPath, [require.resolve("prisma/build/index.js"), "generate"], {
  cwd: root,
  stdio: ["ignore", "ignore", "inherit"],
  env: {
    ...process.env,
    PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY || path.join(root, "package.json"),
    CHECKPOINT_DISABLE: "1",
    PRISMA_HIDE_UPDATE_MESSAGE: "1",
  },
});
