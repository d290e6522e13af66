/**
 * Debian's chromium, driven by playwright-core (no browser download). Browser tests skip, saying why, where it is not
 * installed (`apt-get install -y chromium`; .ci/run installs it). STEWARD_CHROMIUM points at another binary.
 */
import { existsSync } from "node:fs";
import { type Browser, chromium } from "playwright-core";

export const CHROMIUM = process.env["STEWARD_CHROMIUM"] ?? "/usr/bin/chromium";
export const HAS_CHROMIUM = existsSync(CHROMIUM);

/** Headless, sandbox off (tests run as root), and none of the background traffic the closed network would refuse. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
    ],
  });
}
