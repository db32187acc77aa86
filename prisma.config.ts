// Prisma CLI configuration: the Wasm schema engine through a driver adapter, so no native
// engine is downloaded. With DATABASE_URL unset, the CLI works on the embedded PGlite database.
// The app applies migrations itself at start; the CLI is for writing new ones.
import path from "node:path";
import { defineConfig } from "prisma/config";
import { cliAdapterFactory } from "./src/store/database-adapter";

export default defineConfig({
  experimental: { adapter: true },
  engine: "js",
  schema: path.join("prisma", "schema.prisma"),
  migrations: { path: path.join("prisma", "migrations") },
  adapter: async () => cliAdapterFactory({ databaseUrl: process.env.DATABASE_URL, dataDir: process.env.DATA_DIR ?? "./data" }),
});
