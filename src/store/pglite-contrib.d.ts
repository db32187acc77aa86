// The package exposes its contrib extensions only through "exports", which moduleResolution node10
// does not read; this names the one the store loads (the runtime require resolves normally).
declare module "@electric-sql/pglite/contrib/pg_trgm" {
  import type { Extension } from "@electric-sql/pglite";
  export const pg_trgm: Extension;
}
