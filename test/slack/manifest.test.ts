import fs from "node:fs";
import path from "node:path";
import Ajv from "ajv";
import addFormats from "ajv-formats";
import YAML from "yaml";
import { projectRoot } from "../../src/project-root";
import { CONVERSATION_READ_SCOPES, METHOD_SCOPES } from "../../src/stand-ins/slack/slack-workspace";

/** The Web API methods the app's Slack side calls, read from its source. */
function methodsCalled(): string[] {
  const methods = new Set<string>();
  const walk = (dir: string): void => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory() && entry.name !== "local-slack") walk(full);
      else if (entry.name.endsWith(".ts")) {
        const source = fs.readFileSync(full, "utf8");
        // the client's upload helper makes Slack's two files calls
        if (source.includes(".filesUploadV2(")) for (const method of ["files.getUploadURLExternal", "files.completeUploadExternal"]) methods.add(method);
        for (const m of source.matchAll(/\.(auth|chat|conversations|users|usergroups|views|files|reactions|team|pins|bookmarks)\.([a-zA-Z]+(?:\.[a-zA-Z]+)?)\(/g)) methods.add(`${m[1]}.${m[2]}`);
      }
    }
  };
  walk(path.join(projectRoot(), "src", "slack"));
  return [...methods].sort();
}

/** Methods that need no scope of their own. */
const SCOPE_FREE = new Set(["auth.test", "views.open", "views.update", "views.publish"]);

const schemaPath = path.resolve(projectRoot(), "../shared/slack/manifest.schema.1.0.0.json");

describe("manifest.yml", () => {
  const manifest: unknown = YAML.parse(fs.readFileSync(path.join(projectRoot(), "manifest.yml"), "utf8"));

  test("validates against Slack's published manifest schema", () => {
    if (!fs.existsSync(schemaPath)) throw new Error(`Slack's manifest schema is missing at ${schemaPath}`);
    const ajv = new Ajv({ allErrors: true, strict: false });
    addFormats(ajv);
    const validate = ajv.compile(JSON.parse(fs.readFileSync(schemaPath, "utf8")) as object);
    const valid = validate(manifest);
    expect(validate.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
    // and the schema is really checking: a malformed request URL is caught
    const broken = JSON.parse(JSON.stringify(manifest)) as { settings: { interactivity: { request_url: string } } };
    broken.settings.interactivity.request_url = "not a url";
    expect(validate(broken)).toBe(false);
  });

  test("declares what the app uses: /offboard, interactivity, App Home and its event, on /slack/events", () => {
    const text = JSON.stringify(manifest);
    const m = manifest as {
      features: { slash_commands: Array<{ command: string; url: string }>; app_home: { home_tab_enabled: boolean } };
      settings: { interactivity: { is_enabled: boolean; request_url: string }; event_subscriptions: { request_url: string; bot_events: string[] } };
      oauth_config: { scopes: { bot: string[] } };
    };
    expect(m.features.slash_commands.map((c) => c.command)).toEqual(["/offboard"]);
    expect(m.features.app_home.home_tab_enabled).toBe(true);
    expect(m.settings.interactivity.is_enabled).toBe(true);
    expect(m.settings.event_subscriptions.bot_events).toContain("app_home_opened");
    for (const url of [m.features.slash_commands[0]?.url, m.settings.interactivity.request_url, m.settings.event_subscriptions.request_url]) {
      expect(url).toMatch(/\/slack\/events$/);
    }
    expect(text).not.toMatch(/xox[bp]-/);
  });

  test("asks for exactly the scopes the app's Web API calls need, no more", () => {
    const methods = methodsCalled();
    expect(methods).toEqual(expect.arrayContaining(["chat.postMessage", "users.info", "conversations.info", "views.open"]));
    const needed = new Set<string>([
      // the slash command itself
      "commands",
      // case messages in public channels the bot was not invited to
      "chat:write.public",
    ]);
    for (const method of methods) {
      if (method === "conversations.info") {
        // the approvals channel may be public or private
        needed.add(CONVERSATION_READ_SCOPES.public);
        needed.add(CONVERSATION_READ_SCOPES.private);
        continue;
      }
      const scope = METHOD_SCOPES[method];
      if (!scope && !SCOPE_FREE.has(method)) throw new Error(`no scope known for ${method}: add it to the stand-in's METHOD_SCOPES`);
      if (scope) needed.add(scope);
    }
    const m = manifest as { oauth_config: { scopes: { bot: string[] } } };
    expect([...m.oauth_config.scopes.bot].sort()).toEqual([...needed].sort());
  });

  test("shows the app's direct messages (where outcomes and some cases go)", () => {
    const m = manifest as { features: { app_home: { messages_tab_enabled: boolean } } };
    expect(m.features.app_home.messages_tab_enabled).toBe(true);
  });
});
