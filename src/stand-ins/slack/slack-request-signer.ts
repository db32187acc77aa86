// Sends requests into the app exactly as Slack does: form-encoded bodies signed with the
// signing secret (v0 HMAC-SHA256 over "v0:timestamp:body").
import crypto from "node:crypto";

export function signSlackRequest(signingSecret: string, body: string, timestamp = Math.floor(Date.now() / 1000)): Record<string, string> {
  const signature = `v0=${crypto.createHmac("sha256", signingSecret).update(`v0:${timestamp}:${body}`).digest("hex")}`;
  return { "x-slack-request-timestamp": String(timestamp), "x-slack-signature": signature };
}

export interface SlackUser {
  id: string;
  name: string;
  /** their own workspace, when it is not the app's (a Slack Connect user in a shared channel) */
  teamId?: string;
}

/** Where trigger_ids come from: the Slack stand-in issues them, so it can hold views.open to Slack's rules. */
export interface TriggerIssuer {
  issueTrigger(user: string): string;
}

interface CheckboxesLike {
  type?: string;
  action_id?: string;
  options?: Array<{ value: string }>;
  initial_options?: Array<{ value: string }>;
}

/**
 * The `state` Slack sends with a press on a message: each checkbox group's ticked options, as the
 * message shows them (its initial options) unless `ticks` says the user changed them (true: all
 * ticked, false: none).
 */
export function messageState(blocks: unknown[], ticks: Record<string, boolean> = {}): { values: Record<string, Record<string, unknown>> } {
  const values: Record<string, Record<string, unknown>> = {};
  for (const block of blocks as Array<{ block_id?: string; elements?: CheckboxesLike[] }>) {
    for (const element of block.elements ?? []) {
      if (element.type !== "checkboxes" || !element.action_id || !block.block_id) continue;
      const tick = ticks[element.action_id];
      const selected = tick === undefined ? (element.initial_options ?? []) : tick ? (element.options ?? []) : [];
      values[block.block_id] = { ...values[block.block_id], [element.action_id]: { type: "checkboxes", selected_options: selected } };
    }
  }
  return { values };
}

export class SlackRequestSender {
  private triggers = 0;
  private readonly teamId: string;

  constructor(
    private readonly appUrl: string,
    private readonly signingSecret: string,
    private readonly options: { teamId?: string; triggers?: TriggerIssuer } = {},
  ) {
    this.teamId = options.teamId ?? "TLOCAL";
  }

  async send(body: string, contentType: string, headers: Record<string, string> = {}, timestamp?: number): Promise<{ status: number; body: string }> {
    const response = await fetch(`${this.appUrl}/slack/events`, {
      method: "POST",
      headers: { "content-type": contentType, ...signSlackRequest(this.signingSecret, body, timestamp), ...headers },
      body,
    });
    return { status: response.status, body: await response.text() };
  }

  slashCommand(user: SlackUser, channel: string, text: string, responseUrl: string): Promise<{ status: number; body: string }> {
    const form = new URLSearchParams({
      token: "legacy-unused",
      team_id: user.teamId ?? this.teamId,
      channel_id: channel,
      channel_name: channel,
      user_id: user.id,
      user_name: user.name,
      command: "/offboard",
      text,
      api_app_id: "ALOCAL",
      response_url: responseUrl,
      trigger_id: this.nextTrigger(user),
    });
    return this.send(form.toString(), "application/x-www-form-urlencoded");
  }

  /** @param options.triggerId lets the caller tie a modal the app opens to the user who pressed */
  blockAction(
    user: SlackUser,
    channel: string,
    messageTs: string,
    action: { action_id: string; value: string },
    responseUrl: string,
    options: { triggerId?: string; isEphemeral?: boolean; headers?: Record<string, string>; state?: { values: Record<string, Record<string, unknown>> } } = {},
  ): Promise<{ status: number; body: string }> {
    const payload = {
      type: "block_actions",
      ...this.envelope(user),
      container: { type: "message", message_ts: messageTs, channel_id: channel, is_ephemeral: options.isEphemeral ?? false },
      trigger_id: options.triggerId ?? this.nextTrigger(user),
      channel: { id: channel, name: channel },
      message: { ts: messageTs, type: "message" },
      response_url: responseUrl,
      actions: [buttonAction(action)],
      ...(options.state ? { state: options.state } : {}),
    };
    return this.send(new URLSearchParams({ payload: JSON.stringify(payload) }).toString(), "application/x-www-form-urlencoded", options.headers);
  }

  /** A button on the App Home: Slack sends the view, no channel, no message and no response_url. */
  homeBlockAction(
    user: SlackUser,
    viewId: string,
    action: { action_id: string; value: string },
    options: { triggerId?: string; state?: ReturnType<typeof messageState> } = {},
  ): Promise<{ status: number; body: string }> {
    const payload = {
      type: "block_actions",
      ...this.envelope(user),
      container: { type: "view", view_id: viewId },
      trigger_id: options.triggerId ?? this.nextTrigger(user),
      // the view's inputs as the person left them (its GDAP boxes), as Slack sends them with a press
      view: { id: viewId, type: "home", team_id: this.teamId, app_id: "ALOCAL", blocks: [], state: options.state ?? { values: {} }, hash: "h" },
      actions: [buttonAction(action)],
    };
    return this.send(new URLSearchParams({ payload: JSON.stringify(payload) }).toString(), "application/x-www-form-urlencoded");
  }

  viewSubmission(
    user: SlackUser,
    view: { id?: string; callback_id: string; private_metadata: string; values: Record<string, Record<string, { type: string; value?: string; selected_options?: Array<{ value: string }> }>> },
  ): Promise<{ status: number; body: string }> {
    const payload = {
      type: "view_submission",
      ...this.envelope(user),
      trigger_id: this.nextTrigger(user),
      view: { id: view.id ?? "V1", type: "modal", callback_id: view.callback_id, private_metadata: view.private_metadata, state: { values: view.values }, hash: "h", team_id: this.teamId, app_id: "ALOCAL", blocks: [] },
    };
    return this.send(new URLSearchParams({ payload: JSON.stringify(payload) }).toString(), "application/x-www-form-urlencoded");
  }

  appHomeOpened(user: SlackUser, headers: Record<string, string> = {}): Promise<{ status: number; body: string }> {
    const body = JSON.stringify({
      token: "legacy-unused",
      team_id: this.teamId,
      api_app_id: "ALOCAL",
      type: "event_callback",
      event_id: `Ev${crypto.randomBytes(6).toString("hex")}`,
      event_time: Math.floor(Date.now() / 1000),
      event: { type: "app_home_opened", user: user.id, channel: `D${user.id}`, tab: "home", event_ts: String(Date.now() / 1000) },
    });
    return this.send(body, "application/json", headers);
  }

  /** What every interaction payload carries: the team, the user and the app. */
  private envelope(user: SlackUser) {
    const team = user.teamId ?? this.teamId;
    return { team: { id: team, domain: "local" }, user: { id: user.id, username: user.name, name: user.name, team_id: team }, api_app_id: "ALOCAL", token: "legacy-unused" };
  }

  /** A trigger from the stand-in when there is one; else one Slack never issued (views.open refuses it). */
  private nextTrigger(user: SlackUser): string {
    if (this.options.triggers) return this.options.triggers.issueTrigger(user.id);
    this.triggers += 1;
    return `${this.triggers}.${Date.now()}.${crypto.randomBytes(4).toString("hex")}`;
  }
}

function buttonAction(action: { action_id: string; value: string }) {
  return { type: "button", block_id: "b", action_id: action.action_id, value: action.value, action_ts: String(Date.now() / 1000), text: { type: "plain_text", text: "x" } };
}
