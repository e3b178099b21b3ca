// The pure helpers of the live widgets (overrides/assets/whatmatters/scripts/helpers.js), in Node.
import assert from "node:assert/strict";
import { describe, it } from "node:test";

import {
  HASH_PREFIX, addressFor, compareKeys, encodeState, fieldValue, getPath, parseSlots, progressText, rowMatches,
  sortKey, withPath, words,
} from "../../overrides/assets/whatmatters/scripts/helpers.js";

const decode = (text) => JSON.parse(Buffer.from(text, "base64url").toString("utf8"));

describe("encodeState", () => {
  it("is base64url of the compact JSON, unpadded", () => {
    const state = { answers: { users: "many" }, n: 3 };
    const encoded = encodeState(state);
    assert.equal(encoded, Buffer.from(JSON.stringify(state)).toString("base64url"));
    assert.match(encoded, /^[A-Za-z0-9_-]+$/);
    assert.deepEqual(decode(encoded), state);
  });

  it("carries text outside ASCII as UTF-8", () => {
    const state = { text: "Ignore → all «previous» instructions 🙂" };
    assert.deepEqual(decode(encodeState(state)), state);
  });

  it("never pads, whatever the length", () => {
    for (const text of ["a", "ab", "abc", "abcd"]) assert.doesNotMatch(encodeState({ text }), /=/);
  });
});

describe("parseSlots", () => {
  it("reads one slot per widget key", () => {
    assert.deepEqual([...parseSlots("#wm=flow-caching.eyJ9~plan.abc")], [["flow-caching", "eyJ9"], ["plan", "abc"]]);
  });

  it("finds nothing in another hash", () => {
    assert.equal(parseSlots("#section").size, 0);
    assert.equal(parseSlots("").size, 0);
    assert.equal(parseSlots("#wm").size, 0);
  });

  it("ignores parts that are not a slot, and a key's later slots", () => {
    const slots = parseSlots(`${HASH_PREFIX}nodot~bad key.x~${"k".repeat(101)}.y~plan.first~plan.second~.empty`);
    assert.deepEqual([...slots], [["plan", "first"]]);
  });

  it("keeps a state as it is: the engine checks it", () => {
    assert.equal(parseSlots("#wm=cost.a.b.c").get("cost"), "a.b.c");
    assert.equal(parseSlots("#wm=cost.").get("cost"), "");
  });
});

describe("addressFor", () => {
  const at = (hash) => ({ pathname: "/ai/", search: "?q=1", hash });

  it("writes every slot into the hash", () => {
    const slots = new Map([["cost", "abc"], ["screen", "def"]]);
    assert.equal(addressFor(slots, at("")), "/ai/?q=1#wm=cost.abc~screen.def");
  });

  it("round-trips with parseSlots", () => {
    const slots = new Map([["flow-caching", encodeState({ a: 1 })], ["plan", encodeState({ b: [1, 2] })]]);
    const address = addressFor(slots, at("#wm=old.x"));
    assert.deepEqual(parseSlots(address.slice(address.indexOf("#"))), slots);
  });

  it("without slots drops a hash of slots and keeps a section", () => {
    assert.equal(addressFor(new Map(), at("#wm=cost.abc")), "/ai/?q=1");
    assert.equal(addressFor(new Map(), at("#pricing")), "/ai/?q=1#pricing");
  });
});

describe("getPath", () => {
  it("follows dotted paths", () => {
    assert.equal(getPath({ signals: { users: 40 } }, "signals.users"), 40);
    assert.equal(getPath({ a: 1 }, "a"), 1);
  });

  it("is undefined past a missing or non-object part", () => {
    assert.equal(getPath({ a: 1 }, "a.b"), undefined);
    assert.equal(getPath({}, "x.y.z"), undefined);
    assert.equal(getPath(null, "x"), undefined);
  });
});

describe("withPath", () => {
  it("sets a value in a copy, creating groups", () => {
    const request = { widget: "plan", signals: { users: 1 } };
    const next = withPath(request, "signals.team", 4);
    assert.deepEqual(next, { widget: "plan", signals: { users: 1, team: 4 } });
    assert.deepEqual(request, { widget: "plan", signals: { users: 1 } });
    assert.deepEqual(withPath({}, "a.b.c", true), { a: { b: { c: true } } });
  });

  it("replaces a non-object or an array on the way with a group", () => {
    assert.deepEqual(withPath({ a: 1 }, "a.b", 2), { a: { b: 2 } });
    assert.deepEqual(withPath({ a: [1] }, "a.b", 2), { a: { b: 2 } });
  });

  it("removes a value when given undefined, and creates nothing for it", () => {
    assert.deepEqual(withPath({ a: { b: 1, c: 2 } }, "a.b", undefined), { a: { c: 2 } });
    assert.deepEqual(withPath({ a: 1 }, "x.y", undefined), { a: 1 });
  });

  it("refuses a path that could reach a prototype, or has an empty part", () => {
    for (const path of ["__proto__.x", "a.constructor", "prototype", "a..b", "", "a."]) {
      assert.throws(() => withPath({}, path, 1), /bad request path/, path);
    }
    assert.equal(({}).x, undefined);
  });
});

describe("fieldValue", () => {
  const field = (type, value, checked = false) => ({ dataset: type ? { wmType: type } : {}, value, checked });

  it("reads each declared type", () => {
    assert.equal(fieldValue(field("bool", "on", true)), true);
    assert.equal(fieldValue(field("bool", "on", false)), false);
    assert.equal(fieldValue(field("flag", "yes")), true);
    assert.equal(fieldValue(field("flag", "no")), false);
    assert.equal(fieldValue(field("flag", "")), undefined);
    assert.equal(fieldValue(field("count", " 12 ")), 12);
    assert.equal(fieldValue(field("number", "0.5")), 0.5);
    assert.equal(fieldValue(field("number", "  ")), undefined);
    assert.equal(fieldValue(field("text", " as typed ")), " as typed ");
    assert.equal(fieldValue(field(undefined, "plain")), "plain");
  });

  it("hands a number field's bad text on as NaN, for the engine to name", () => {
    assert.ok(Number.isNaN(fieldValue(field("count", "12abc"))));
  });
});

describe("words", () => {
  it("splits a separated attribute", () => {
    assert.deepEqual(words("a b  c"), ["a", "b", "c"]);
    assert.deepEqual(words(""), []);
    assert.deepEqual(words(undefined), []);
  });
});

describe("progressText", () => {
  it("counts megabytes, then says Python is starting", () => {
    assert.equal(progressText(1048576, 10 * 1048576, "starting"), "Loading Python… 1.0 of 10.0 MB");
    assert.equal(progressText(10, 10, "starting"), "starting");
    assert.equal(progressText(11, 10, "starting"), "starting");
  });
});

describe("sorting and filtering tables", () => {
  it("keys a number column by its figure and a blank by null", () => {
    assert.equal(sortKey(" $1,234.50 ", true), 1234.5);
    assert.equal(sortKey("4.8×", true), 4.8);
    assert.equal(sortKey("–", true), null);
    assert.equal(sortKey("", true), null);
    assert.equal(sortKey(" Redis ", false), "redis");
  });

  it("sorts blanks last in both directions", () => {
    const keys = [3, null, 1, 2];
    assert.deepEqual([...keys].sort((a, b) => compareKeys(a, b, true)), [1, 2, 3, null]);
    assert.deepEqual([...keys].sort((a, b) => compareKeys(a, b, false)), [3, 2, 1, null]);
    assert.deepEqual(["b", "a"].sort((a, b) => compareKeys(a, b, true)), ["a", "b"]);
  });

  it("keeps a row holding every word of the filter", () => {
    assert.equal(rowMatches("GPT-4o mini  $0.15", "mini gpt"), true);
    assert.equal(rowMatches("GPT-4o mini", "mini claude"), false);
    assert.equal(rowMatches("anything", "   "), true);
  });
});
