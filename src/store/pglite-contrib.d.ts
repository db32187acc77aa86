// PGlite publishes its extensions under package "exports" ("./contrib/*"), which the project's
// node10 module resolution does not read; this names the one we load for the type checker.
declare module "@electric-sql/pglite/contrib/pg_trgm" {
  export { pg_trgm } from "@electric-sql/pglite/dist/contrib/pg_trgm";
}
