// Helper of bench/lighthouse.sh: runs Lighthouse (mobile, its default config) on pages of the app
// behind the login, and writes one JSON report per page.
//
//     node bench/_lighthouse_run.mjs WORK ORIGIN COOKIE OUTPUT_DIR NAME=PATH...
//
// WORK is the folder whose node_modules holds lighthouse (npm install --prefix WORK). COOKIE is
// "name=value" (the session of a logged-in user).
//
// Why not the CLI's --extra-headers: the first page's response sets the CSRF cookie, and from then
// on Chromium sends the cookie jar's Cookie header instead of the extra one, so every request the
// page makes itself (the htmx partials) arrived logged out and swapped a login form into the page.
// Lighthouse's documented way for pages behind a login (docs/authenticated-pages.md) is to put the
// session in the browser's cookie jar through Puppeteer and hand Lighthouse the page; Lighthouse
// clears the cache and the origin's storage before each run, but not cookies.
import { join } from "node:path";
import { mkdirSync, writeFileSync } from "node:fs";
import { pathToFileURL } from "node:url";

const [work, origin, cookie, output, ...pages] = process.argv.slice(2);
const modules = join(work, "node_modules");
const load = (path) => import(pathToFileURL(join(modules, path)).href);
const { default: lighthouse } = await load("lighthouse/core/index.js");
const { launch } = await load("chrome-launcher/dist/index.js");
const { default: puppeteer } = await load("puppeteer-core/lib/esm/puppeteer/puppeteer-core.js");

// The flags of the CLI recipe in ENVIRONMENT.md; chrome-launcher adds Lighthouse's usual ones.
const chrome = await launch({
  chromePath: process.env.CHROME_PATH,
  chromeFlags: [
    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
    "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1 , EXCLUDE localhost",
  ],
});
let failed = false;
try {
  const browser = await puppeteer.connect({ browserURL: `http://127.0.0.1:${chrome.port}`, defaultViewport: null });
  const page = await browser.newPage();
  const separator = cookie.indexOf("=");
  await browser.setCookie({
    name: cookie.slice(0, separator), value: cookie.slice(separator + 1), domain: new URL(origin).hostname,
    path: "/", httpOnly: true, secure: true, sameSite: "Lax",
  });
  mkdirSync(output, { recursive: true });
  for (const spec of pages) {
    const [name, path] = [spec.slice(0, spec.indexOf("=")), spec.slice(spec.indexOf("=") + 1)];
    // Lighthouse sometimes loses the trace on a loaded machine (NO_NAVSTART): up to three tries.
    let report = null;
    for (let attempt = 1; attempt <= 3 && !report; attempt++) {
      const result = await lighthouse(
        origin + path,
        { output: "json", logLevel: "error", formFactor: "mobile",
          onlyCategories: ["performance", "accessibility", "best-practices"] },
        undefined,
        page,
      );
      if (result && !result.lhr.runtimeError) {
        report = result.report;
      } else {
        console.error(`>>> lighthouse: ${name} failed (${result?.lhr.runtimeError?.code ?? "no result"}), try ${attempt}`);
      }
    }
    if (!report) { throw new Error(`lighthouse failed three times on ${name}`); }
    writeFileSync(join(output, `${name}.json`), report);
  }
  await browser.disconnect();
} catch (error) {
  console.error(error);
  failed = true;
} finally {
  chrome.kill();
}
process.exit(failed ? 1 : 0);
