// A small router: each route module lists its routes as path patterns ("customers/{id}"); the
// pattern also names the route in the emulator's stats ("GET /customers/{id}").
import { type Answer, type EmulatorRequest, HttpError } from "../answers";

export interface Route {
  method: "GET" | "PATCH" | "POST" | "DELETE";
  /** segments joined by "/"; a segment in braces matches any one segment */
  pattern: string;
  handle(params: string[], request: EmulatorRequest): Answer;
}

interface Compiled {
  route: Route;
  parts: string[];
}

export class RouteTable {
  private readonly routes: Compiled[];

  constructor(routes: Route[]) {
    this.routes = routes.map((route) => ({ route, parts: route.pattern.split("/") }));
  }

  /** the route's name for stats: its pattern when one matches the path, else a generic shape */
  nameOf(method: string, segments: string[]): string {
    const found = this.routes.find((r) => matches(r.parts, segments));
    if (found) return `${method} /${found.route.pattern.replace(/\{[^}]+\}/g, "{id}")}`;
    return `${method} /${segments.map((s, i) => (i % 2 === 1 ? "{id}" : s)).join("/")}`;
  }

  handle(request: EmulatorRequest): Answer {
    const candidates = this.routes.filter((r) => matches(r.parts, request.segments));
    if (candidates.length === 0) throw new HttpError(404, 0, "Resource not found.");
    const hit = candidates.find((r) => r.route.method === request.method);
    if (!hit) throw new HttpError(405, 0, "Method not allowed.");
    const params = hit.parts.flatMap((part, i) => (part.startsWith("{") ? [request.segments[i] ?? ""] : []));
    return hit.route.handle(params, request);
  }
}

function matches(parts: string[], segments: string[]): boolean {
  return parts.length === segments.length && parts.every((part, i) => part.startsWith("{") || part.toLowerCase() === segments[i]?.toLowerCase());
}
