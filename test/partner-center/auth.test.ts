import { CachingTokenProvider, type TokenKind } from "../../src/partner-center/auth";
import { PartnerCenterError } from "../../src/partner-center/partner-center-api";
import { fastClient, sendJson, tinyServer } from "./partner-center-test-support";

describe("CachingTokenProvider", () => {
  it("caches per kind and refreshes five minutes before expiry", async () => {
    let now = Date.parse("2026-05-01T10:00:00Z");
    const fetched: string[] = [];
    const provider = new CachingTokenProvider(
      async (kind: TokenKind) => {
        fetched.push(kind);
        return { token: `${kind}-${fetched.length}`, expiresOn: new Date(now + 60 * 60_000) };
      },
      { now: () => now },
    );
    expect(await provider.getToken("app")).toBe("app-1");
    expect(await provider.getToken("app")).toBe("app-1");
    expect(await provider.getToken("app_user")).toBe("app_user-2");
    now += 54 * 60_000;
    expect(await provider.getToken("app")).toBe("app-1");
    now += 2 * 60_000; // 4 minutes left: inside the refresh margin
    expect(await provider.getToken("app")).toBe("app-3");
    expect(fetched).toEqual(["app", "app_user", "app"]);
  });

  it("shares one fetch between concurrent callers", async () => {
    let calls = 0;
    const provider = new CachingTokenProvider(async () => {
      calls += 1;
      await new Promise((resolve) => setTimeout(resolve, 20));
      return { token: "t", expiresOn: new Date(Date.now() + 3_600_000) };
    });
    await Promise.all([provider.getToken("app"), provider.getToken("app"), provider.getToken("app")]);
    expect(calls).toBe(1);
  });
});

describe("the client and expired tokens", () => {
  it("refreshes the token once after a 401 and retries with the new one", async () => {
    const server = await tinyServer((req, res) => {
      if (req.headers.authorization !== "Bearer fresh") {
        sendJson(res, 401, { code: 0, description: "token expired", data: [], source: "PartnerFD" });
        return;
      }
      sendJson(res, 200, { RelationshipToPartner: "none", Attributes: { ObjectType: "Customer" } });
    });
    const issued = ["stale", "fresh"];
    const kinds: TokenKind[] = [];
    const tokens = new CachingTokenProvider(async (kind) => {
      kinds.push(kind);
      return { token: issued.shift() ?? "none", expiresOn: new Date(Date.now() + 3_600_000) };
    });
    const client = fastClient(server.url, { tokens });
    try {
      const removed = await client.removeResellerRelationship("t1");
      expect(removed.value.relationshipToPartner).toBe("none");
      expect(kinds).toEqual(["app_user", "app_user"]);
      expect(server.seen.map((r) => r.headers.authorization)).toEqual(["Bearer stale", "Bearer fresh"]);
      expect(server.seen[0]?.headers["ms-requestid"]).toBe(server.seen[1]?.headers["ms-requestid"]);
    } finally {
      await client.close();
      await server.close();
    }
  });

  it("gives up with an auth error when the fresh token is refused too", async () => {
    const server = await tinyServer((_req, res) => sendJson(res, 401, { code: 0, description: "nope", data: [], source: "PartnerFD" }));
    let fetches = 0;
    const tokens = new CachingTokenProvider(async () => ({ token: `t${++fetches}`, expiresOn: new Date(Date.now() + 3_600_000) }));
    const client = fastClient(server.url, { tokens });
    try {
      const error = await client.getCustomer("t1").catch((e: unknown) => e);
      expect(error).toBeInstanceOf(PartnerCenterError);
      expect((error as PartnerCenterError).kind).toBe("auth");
      expect(fetches).toBe(2);
      expect(server.seen).toHaveLength(2);
    } finally {
      await client.close();
      await server.close();
    }
  });
});
