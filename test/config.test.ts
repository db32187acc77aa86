import { ConfigError, IN_MEMORY_DATA_DIR, dataDirOnDisk, loadConfig } from "../src/config";

/** Runs loadConfig and returns the ConfigError it must throw. */
function configError(env: NodeJS.ProcessEnv): ConfigError {
  try {
    loadConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error(`loadConfig accepted ${Object.keys(env).join(", ")}`);
}

const SLACK_OK = { SLACK_BOT_TOKEN: "xoxb-1-2-abc", SLACK_SIGNING_SECRET: "signing-secret", APPROVAL_CHANNEL_ID: "C123" };

describe("loadConfig", () => {
  test("an empty environment gives the embedded defaults", () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      DATA_DIR: "./data",
      PORT: 3000,
      LOG_LEVEL: "info",
      EMULATOR_PORT: 4010,
      PARTNER_CENTER_RPM: 450,
      APPROVER_USER_IDS: [],
      OPERATOR_USER_IDS: [],
      APPROVAL_TTL_HOURS: 24,
      DIRECTORY_SYNC_MINUTES: 15,
      SUSPEND_CONCURRENCY: 8,
      JOB_LEASE_SECONDS: 30,
      EXPIRY_SWEEP_SECONDS: 60,
      GRAPH_DISABLED: false,
    });
    // nothing optional is invented: no database server, no Partner Center, no Slack
    for (const name of [
      "DATABASE_URL",
      "PARTNER_CENTER_URL",
      "PARTNER_CENTER_TOKEN",
      "AZURE_CLIENT_SECRET",
      "PARTNER_CENTER_REFRESH_TOKEN",
      "SLACK_BOT_TOKEN",
      "SLACK_SIGNING_SECRET",
      "SLACK_APP_TOKEN",
      "SLACK_API_URL",
      "APPROVAL_CHANNEL_ID",
      "APPROVER_USERGROUP_ID",
      "GRAPH_URL",
      "GRAPH_TOKEN",
      "OPERATOR_USERGROUP_ID",
      "DEFAULT_CASE_CHANNEL_ID",
    ] as const) {
      expect(config[name]).toBeUndefined();
    }
  });

  test("values are parsed and coerced", () => {
    const config = loadConfig({
      PORT: "8080",
      DATABASE_URL: "postgresql://postgres@127.0.0.1:5432/test",
      LOG_LEVEL: "debug",
      APPROVAL_TTL_HOURS: "2.5",
      SUSPEND_CONCURRENCY: "4",
      PARTNER_CENTER_URL: "http://127.0.0.1:4010/v1",
      GRAPH_URL: "https://graph.microsoft.com/v1.0",
      JOB_LEASE_SECONDS: "1.5",
      EXPIRY_SWEEP_SECONDS: "0.2",
    });
    expect(config).toMatchObject({
      PORT: 8080,
      DATABASE_URL: "postgresql://postgres@127.0.0.1:5432/test",
      LOG_LEVEL: "debug",
      APPROVAL_TTL_HOURS: 2.5,
      SUSPEND_CONCURRENCY: 4,
      PARTNER_CENTER_URL: "http://127.0.0.1:4010/v1",
      JOB_LEASE_SECONDS: 1.5,
      EXPIRY_SWEEP_SECONDS: 0.2,
    });
    expect(loadConfig({ DATABASE_URL: "postgres://u@h/db" }).DATABASE_URL).toBe("postgres://u@h/db");
  });

  test("unrelated variables are ignored", () => {
    expect(loadConfig({ PATH: "/usr/bin", HOME: "/root" })).not.toHaveProperty("PATH");
  });

  test("empty strings are treated as unset", () => {
    const config = loadConfig({
      PORT: "",
      DATABASE_URL: "",
      LOG_LEVEL: "",
      SLACK_BOT_TOKEN: "",
      SLACK_SIGNING_SECRET: "",
      APPROVAL_CHANNEL_ID: "",
      APPROVER_USER_IDS: "",
      DATA_DIR: "",
    });
    expect(config.PORT).toBe(3000);
    expect(config.DATABASE_URL).toBeUndefined();
    expect(config.LOG_LEVEL).toBe("info");
    expect(config.SLACK_BOT_TOKEN).toBeUndefined();
    expect(config.APPROVER_USER_IDS).toEqual([]);
    expect(config.DATA_DIR).toBe("./data");
  });

  test("blank (whitespace-only) values are treated as unset too, so PORT=' ' does not become port 0", () => {
    const config = loadConfig({ PORT: "  ", EMULATOR_PORT: "\t", SLACK_SIGNING_SECRET: "   ", APPROVAL_TTL_HOURS: " " });
    expect(config.PORT).toBe(3000);
    expect(config.EMULATOR_PORT).toBe(4010);
    expect(config.SLACK_SIGNING_SECRET).toBeUndefined();
    expect(config.APPROVAL_TTL_HOURS).toBe(24);
  });

  test("DATA_DIR in memory is read once, whatever its spelling, so nothing takes it for a folder", () => {
    for (const spelling of ["memory://", "memory:", "MEMORY:", "memory://anything"]) {
      const config = loadConfig({ DATA_DIR: spelling });
      expect(config.DATA_DIR).toBe(IN_MEMORY_DATA_DIR);
      expect(dataDirOnDisk(config)).toBeUndefined();
    }
    expect(dataDirOnDisk(loadConfig({ DATA_DIR: "./memory-dump" }))).toBe("./memory-dump");
    expect(dataDirOnDisk(loadConfig({}))).toBe("./data");
  });

  test("comma lists of user ids are split and trimmed, dropping empty entries", () => {
    const config = loadConfig({ APPROVER_USER_IDS: " U1, U2 ,,U3 ,", OPERATOR_USER_IDS: "U9" });
    expect(config.APPROVER_USER_IDS).toEqual(["U1", "U2", "U3"]);
    expect(config.OPERATOR_USER_IDS).toEqual(["U9"]);
  });

  test("text values are trimmed", () => {
    expect(loadConfig({ ...SLACK_OK, APPROVAL_CHANNEL_ID: "  C123  " }).APPROVAL_CHANNEL_ID).toBe("C123");
  });

  test("a complete Slack configuration is accepted, over HTTP or Socket Mode", () => {
    expect(loadConfig(SLACK_OK)).toMatchObject(SLACK_OK);
    const socket = { SLACK_BOT_TOKEN: "xoxb-1", SLACK_APP_TOKEN: "xapp-1", APPROVAL_CHANNEL_ID: "C1" };
    expect(loadConfig(socket)).toMatchObject(socket);
  });
});

describe("a bad value stops start-up with one line naming the variable, never echoing the value", () => {
  test.each([
    ["PORT", "abc", /^PORT: .*number/],
    ["PORT", "70000", /^PORT: /],
    ["PORT", "80.5", /^PORT: /],
    ["DATABASE_URL", "mysql://x", /^DATABASE_URL: must be a postgres:\/\/ or postgresql:\/\/ URL$/],
    ["DATABASE_URL", "mysql://admin:hunter2@db.example/prod", /^DATABASE_URL: /],
    ["SLACK_BOT_TOKEN", "nope", /^SLACK_BOT_TOKEN: must be a bot token starting with xoxb-$/],
    ["SLACK_BOT_TOKEN", "secret-value", /^SLACK_BOT_TOKEN: /],
    ["SLACK_BOT_TOKEN", "xoxp-user-token-secret", /^SLACK_BOT_TOKEN: /],
    ["SLACK_APP_TOKEN", "secret-app-token", /^SLACK_APP_TOKEN: .*xapp-/],
    ["LOG_LEVEL", "shouty", /^LOG_LEVEL: /],
    ["PARTNER_CENTER_URL", "not-a-url-secretish", /^PARTNER_CENTER_URL: /],
    ["APPROVAL_TTL_HOURS", "-3", /^APPROVAL_TTL_HOURS: /],
    ["SUSPEND_CONCURRENCY", "1000", /^SUSPEND_CONCURRENCY: /],
    ["JOB_LEASE_SECONDS", "-7", /^JOB_LEASE_SECONDS: /],
    ["PARTNER_CENTER_RPM", "-7", /^PARTNER_CENTER_RPM: /],
    ["GRAPH_URL", "not-a-url-secretish", /^GRAPH_URL: /],
    ["GRAPH_URL", "https://graph.microsoft.com/beta", /^GRAPH_URL: must be Microsoft Graph's v1\.0 root/],
    ["GRAPH_DISABLED", "maybe-secretish", /^GRAPH_DISABLED: must be true or false$/],
  ])("%s=%j", (name, value, expected) => {
    const error = configError({ ...SLACK_OK, [name]: value });
    expect(error.name).toBe("ConfigError");
    expect(error.message).toMatch(expected);
    expect(error.message).not.toMatch(/[\r\n]/);
    expect(error.message).not.toContain(value);
  });

  test("the value of a secret never appears, even inside a longer message", () => {
    const secret = "secret-value";
    const error = configError({ SLACK_BOT_TOKEN: secret, SLACK_SIGNING_SECRET: "s", APPROVAL_CHANNEL_ID: "C1" });
    expect(error.message).toBe("SLACK_BOT_TOKEN: must be a bot token starting with xoxb-");
    expect(error.message).not.toContain(secret);
    expect(String(error)).not.toContain(secret);
  });
});

describe("Slack settings that only make sense together", () => {
  test("a bot token without a signing secret (and no app token) is refused, naming the signing secret", () => {
    const error = configError({ SLACK_BOT_TOKEN: "xoxb-secret-token", APPROVAL_CHANNEL_ID: "C1" });
    expect(error.message).toMatch(/^SLACK_SIGNING_SECRET: required when SLACK_BOT_TOKEN is set/);
    expect(error.message).not.toContain("xoxb-secret-token");
    expect(error.message).not.toMatch(/\n/);
  });

  test("a bot token without APPROVAL_CHANNEL_ID is refused", () => {
    const error = configError({ SLACK_BOT_TOKEN: "xoxb-secret-token", SLACK_SIGNING_SECRET: "shh" });
    expect(error.message).toMatch(/^APPROVAL_CHANNEL_ID: required when SLACK_BOT_TOKEN is set/);
    expect(error.message).not.toContain("xoxb-secret-token");
    expect(error.message).not.toContain("shh");
  });

  test("Socket Mode still needs the approval channel", () => {
    expect(configError({ SLACK_BOT_TOKEN: "xoxb-1", SLACK_APP_TOKEN: "xapp-1" }).message).toMatch(/^APPROVAL_CHANNEL_ID: /);
  });

  test("an empty signing secret counts as missing", () => {
    expect(configError({ ...SLACK_OK, SLACK_SIGNING_SECRET: "" }).message).toMatch(/^SLACK_SIGNING_SECRET: /);
  });
});

describe("Microsoft Graph (GDAP relationships)", () => {
  test("GRAPH_DISABLED reads true and false as .env files write them", () => {
    for (const yes of ["true", "TRUE", "1", "yes", " true "]) expect(loadConfig({ GRAPH_DISABLED: yes }).GRAPH_DISABLED).toBe(true);
    for (const no of ["false", "0", "no", ""]) expect(loadConfig({ GRAPH_DISABLED: no }).GRAPH_DISABLED).toBe(false);
  });

  test("GRAPH_URL takes Graph's v1.0 root, with or without a trailing slash, and a token for a stand-in", () => {
    const config = loadConfig({ PARTNER_CENTER_URL: "https://api.partnercenter.microsoft.com/v1", GRAPH_URL: "https://graph.microsoft.com/v1.0/", GRAPH_TOKEN: " t " });
    expect(config).toMatchObject({ GRAPH_URL: "https://graph.microsoft.com/v1.0/", GRAPH_TOKEN: "t", GRAPH_DISABLED: false });
    expect(loadConfig({ GRAPH_URL: "http://127.0.0.1:4010/graph/v1.0" }).GRAPH_URL).toBe("http://127.0.0.1:4010/graph/v1.0");
  });

  test("without PARTNER_CENTER_URL and GRAPH_URL the local stand-ins serve both", () => {
    const config = loadConfig({});
    expect(config.PARTNER_CENTER_URL).toBeUndefined();
    expect(config.GRAPH_URL).toBeUndefined();
    expect(config.GRAPH_DISABLED).toBe(false);
  });

  test("a real Partner Center needs a word on Graph: GRAPH_URL or GRAPH_DISABLED", () => {
    const error = configError({ PARTNER_CENTER_URL: "https://api.partnercenter.microsoft.com/v1" });
    expect(error.message).toMatch(/^GRAPH_URL: required when PARTNER_CENTER_URL is set .*GRAPH_DISABLED=true/);
    expect(error.message).not.toMatch(/\n/);
    expect(loadConfig({ PARTNER_CENTER_URL: "https://api.partnercenter.microsoft.com/v1", GRAPH_DISABLED: "true" }).GRAPH_DISABLED).toBe(true);
  });

  test("GRAPH_URL with GRAPH_DISABLED=true contradicts itself and is refused", () => {
    expect(configError({ GRAPH_URL: "https://graph.microsoft.com/v1.0", GRAPH_DISABLED: "true" }).message).toMatch(/^GRAPH_URL: set while GRAPH_DISABLED=true/);
  });
});
