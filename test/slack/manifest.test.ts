import fs from "node:fs";
import path from "node:path";
import Ajv from "ajv";
import addFormats from "ajv-formats";
import YAML from "yaml";
import { projectRoot } from "../../src/project-root";

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
    // the Web API methods the app calls need these scopes
    expect(m.oauth_config.scopes.bot).toEqual(expect.arrayContaining(["commands", "chat:write", "usergroups:read"]));
    expect(text).not.toMatch(/xox[bp]-/);
  });
});
