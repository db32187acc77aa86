// The bot scopes manifest.yml asks for, read without a YAML library (yaml is a dev dependency and
// the production image has only manifest.yml itself): the list under oauth_config.scopes.bot.
import fs from "node:fs";
import path from "node:path";
import { projectRoot } from "../project-root";

export function manifestPath(): string {
  return path.join(projectRoot(), "manifest.yml");
}

/** The `- scope` items under `oauth_config:` → `scopes:` → `bot:`; throws when the file or the list is missing. */
export function manifestBotScopes(file = manifestPath()): string[] {
  const lines = fs.readFileSync(file, "utf8").split(/\r?\n/);
  const indentOf = (line: string) => line.length - line.trimStart().length;
  const significant = (line: string) => line.trim() !== "" && !line.trim().startsWith("#");
  let section: "none" | "oauth" | "scopes" | "bot" = "none";
  let botIndent = -1;
  const scopes: string[] = [];
  for (const line of lines) {
    if (!significant(line)) continue;
    const text = line.trim();
    const indent = indentOf(line);
    if (section === "bot") {
      if (indent > botIndent && text.startsWith("- ")) {
        scopes.push(text.slice(2).replace(/\s+#.*$/, "").replace(/^["']|["']$/g, "").trim());
        continue;
      }
      break;
    }
    if (indent === 0) section = text === "oauth_config:" ? "oauth" : "none";
    else if (section === "oauth" && text === "scopes:") section = "scopes";
    else if (section === "scopes" && text === "bot:") {
      section = "bot";
      botIndent = indent;
    }
  }
  if (scopes.length === 0) throw new Error(`no oauth_config.scopes.bot list in ${file}`);
  return scopes;
}
