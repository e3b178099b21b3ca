// The widget's hash once the engine has answered: every field in `want` equals the saved one.
([key, want]) => {
  // #wm=<key>.<state>~<key>.<state>: this widget's slot
  if (!location.hash.startsWith("#wm=")) return false;
  const slot = location.hash.slice(4).split("~").find((part) => part.startsWith(key + "."));
  if (slot === undefined) return false;
  const b64 = slot.slice(key.length + 1).replace(/-/g, "+").replace(/_/g, "/");
  const state = JSON.parse(new TextDecoder().decode(Uint8Array.from(atob(b64), (c) => c.charCodeAt(0))));
  const same = (x) => Array.isArray(x) ? "[" + x.map(same).join(",") + "]"
    : x && typeof x === "object"
      ? "{" + Object.keys(x).sort().map((k) => JSON.stringify(k) + ":" + same(x[k])).join(",") + "}"
    : JSON.stringify(x);
  return Object.entries(want).every(([k, v]) => same(state[k]) === same(v));
}
