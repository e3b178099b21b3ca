// @ts-check
// What Matters When: the pure helpers of the live widgets. Nothing here touches the page, the
// address or the network, so Node runs the unit tests of every function (tests/js/).

// --- shared links: #wm=<key>.<state>~<key>.<state>, one slot per widget of the page ------
// <key> is the widget element's id without "wm-" (unique on its page); <state> is the
// base64url JSON of that widget's state. The address is untrusted: parts that aren't a
// slot are ignored, and the engine's `restore` checks every state.

export const HASH_PREFIX = "#wm=";
export const SLOT_SEPARATOR = "~";
export const KEY_PATTERN = /^[A-Za-z0-9_-]{1,100}$/;

/**
 * A widget's state as a link carries it: base64url of its compact JSON, UTF-8, unpadded.
 * @param {unknown} state
 * @returns {string}
 */
export function encodeState(state) {
  const bytes = new TextEncoder().encode(JSON.stringify(state));
  let binary = "";
  bytes.forEach((b) => { binary += String.fromCharCode(b); });
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

/**
 * The slots an address's hash holds, by widget key; the first slot of a key wins.
 * @param {string} hash the address's hash, "#wm=..." (anything else holds no slot)
 * @returns {Map<string, string>}
 */
export function parseSlots(hash) {
  /** @type {Map<string, string>} */
  const slots = new Map();
  if (!hash.startsWith(HASH_PREFIX)) return slots;
  for (const part of hash.slice(HASH_PREFIX.length).split(SLOT_SEPARATOR)) {
    const dot = part.indexOf(".");
    const key = dot < 0 ? part : part.slice(0, dot);
    if (dot < 0 || !KEY_PATTERN.test(key) || slots.has(key)) continue;
    slots.set(key, part.slice(dot + 1));
  }
  return slots;
}

/**
 * The address (path, query and hash) of `location` with these slots as its hash. Without
 * slots, a hash of slots is dropped and any other hash (a section) kept.
 * @param {Map<string, string>} slots
 * @param {{pathname: string, search: string, hash: string}} location
 * @returns {string}
 */
export function addressFor(slots, { pathname, search, hash }) {
  const parts = [...slots].map(([key, state]) => `${key}.${state}`);
  return pathname + search + (parts.length ? HASH_PREFIX + parts.join(SLOT_SEPARATOR)
    : hash.startsWith(HASH_PREFIX) ? "" : hash);
}

// --- requests: dotted paths in, form fields read as the HTML declares them ----------------

const UNSAFE_PARTS = new Set(["__proto__", "constructor", "prototype"]);

/**
 * The value at a dotted path ("signals.users"), or undefined.
 * @param {any} object
 * @param {string} path
 * @returns {any}
 */
export function getPath(object, path) {
  let node = object;
  for (const part of path.split(".")) node = node && typeof node === "object" ? node[part] : undefined;
  return node;
}

/**
 * A copy of `object` with `path` set to `value` (or removed when `value` is undefined).
 * A path with an empty part or a prototype's name is refused.
 * @param {any} object
 * @param {string} path
 * @param {unknown} value
 * @returns {any}
 */
export function withPath(object, path, value) {
  const parts = path.split(".");
  if (parts.some((part) => !part || UNSAFE_PARTS.has(part))) throw new Error(`bad request path ${path}`);
  const copy = structuredClone(object);
  let node = copy;
  for (const part of parts.slice(0, -1)) {
    if (!node[part] || typeof node[part] !== "object" || Array.isArray(node[part])) {
      if (value === undefined) return copy;
      node[part] = {};
    }
    node = node[part];
  }
  const last = parts[parts.length - 1];
  if (value === undefined) delete node[last];
  else node[last] = value;
  return copy;
}

/**
 * What a form field says, read as its data-wm-type declares: bool (a checkbox), flag ("yes",
 * "no" or unset), count and number (unset when empty), text.
 * @param {{dataset: {wmType?: string}, checked?: boolean, value: string}} field
 * @returns {string | number | boolean | undefined}
 */
export function fieldValue(field) {
  const type = field.dataset.wmType || "text";
  if (type === "bool") return field.checked;
  if (type === "flag") return field.value === "" ? undefined : field.value === "yes";
  if (type === "count" || type === "number") return field.value.trim() === "" ? undefined : Number(field.value);
  return field.value;
}

/**
 * The split words of a separated attribute ("a b  c" -> ["a", "b", "c"]).
 * @param {string | undefined} text
 * @returns {string[]}
 */
export function words(text) {
  return (text || "").split(" ").filter(Boolean);
}

/**
 * The loading line: "Loading Python… 1.2 of 9.8 MB", then, once every byte is in, `starting`.
 * @param {number} loaded
 * @param {number} total
 * @param {string} starting
 * @returns {string}
 */
export function progressText(loaded, total, starting) {
  const mb = (/** @type {number} */ n) => (n / 1048576).toFixed(1);
  // Once every byte is in, Python still has to start: say so rather than sit at "10 of 10 MB".
  return loaded >= total ? starting : `Loading Python… ${mb(loaded)} of ${mb(total)} MB`;
}

/**
 * A sortable table's key for one cell: a number column (wm-num) sorts by its figure ($1,234.50,
 * 4.8×) and "–" or an empty cell by null; other columns by their lower-cased text.
 * @param {string} text the cell's text
 * @param {boolean} numeric
 * @returns {string | number | null}
 */
export function sortKey(text, numeric) {
  const trimmed = text.trim();
  if (!numeric) return trimmed.toLowerCase();
  const figure = Number(trimmed.replace(/[$,×\s]/g, ""));
  return trimmed && Number.isFinite(figure) ? figure : null;
}

/**
 * Compare two sort keys; nulls (blanks) go last whichever the direction.
 * @param {string | number | null} x
 * @param {string | number | null} y
 * @param {boolean} up ascending
 * @returns {number}
 */
export function compareKeys(x, y, up) {
  if (x === null || y === null) return x === y ? 0 : x === null ? 1 : -1;
  return (x < y ? -1 : x > y ? 1 : 0) * (up ? 1 : -1);
}

/**
 * Whether a row's text holds every word of a filter (case-insensitive; no words: every row).
 * @param {string} rowText
 * @param {string} filter
 * @returns {boolean}
 */
export function rowMatches(rowText, filter) {
  const text = rowText.toLowerCase();
  return filter.toLowerCase().split(/\s+/).filter(Boolean).every((word) => text.includes(word));
}
