// Lints the shipped scripts and the JS unit tests (#23): `npx eslint`. Recommended rules, browser globals.
import js from "@eslint/js";
import globals from "globals";

export default [
  // decision/_runtime/: the prebuilt runtime the build hook copies from the npm pyodide package (gitignored).
  { ignores: ["node_modules/", "site/", ".venv/", "bench/", "tools/", "decision/_runtime/", "decision/_runtime.partial/"] },
  js.configs.recommended,
  {
    files: ["overrides/assets/whatmatters/**/*.js"],
    languageOptions: { sourceType: "module", globals: { ...globals.browser } },
  },
  {
    files: ["overrides/assets/whatmatters/scripts/serve.js"],
    languageOptions: { globals: { ...globals.worker } },
  },
  {
    files: ["decision/integrations/embed.js"],
    languageOptions: { sourceType: "script", globals: { ...globals.browser } },
  },
  {
    files: ["tests/js/**/*.mjs", "tests/helpers/*.mjs", "decision/**/*.mjs"],
    languageOptions: { sourceType: "module", globals: { ...globals.node } },
  },
  {
    // The tests' page probes: expressions Playwright evaluates in the page.
    files: ["tests/helpers/js/*.js"],
    languageOptions: { sourceType: "script", globals: { ...globals.browser } },
  },
];
