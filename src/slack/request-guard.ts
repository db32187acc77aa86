// Signed requests whose body is not what Slack sends (a view submission without view.state, a
// slash command as JSON, an interaction this app never offers) are answered 400 before Bolt sees
// them: Bolt would throw on them and answer 500, or wait three seconds and log an error. Only the
// envelope is checked here, loosely, since Slack adds fields; the values our buttons and modals
// carry are checked strictly by the listeners (slack-inputs.ts).
import { z } from "zod";

const user = z.object({ id: z.string().min(1), team_id: z.string().optional() });

const blockActions = z.object({
  type: z.literal("block_actions"),
  user,
  trigger_id: z.string().min(1),
  actions: z.array(z.object({ action_id: z.string().min(1), type: z.string() })).min(1),
  response_url: z.string().optional(),
});

const viewSubmission = z.object({
  type: z.literal("view_submission"),
  user,
  view: z.object({
    id: z.string().min(1),
    callback_id: z.string().min(1),
    private_metadata: z.string(),
    state: z.object({ values: z.record(z.string(), z.record(z.string(), z.object({ type: z.string() }))) }),
  }),
});

// no view_closed: our modals do not ask for it (notify_on_close), so Slack never sends one
const interaction = z.discriminatedUnion("type", [blockActions, viewSubmission]);

const slashCommand = z.object({
  command: z.literal("/offboard"),
  text: z.string().optional(),
  user_id: z.string().min(1),
  channel_id: z.string().min(1),
  team_id: z.string().min(1),
  response_url: z.string().min(1),
  trigger_id: z.string().min(1),
});

const eventEnvelope = z.union([
  z.object({ type: z.literal("url_verification"), challenge: z.string() }),
  z.object({ type: z.literal("event_callback"), team_id: z.string().min(1), event_id: z.string().min(1), event: z.object({ type: z.string().min(1) }) }),
  z.object({ type: z.literal("app_rate_limited") }),
]);

export type ShapeVerdict = { ok: true } | { ok: false; problem: string };

function verdict(schema: z.ZodType, value: unknown, what: string): ShapeVerdict {
  const parsed = schema.safeParse(value);
  if (parsed.success) return { ok: true };
  const issue = parsed.error.issues[0];
  return { ok: false, problem: `${what}: ${issue?.path.join(".") || "body"}: ${issue?.message ?? "invalid"}` };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** Whether a request to /slack/events has the shape Slack gives such a request. */
export function checkSlackRequestShape(contentType: string | undefined, body: string): ShapeVerdict {
  const type = (contentType ?? "").split(";")[0]?.trim().toLowerCase();
  if (type === "application/x-www-form-urlencoded") {
    const form = new URLSearchParams(body);
    if (form.get("ssl_check") === "1") return { ok: true };
    const payload = form.get("payload");
    if (payload !== null) {
      const parsed = parseJson(payload);
      return parsed === undefined ? { ok: false, problem: "interaction: payload is not JSON" } : verdict(interaction, parsed, "interaction");
    }
    return verdict(slashCommand, Object.fromEntries(form), "slash command");
  }
  if (type === "application/json") {
    // Slack sends only events as JSON; commands and interactions always come form-encoded
    const parsed = parseJson(body);
    return parsed === undefined ? { ok: false, problem: "event: body is not JSON" } : verdict(eventEnvelope, parsed, "event");
  }
  return { ok: false, problem: `unexpected content type ${type || "(none)"}` };
}
