"""The scripts the hostile-input gate runs in each Chromium tab: checks, field and hash runs, a tab's start."""

from __future__ import annotations

# --- the live widgets, in Chromium -------------------------------------------------------

# Shared by both runs: what must hold after every step. Returns a list of problems.
_CHECKS = """
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const norm = (s) => s.replace(/\\r\\n?/g, "\\n").replace(/[\\0\\uFFFD]/g, "");
const SENTENCE = /[.?!]$/;
const EMBEDDED = "script, iframe, frame, frameset, object, embed, img, image, video, audio, source, " +
  "link, meta, style, base, form form, math, template";

function sentence(text) {
  return typeof text === "string" && text.trim() !== "" && SENTENCE.test(text.trim()) &&
    !/Traceback|File "|\\.py", line/.test(text);
}

// `echo`: the id of the widget that was given `payload`, whose quotes must come from it.
function inspect(step, payload, answers, vocab, echo) {
  const problems = [];
  const say = (what) => problems.push(`${step}: ${what}`);
  for (const answer of answers) {
    if (answer.ok === true) continue;
    if (answer.ok !== false || !answer.code || !sentence(answer.message)) {
      say(`unfriendly answer ${JSON.stringify(answer)}`);
    } else if (answer.code === "internal") say(`the engine's catch-all answered: ${answer.message}`);
  }
  for (const widget of document.querySelectorAll(".wm-widget")) {
    for (const el of [widget, ...widget.querySelectorAll("*")]) {
      const tag = el.tagName.toLowerCase();
      if (!vocab.tags.includes(tag)) say(`<${tag}> appeared in #${widget.id}`);
      // widget.js gives the screener's "Report a miss" link its address (an https issue form on
      // the site's repository) and opens it in a new tab: those three attributes are its own.
      const issueLink = tag === "a" && el.hasAttribute("data-wm-issue-title") &&
        /^https:[/][/][^/]+[/][^?#]+[/]issues[/]new[?]/.test(el.getAttribute("href") || "");
      for (const name of el.getAttributeNames()) {
        if (issueLink && ["href", "target", "rel"].includes(name.toLowerCase())) continue;
        if (!vocab.attributes.includes(name.toLowerCase())) say(`<${tag} ${name}> appeared in #${widget.id}`);
      }
    }
    const status = widget.querySelector(".wm-status");
    if (status && status.textContent && !sentence(status.textContent)) {
      say(`status isn't a sentence: ${status.textContent}`);
    }
    if (widget.id !== echo) continue;
    for (const quote of widget.querySelectorAll(".wm-hits q")) {
      if (!norm(payload).includes(norm(quote.textContent))) say(`quoted text isn't the reader's: ${quote.textContent}`);
    }
  }
  for (const el of document.querySelectorAll("*")) {
    for (const name of el.getAttributeNames()) if (/^on/i.test(name)) say(`<${el.tagName} ${name}> in the page`);
  }
  // The guide's pages hold none of these in their text: any one is an injection.
  for (const el of document.querySelectorAll(`.md-content article :is(${EMBEDDED})`)) {
    say(`<${el.tagName}> appeared in the page`);
  }
  return problems;
}

// Wait until the engine has been asked `wantAsked` times in all and has answered everything.
async function quiet(from, wantAsked, step) {
  const probe = window.__wmProbe;
  window.__gateStep = step;
  for (let waited = 0; waited < 30000; waited += 5) {
    if (probe.asked >= wantAsked && probe.asked === probe.answered) {
      await sleep(15);
      if (probe.asked === probe.answered) return probe.answers.slice(from);
    }
    await sleep(5);
  }
  throw new Error(`${step}: no answer within 30 s (asked ${probe.asked}, answered ${probe.answered})`);
}
"""

# Every hostile string into every field of every widget on this page. Text fields get one
# engine answer per string. A number field only ever holds what the browser's number parser
# accepts, so every string is typed in, in one burst, and the engine is then asked about
# each distinct value the field kept.
_FIELDS_RUN = """
async ({ payloads, vocab, text, numbers }) => {
  const probe = window.__wmProbe;
  const widgets = [...document.querySelectorAll("[data-wm-widget]")]
    .filter((w) => w.querySelector("form[data-wm-form]"));
  const fields = (w, kind) => [...w.querySelectorAll(kind === "number"
    ? "form[data-wm-form] input[type=number]"
    : "form[data-wm-form] :is(textarea, input[type=text], input[type=search], input[type=hidden], input:not([type]))")];
  const original = new Map(widgets.flatMap((w) => [...fields(w, "text"), ...fields(w, "number")])
    .map((f) => [f, f.value]));
  const report = { inputs: 0, rounds: 0, answers: 0, problems: [], fields: 0, echoed: 0, text };
  const type = (field, value) => {
    field.value = value;
    field.dispatchEvent(new Event("input", { bubbles: true }));
    report.inputs++;
  };
  const reset = () => { for (const [field, value] of original) field.value = value; };

  // One round: reset every form, set some fields, wait for each touched widget's answer, check.
  async function round(settings, payload, step) {
    reset();
    const from = probe.answers.length, before = probe.asked;
    const touched = new Set(settings.map(([field]) => field.closest("[data-wm-widget]")));
    for (const [field, value] of settings) type(field, value);
    const answers = await quiet(from, before + touched.size, step);
    report.rounds++;
    report.answers += answers.length;
    const echo = [...touched].find((w) => settings.some(([f]) => f.tagName === "TEXTAREA" && w.contains(f)));
    report.problems.push(...inspect(step, payload, answers, vocab, echo && echo.id));
    for (const w of touched) {
      for (const field of fields(w, "text")) {
        if (field.tagName === "TEXTAREA" && settings.some(([f]) => f === field)) {
          if (norm(field.value) !== norm(payload)) {
            report.problems.push(`${step}: the text box no longer shows what was typed`);
          } else report.echoed++;
        }
      }
    }
  }

  const textSlots = Math.max(0, ...widgets.map((w) => fields(w, "text").length));
  const numberSlots = Math.max(0, ...widgets.map((w) => fields(w, "number").length));
  report.fields = widgets.reduce((n, w) => n + fields(w, "text").length + fields(w, "number").length, 0);
  for (let slot = 0; text && slot < textSlots; slot++) {
    for (const [i, payload] of payloads.entries()) {
      const settings = widgets.map((w) => fields(w, "text")[slot]).filter(Boolean).map((f) => [f, payload]);
      await round(settings, payload, `text field ${slot}, string ${i}`);
    }
  }
  for (let slot = 0; numbers && slot < numberSlots; slot++) {
    const slotFields = widgets.map((w) => fields(w, "number")[slot]).filter(Boolean);
    // What the widget would send for what each field kept (Number of it, or nothing if empty)
    // -> one of the strings that left it so.
    const kept = new Map();
    for (const payload of payloads) {
      for (const field of slotFields) {
        type(field, payload);
        const sent = JSON.stringify(field.value.trim() === "" ? null : Number(field.value));
        if (!kept.has(sent)) kept.set(sent, payload);
      }
    }
    for (const [value, payload] of kept) {
      await round(slotFields.map((f) => [f, payload]), payload, `number field ${slot}, value ${value}`);
    }
  }
  reset();
  report.violations = probe.violations;
  return report;
}
"""

# Every hostile string in a shared link, followed by instant navigation (one document, one
# runtime): in the screen widget's link (which echoes it), as every saved field of another
# widget's link, and every fourth string raw, where the encoded state belongs.
_HASH_RUN = """
async ({ payloads, vocab, targets }) => {
  const probe = window.__wmProbe;
  const report = { links: 0, restores: 0, answers: 0, problems: [], echoed: 0 };
  const b64url = (text) => {
    let binary = "";
    new TextEncoder().encode(text).forEach((b) => { binary += String.fromCharCode(b); });
    return btoa(binary).replace(/\\+/g, "-").replace(/\\//g, "_").replace(/=+$/, "");
  };
  const plain = targets.find((t) => t.plain);

  // Follow a link the way a reader's click does, and wait until Material has swapped the page in.
  async function follow(url, step) {
    window.__gateStep = `${step}: following ${url.slice(0, 120)}`;
    const container = document.querySelector("[data-md-component=container]");
    const link = document.createElement("a");
    link.href = url;
    document.body.append(link);
    link.click();
    link.remove();
    for (let waited = 0; document.querySelector("[data-md-component=container]") === container; waited += 5) {
      if (waited > 30000) throw new Error(`${step}: the page didn't change within 30 s`);
      await sleep(5);
    }
    report.links++;
  }

  async function open(target, saved, payload, step) {
    if (location.pathname === new URL(target.url).pathname) await follow(plain.url, step);
    const from = probe.answers.length;
    await follow(`${target.url}#wm=${target.key}.${saved}`, step);
    window.__gateStep = `${step}: waiting for the link to be read`;
    for (let waited = 0; !probe.answers.slice(from).some((a) => a.op === "restore"); waited += 5) {
      if (waited > 60000) throw new Error(`${step}: the link was never read`);
      await sleep(5);
    }
    const answers = await quiet(from, 0, step);
    report.restores++;
    report.answers += answers.length;
    const restored = answers.find((a) => a.op === "restore");
    // A link the engine refused leaves the widget on its example: only a restored one echoes.
    report.problems.push(...inspect(step, payload, answers, vocab, restored.ok ? `wm-${target.key}` : null));
    return restored;
  }

  const screen = targets.find((t) => t.key === "screen");
  const others = targets.filter((t) => !t.plain && t !== screen);
  for (const [i, payload] of payloads.entries()) {
    // The screen widget echoes text: restored from a link, it must show the string as it was.
    const restored = await open(screen, b64url(JSON.stringify({ text: payload })), payload,
                                `screen link, string ${i}`);
    if (restored.ok) {
      const box = document.querySelector("#wm-screen textarea");
      if (!box || norm(box.value) !== norm(payload)) {
        const shown = JSON.stringify(box && box.value.slice(0, 80));
        report.problems.push(`screen link, string ${i}: the text box shows ${shown}`);
      } else report.echoed++;
    }
    const target = others[i % others.length];
    const state = Object.fromEntries(target.stateKeys.map((key) => [key, payload]));
    await open(target, b64url(JSON.stringify(state)), payload, `${target.key} link, string ${i}`);
    if (i % 4 === 0) {
      const elsewhere = others.filter((t) => t.path !== target.path && t.path !== screen.path);
      await open(elsewhere[(i / 4) % elsewhere.length], payload, payload, `raw link, string ${i}`);
    }
  }
  report.violations = probe.violations;
  return report;
}
"""

# Start a run without waiting for it, so that several tabs work at once; it leaves its
# report in window.__gate.
_START = """arg => {{
{checks}
const run = {run};
window.__gate = null;
run(arg).then((report) => {{ window.__gate = report; }},
              (error) => {{ window.__gate = {{ crashed: String(error.stack || error) }}; }});
}}"""


# Markup slipped into a live widget's body, as a renderer that forgot to escape would put it.
_PLANT = """({{ html, vocab }}) => {{
{checks}
document.querySelector("#wm-screen .wm-body").insertAdjacentHTML("beforeend", html);
return inspect("planted", "", [], vocab, null);
}}"""
