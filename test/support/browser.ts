// The headless Chromium the browser tests drive. It comes with `npm install`: @sparticuz/chromium
// ships a compressed build inside its package and unpacks it into the temp folder when asked,
// so no install script and no system package is needed. CHROMIUM_PATH picks another browser.
import fs from "node:fs";
import sparticuz from "@sparticuz/chromium";
import { type Browser, chromium } from "playwright-core";

/** The browser's executable: CHROMIUM_PATH if set, else the packaged build, unpacked now if it is not yet. */
export async function chromiumExecutable(): Promise<string> {
  const chosen = process.env.CHROMIUM_PATH;
  const executable = chosen ?? (await sparticuz.executablePath());
  try {
    fs.accessSync(executable, fs.constants.X_OK);
  } catch {
    // a missing browser must fail loudly: a skipped browser test would hide a broken console
    throw new Error(
      chosen
        ? `CHROMIUM_PATH=${chosen} is not an executable file.`
        : `@sparticuz/chromium did not unpack its browser to ${executable}. Run \`npm install\` again, or set CHROMIUM_PATH to a Chromium.`,
    );
  }
  return executable;
}

/**
 * Launches it with Playwright's default arguments: the package's own `chromium.args` are meant
 * for its Puppeteer users and crash this Playwright at `newPage`.
 */
export async function launchChromium(): Promise<Browser> {
  const executablePath = await chromiumExecutable();
  try {
    return await chromium.launch({ executablePath });
  } catch (error) {
    // an unpacking cut short leaves a truncated file that the package then reuses as it is
    const hint = process.env.CHROMIUM_PATH ? "" : ` If it was cut short while unpacking, delete ${executablePath} and run again.`;
    throw new Error(`Chromium at ${executablePath} did not start: ${error instanceof Error ? error.message : String(error)}.${hint}`);
  }
}
