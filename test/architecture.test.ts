// Dependencies in src/ point one way (domain <- workflow <- slack; clients and store below the
// workflow; stand-ins only from the entry point), and no module cycle exists among value imports.
// Read from the source text, so a new file is checked without being listed here.
import fs from "node:fs";
import path from "node:path";

const SRC = path.join(__dirname, "..", "src");
const IMPORT = /^\s*(?:import|export)\s+(type\s+)?[^'"]*?from\s+["'](\.[^"']+)["']|^\s*import\s+["'](\.[^"']+)["']/gm;

interface Edge { from: string; to: string; typeOnly: boolean }

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === "generated" || entry.name === "page" ? [] : sourceFiles(full);
    return entry.name.endsWith(".ts") ? [full] : [];
  });
}

function resolve(from: string, spec: string): string | null {
  const base = path.resolve(path.dirname(from), spec);
  for (const candidate of [`${base}.ts`, path.join(base, "index.ts")]) if (fs.existsSync(candidate)) return candidate;
  return null;
}

/** The top-level part of src/ a file belongs to: "domain", "slack", … or "app" for src/app.ts. */
function areaOf(file: string): string {
  const [first = ""] = path.relative(SRC, file).split(path.sep);
  return first.replace(/\.ts$/, "");
}

const edges: Edge[] = sourceFiles(SRC).flatMap((from) => {
  const text = fs.readFileSync(from, "utf8");
  return [...text.matchAll(IMPORT)].flatMap((match) => {
    const to = resolve(from, match[2] ?? match[3] ?? "");
    return to ? [{ from, to, typeOnly: Boolean(match[1]) }] : [];
  });
});

/** For each area, the areas it must not import (type-only imports allowed where `typesOk`). */
const FORBIDDEN: Record<string, { never: string[]; typesOnly?: string[] }> = {
  domain: { never: ["workflow", "slack", "store", "partner-center", "graph", "stand-ins", "app", "main", "config", "metrics", "logger"] },
  workflow: { never: ["slack", "stand-ins", "app", "main"] },
  slack: { never: ["stand-ins", "partner-center", "graph", "app", "main"], typesOnly: ["store"] },
  "partner-center": { never: ["workflow", "slack", "stand-ins", "app", "main"] },
  graph: { never: ["workflow", "slack", "stand-ins", "app", "main"] },
  store: { never: ["workflow", "slack", "stand-ins", "partner-center", "graph", "app", "main"] },
  app: { never: ["stand-ins", "main"] },
};

describe("dependencies in src/", () => {
  it("reads a real import graph", () => {
    // guards the checks below against a regex that silently matches nothing
    expect(edges.length).toBeGreaterThan(100);
    expect(edges.some((e) => areaOf(e.from) === "workflow" && areaOf(e.to) === "domain")).toBe(true);
  });

  it("point one way: no area imports one it must not", () => {
    const violations = edges.filter((edge) => {
      const rule = FORBIDDEN[areaOf(edge.from)];
      const target = areaOf(edge.to);
      if (!rule) return false;
      if (rule.never.includes(target)) return true;
      return Boolean(rule.typesOnly?.includes(target)) && !edge.typeOnly;
    });
    expect(violations.map((v) => `${path.relative(SRC, v.from)} -> ${path.relative(SRC, v.to)}`)).toEqual([]);
  });

  it("form no cycle through value imports", () => {
    const graph = new Map<string, string[]>();
    for (const edge of edges) if (!edge.typeOnly) graph.set(edge.from, [...(graph.get(edge.from) ?? []), edge.to]);
    const state = new Map<string, "open" | "done">();
    const cycles: string[] = [];
    const visit = (file: string, trail: string[]): void => {
      state.set(file, "open");
      for (const next of graph.get(file) ?? []) {
        if (state.get(next) === "open") cycles.push([...trail.slice(trail.indexOf(next)), next].map((f) => path.relative(SRC, f)).join(" -> "));
        else if (!state.has(next)) visit(next, [...trail, next]);
      }
      state.set(file, "done");
    };
    for (const file of graph.keys()) if (!state.has(file)) visit(file, [file]);
    expect(cycles).toEqual([]);
  });
});
