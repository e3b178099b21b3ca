// @ts-check
// What Matters When: the sentences the live widgets show readers (tests read this table).

export const NOTES = {
  failed: "The interactive version couldn't start here, so this is the static version.",
  retry: "Try again",
  stale: "A new version of this page is out; reload to use the interactive version.",
  reload: "Reload the page",
  badLink: "The answers saved in this link couldn't be used, so the widget starts from its example.",
  saveData: "Load the interactive version",
  copied: "Copied.",
  notCopied: "Couldn't copy; your browser blocked the clipboard.",
  tooLong: "This result is too long to share as a link.",
  starting: "Downloaded; starting Python…",
  outdated: "These figures are for what you entered before; correct the marked field to update them.",
};

export const TABLE_WORDS = {
  filter: "Filter the rows",
  shown: (/** @type {number} */ n, /** @type {number} */ of) => `${n} of ${of} rows shown.`,
};
