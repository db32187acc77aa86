// The doctor's last run, kept: one run at a time however many ask, a fresh one reused, a run that
// throws or hangs kept as a failed line (so the Home says so), and listeners told after each run.
import { CheckCache } from "../../src/doctor/check-cache";
import type { CheckResult } from "../../src/doctor/doctor-check";

const OK: CheckResult[] = [{ name: "Database", status: "ok", detail: "answers" }];

test("callers during a run join it; a fresh run is reused; an older one is run again", async () => {
  let now = 1_000_000;
  let runs = 0;
  let release: () => void = () => undefined;
  const cache = new CheckCache(
    () =>
      new Promise<CheckResult[]>((resolve) => {
        runs += 1;
        release = () => resolve(OK);
      }),
    () => new Date(now),
  );
  const heard: number[] = [];
  cache.onFinished((report) => heard.push(report.checkedAt.getTime()));
  expect(cache.latest()).toBeNull();
  const first = cache.refresh();
  const second = cache.refresh();
  expect(cache.running()).toBe(true);
  release();
  expect(await first).toBe(await second);
  expect(runs).toBe(1);
  expect(cache.running()).toBe(false);
  await Promise.resolve();
  expect(heard).toEqual([1_000_000]);

  now += 30_000;
  expect(await cache.refresh(60_000)).toBe(cache.latest());
  expect(runs).toBe(1);
  const third = cache.refresh(10_000);
  release();
  await third;
  expect(runs).toBe(2);
});

test("a run that throws, or outlasts its limit, is kept as one failed line with a fix", async () => {
  const thrown = new CheckCache(() => Promise.reject(new Error("boom")));
  expect((await thrown.refresh()).checks).toEqual([expect.objectContaining({ status: "failed", detail: expect.stringContaining("boom"), fix: expect.stringContaining("npm run doctor") })]);
  const hung = new CheckCache(() => new Promise<CheckResult[]>(() => undefined), undefined, 20);
  expect((await hung.refresh()).checks[0]).toMatchObject({ status: "failed", detail: expect.stringContaining("did not finish") });
  expect(hung.running()).toBe(false);
});
