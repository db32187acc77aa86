// Reads the repository's Dockerfile into stages and instructions, so tests can check it and carry
// out its runtime stage here (no container daemon on this machine).
import fs from "node:fs";
import path from "node:path";

export const ROOT = path.resolve(__dirname, "..", "..");

export interface Instruction {
  keyword: string;
  /** the text after the keyword, continuation lines joined */
  args: string;
}

export interface Stage {
  image: string;
  name: string | undefined;
  instructions: Instruction[];
}

export function readDockerfile(file = path.join(ROOT, "Dockerfile")): Stage[] {
  const logical: string[] = [];
  let pending = "";
  for (const line of fs.readFileSync(file, "utf8").split("\n")) {
    const trimmed = line.trim();
    if (!pending && (trimmed === "" || trimmed.startsWith("#"))) continue;
    if (pending && trimmed.startsWith("#")) continue;
    if (trimmed.endsWith("\\")) {
      pending += trimmed.slice(0, -1) + " ";
      continue;
    }
    logical.push((pending + trimmed).trim());
    pending = "";
  }
  const stages: Stage[] = [];
  for (const line of logical) {
    const match = /^(\S+)\s+(.*)$/s.exec(line);
    if (!match?.[1] || match[2] === undefined) throw new Error(`unreadable Dockerfile line: ${line}`);
    const keyword = match[1].toUpperCase();
    const args = match[2].trim();
    if (keyword === "FROM") {
      const from = /^(\S+)(?:\s+AS\s+(\S+))?$/i.exec(args);
      if (!from?.[1]) throw new Error(`unreadable FROM: ${line}`);
      stages.push({ image: from[1], name: from[2], instructions: [] });
      continue;
    }
    const current = stages[stages.length - 1];
    if (!current) throw new Error(`instruction before FROM: ${line}`);
    current.instructions.push({ keyword, args });
  }
  return stages;
}

export function stageNamed(stages: Stage[], name: string): Stage {
  const stage = stages.find((candidate) => candidate.name === name);
  if (!stage) throw new Error(`the Dockerfile has no stage named ${name}`);
  return stage;
}

export function instructions(stage: Stage, keyword: string): Instruction[] {
  return stage.instructions.filter((instruction) => instruction.keyword === keyword);
}

export interface CopyInstruction {
  from: string | undefined;
  sources: string[];
  destination: string;
}

export function copies(stage: Stage): CopyInstruction[] {
  return instructions(stage, "COPY").map(({ args }) => {
    const words = args.split(/\s+/);
    const flags = words.filter((word) => word.startsWith("--"));
    const paths = words.filter((word) => !word.startsWith("--"));
    const destination = paths.pop();
    if (!destination || paths.length === 0) throw new Error(`unreadable COPY: ${args}`);
    const from = flags.find((flag) => flag.startsWith("--from="))?.slice("--from=".length);
    return { from, sources: paths, destination };
  });
}

/** The exec-form argument list of a CMD (or of HEALTHCHECK's CMD, options skipped). */
export function execForm(args: string): string[] {
  const start = args.indexOf("[");
  if (start < 0) throw new Error(`not in exec form (a JSON array): ${args}`);
  const parsed: unknown = JSON.parse(args.slice(start));
  if (!Array.isArray(parsed) || !parsed.every((word) => typeof word === "string")) throw new Error(`not a JSON array of strings: ${args}`);
  return parsed;
}

/** The commands of a stage's RUN instructions, split at `&&`. */
export function runCommands(stage: Stage): string[] {
  return instructions(stage, "RUN").flatMap(({ args }) => args.split("&&").map((command) => command.trim()));
}
