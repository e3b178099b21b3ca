// Lighthouse runs for bench/lighthouse.py, in one Node process: the same as the `lighthouse` CLI
// (mobile, simulated throttling, a fresh Chrome with a fresh profile for every run) without
// loading Node and Lighthouse's modules again for each run.
//
//   node bench/lighthouse.mjs RUNS KEEP_DIR URL...
//
// Runs every URL once, then again, RUNS times (pages interleaved). Prints one JSON line per run:
// {"url", "run", "ok", "categories": {id: score}, "audits": {id: numericValue}, "benchmarkIndex"}.
// KEEP_DIR ("-" for none) receives each full JSON report, for diagnosis.
// The full-page screenshot is skipped: it is not scored and costs about a second a run.
import fs from "node:fs";
import path from "node:path";
import * as chromeLauncher from "chrome-launcher";
import lighthouse from "lighthouse";

const AUDITS = [
  "total-blocking-time",
  "largest-contentful-paint",
  "cumulative-layout-shift",
  "first-contentful-paint",
  "speed-index",
  "total-byte-weight",
];
const CHROME_FLAGS = [
  "--headless=new",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

const [runs, keep, ...urls] = process.argv.slice(2);
for (let run = 1; run <= Number(runs); run++) {
  for (const url of urls) {
    const line = { url, run, ok: false };
    let chrome;
    try {
      chrome = await chromeLauncher.launch({ chromePath: process.env.CHROME_PATH, chromeFlags: CHROME_FLAGS });
      const result = await lighthouse(url, {
        port: chrome.port,
        output: "json",
        logLevel: "error",
        onlyCategories: ["performance", "accessibility", "best-practices", "seo"],
        disableFullPageScreenshot: true,
      });
      const lhr = result.lhr;
      line.ok = !lhr.runtimeError;
      line.categories = Object.fromEntries(Object.entries(lhr.categories).map(([id, c]) => [id, c.score]));
      line.audits = Object.fromEntries(AUDITS.map((id) => [id, lhr.audits[id]?.numericValue ?? null]));
      line.benchmarkIndex = lhr.environment.benchmarkIndex;
      line.error = lhr.runtimeError?.message;
      if (keep !== "-") {
        const name = new URL(url).pathname.replace(/^\/site\/?/, "").replace(/\/$/, "").replaceAll("/", "_") || "index";
        fs.writeFileSync(path.join(keep, `${name}.${run}.json`), result.report);
      }
    } catch (error) {
      line.error = String(error?.message ?? error).split("\n")[0];
    } finally {
      await chrome?.kill();
    }
    console.log(JSON.stringify(line));
  }
}
