// Reads the request and response examples of Microsoft's Partner Center documentation
// (../shared/partner-center/documented/*.http). The examples are the documentation's own, slips
// included: besides value typos that a client must cope with (a date written
// "2015-11-25T06: 41: 12Z"), some bodies are not valid JSON (a missing comma, a trailing comma,
// typographic quotes, "..." for more items, a missing brace). The real service never sends
// those, so they are repaired here, each repair named, and the repaired body is what the
// client's schemas must read.
import fs from "node:fs";
import path from "node:path";
import { projectRoot } from "../../src/project-root";

export const DOCUMENTED = path.resolve(projectRoot(), "../shared/partner-center/documented");

export interface DocumentedExample {
  file: string;
  /** 1-based, as the documentation numbers them */
  index: number;
  kind: "request" | "response" | "body";
  /** request: "GET /v1/customers/…"; response: the status code */
  method?: string;
  path?: string;
  query?: URLSearchParams;
  status?: number;
  headers: Record<string, string>;
  /** the body text as written, or "" */
  bodyText: string;
}

export function readExamples(file: string): DocumentedExample[] {
  const text = fs.readFileSync(path.join(DOCUMENTED, file), "utf8").replace(/\r\n/g, "\n");
  const parts = text.split(/^### source: .*example (\d+) of \d+\s*$/m);
  const examples: DocumentedExample[] = [];
  for (let i = 1; i < parts.length; i += 2) {
    examples.push(parseExample(file, Number(parts[i]), parts[i + 1] ?? ""));
  }
  return examples;
}

function parseExample(file: string, index: number, raw: string): DocumentedExample {
  const lines = raw.trim().split("\n");
  const first = lines[0]?.trim() ?? "";
  const request = /^(?:Http\s+)?(GET|PATCH|POST|PUT|DELETE)\b[^h]*?(https?:\/\/\S+)/i.exec(first);
  const response = /^HTTP\/1\.1\s+(\d{3})/.exec(first);
  if (!request && !response) return { file, index, kind: "body", headers: {}, bodyText: raw.trim() };
  const headers: Record<string, string> = {};
  let at = 1;
  for (; at < lines.length; at++) {
    const line = lines[at]?.trim() ?? "";
    if (line.startsWith("{") || line.startsWith("[")) break;
    const header = /^([A-Za-z-]+):\s*(.*)$/.exec(line);
    if (header?.[1]) headers[header[1].toLowerCase()] = header[2]?.trim() ?? "";
  }
  const bodyText = lines.slice(at).join("\n").trim();
  if (response) return { file, index, kind: "response", status: Number(response[1]), headers, bodyText };
  const url = new URL(request?.[2] ?? "");
  return { file, index, kind: "request", method: request?.[1]?.toUpperCase(), path: decodeURIComponent(url.pathname), query: url.searchParams, headers, bodyText };
}

type Token = { type: "punct"; value: string } | { type: "string"; value: string } | { type: "literal"; value: unknown };

/** Parses JSON, repairing the documentation's slips; says which repairs it made. */
export function parseDocumentedJson(text: string): { value: unknown; repairs: string[] } {
  const repairs = new Set<string>();
  let source = text;
  if (/[“”]/.test(source)) {
    repairs.add("typographic quotes");
    source = source.replace(/[“”]/g, '"');
  }
  const tokens = tokenise(source, repairs);
  let at = 0;
  const peek = () => tokens[at];
  const isPunct = (t: Token | undefined, value: string) => t?.type === "punct" && t.value === value;

  function value(): unknown {
    const token = tokens[at++];
    if (!token) throw new Error("unexpected end of the example");
    if (token.type === "string" || token.type === "literal") return token.value;
    if (token.value === "{") return object();
    if (token.value === "[") return array();
    throw new Error(`unexpected "${token.value}"`);
  }

  function object(): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (;;) {
      while (isPunct(peek(), ",")) at++;
      const next = peek();
      if (isPunct(next, "}")) {
        at++;
        return out;
      }
      if (isPunct(next, "]") || !next) {
        repairs.add("missing closing brace");
        return out;
      }
      const key = tokens[at++];
      if (key?.type !== "string") throw new Error(`expected a key, found ${JSON.stringify(key)}`);
      if (!isPunct(tokens[at++], ":")) throw new Error(`expected ":" after "${key.value}"`);
      out[key.value] = value();
      const after = peek();
      if (isPunct(after, ",")) {
        at++;
        if (isPunct(peek(), "}")) repairs.add("trailing comma");
      } else if (after?.type === "string") repairs.add("missing comma");
    }
  }

  function array(): unknown[] {
    const out: unknown[] = [];
    for (;;) {
      while (isPunct(peek(), ",")) at++;
      if (isPunct(peek(), "]")) {
        at++;
        return out;
      }
      if (!peek()) throw new Error("unterminated array");
      out.push(value());
      if (isPunct(peek(), ",")) {
        at++;
        if (isPunct(peek(), "]")) repairs.add("trailing comma");
      }
    }
  }

  const result = value();
  return { value: result, repairs: [...repairs] };
}

function tokenise(source: string, repairs: Set<string>): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < source.length) {
    const c = source.charAt(i);
    if (/\s/.test(c)) {
      i++;
    } else if ("{}[],:".includes(c)) {
      tokens.push({ type: "punct", value: c });
      i++;
    } else if (c === '"') {
      let j = i + 1;
      let raw = "";
      while (j < source.length && source.charAt(j) !== '"') {
        raw += source.charAt(j) === "\\" ? source.slice(j, j + 2) : source.charAt(j);
        j += source.charAt(j) === "\\" ? 2 : 1;
      }
      tokens.push({ type: "string", value: JSON.parse(`"${raw}"`) as string });
      i = j + 1;
    } else if (source.startsWith("...", i) || c === "…") {
      repairs.add('"..." for more items');
      i += c === "…" ? 1 : 3;
    } else {
      const word = /^[^\s{}[\],:"]+/.exec(source.slice(i))?.[0] ?? c;
      i += word.length;
      if (word === "true" || word === "false" || word === "null") tokens.push({ type: "literal", value: JSON.parse(word) as unknown });
      else if (/^-?\d+(\.\d+)?([eE][+-]?\d+)?$/.test(word)) tokens.push({ type: "literal", value: Number(word) });
      else if (source.charAt(i) === '"') {
        // a key whose opening quote is missing: `status": "cancelled"`
        repairs.add("missing opening quote");
        tokens.push({ type: "string", value: word });
        i++;
      } else throw new Error(`unexpected "${word}"`);
    }
  }
  return tokens;
}
