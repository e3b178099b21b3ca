// Injected before any page script (Playwright's init scripts aren't subject to the page's CSP):
// records every Content-Security-Policy violation, and counts the widgets' engine traffic by
// wrapping Worker, so a test can wait for the engine's answers and read what each said.
(() => {
  const probe = window.__wmProbe = { violations: [], asked: 0, answered: 0, answers: [] };
  const ops = new Map();
  document.addEventListener("securitypolicyviolation", (e) => probe.violations.push(
    `${e.effectiveDirective} blocked ${e.blockedURI || "inline"} at ${e.sourceFile}:${e.lineNumber} ${e.sample}`));
  const PageWorker = window.Worker;
  window.Worker = class extends PageWorker {
    constructor(...args) {
      super(...args);
      this.addEventListener("message", ({ data }) => {
        if (!data || data.type !== "response") return;
        const r = data.response || {};
        probe.answers.push({ ok: r.ok, op: ops.get(data.id), code: r.error && r.error.code,
                             message: r.error && r.error.message });
        ops.delete(data.id);
        probe.answered++;
      });
    }
    postMessage(message, ...rest) {
      if (message && message.type === "ask") {
        probe.asked++;
        ops.set(message.id, message.request && message.request.op);
      }
      return super.postMessage(message, ...rest);
    }
  };
})();
