// The embedded database is served to the app alone: an owner-only Unix socket in DATA_DIR, no
// loopback port that every local process could log in through as a superuser.
import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { type OpenedAdapter, openDriverAdapter } from "../../src/store/database-adapter";

const NOBODY = 65534;
// only root can start a process as another user (nobody) to try the socket; elsewhere that test is skipped
const runningAsRoot = typeof process.getuid === "function" && process.getuid() === 0;

/** What a separate process gets when it connects to the socket: "connected" or the error code. */
function connectFromAnotherProcess(socketPath: string, uid?: number): Promise<string> {
  const script = `const s = require("node:net").connect(process.argv[1]);
    s.on("connect", () => { console.log("connected"); s.destroy(); });
    s.on("error", (e) => console.log(e.code || e.message));`;
  return new Promise((resolve, reject) => {
    execFile(process.execPath, ["-e", script, socketPath], { cwd: "/", ...(uid === undefined ? {} : { uid, gid: uid }) }, (error, stdout) => {
      if (error) reject(error);
      else resolve(stdout.trim());
    });
  });
}

function mode(file: string): number {
  return fs.statSync(file).mode & 0o777;
}

describe("embedded database access", () => {
  let dataDir: string;
  let opened: OpenedAdapter | null = null;
  const socketPath = () => path.join(dataDir, "socket", ".s.PGSQL.5432");

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "embedded-access-"));
    // open to all, like a DATA_DIR under a shared folder: only the app's own modes keep others out
    fs.chmodSync(dataDir, 0o755);
    opened = await openDriverAdapter({ dataDir });
  });
  afterAll(async () => {
    await opened?.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  test("is served on an owner-only socket inside DATA_DIR, and the app reaches it", async () => {
    expect(opened?.socketDir).toBe(path.join(dataDir, "socket"));
    expect(mode(path.join(dataDir, "socket"))).toBe(0o700);
    expect(mode(socketPath())).toBe(0o600);
    // the files behind it are the app user's alone as well
    expect(mode(path.join(dataDir, "pglite"))).toBe(0o700);
    const result = await opened?.pool.query<{ user: string }>("SELECT current_user AS user");
    expect(result?.rows).toEqual([{ user: "postgres" }]);
  });

  (runningAsRoot ? test : test.skip)("a process of another user cannot connect; the app's user can", async () => {
    // the same connection attempt from a process of the app's user goes through, so the refusal below is the permissions'
    expect(await connectFromAnotherProcess(socketPath())).toBe("connected");
    expect(await connectFromAnotherProcess(socketPath(), NOBODY)).toBe("EACCES");
  });

  test("a second process on the same DATA_DIR is refused while the first has it open", async () => {
    await expect(openDriverAdapter({ dataDir })).rejects.toThrow(/already open in another process/);
    // the first still works
    await expect(opened?.pool.query("SELECT 1")).resolves.toBeTruthy();
  });

  test("a socket left behind by a killed process does not stop the next start", async () => {
    await opened?.close();
    opened = null;
    // what a SIGKILL leaves: a socket file nobody answers on
    fs.writeFileSync(socketPath(), "");
    opened = await openDriverAdapter({ dataDir });
    await expect(opened.pool.query("SELECT 1 AS one")).resolves.toMatchObject({ rows: [{ one: 1 }] });
  });

  test("an in-memory database gets a private temporary socket directory, removed on close", async () => {
    const inMemory = await openDriverAdapter({ dataDir: "memory://" });
    const socketDir = inMemory.socketDir ?? "";
    expect(socketDir.startsWith(os.tmpdir())).toBe(true);
    expect(mode(socketDir)).toBe(0o700);
    await inMemory.close();
    expect(fs.existsSync(socketDir)).toBe(false);
  });
});
