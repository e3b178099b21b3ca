"""The request protocol: its version and the limits on every field, stated once.

The engine checks requests against these, the renderer writes them into the HTML form
fields (`max`, `maxlength`) and onto each widget (`data-wm-v`), so the browser, the CLI
and the engine can never disagree about them.
"""

VERSION = 1

# Sanity limits on input: far above any real workload, low enough to keep answers instant.
MAX_TOKENS = 10_000_000
MAX_REQUESTS = 1_000_000_000_000
MAX_TURNS = 500
MAX_ID_CHARS = 200
MAX_ANSWERS = 50
MAX_STATE_CHARS = 4_000  # a shared link's saved answers, base64url
SCREEN_MAX_CHARS = 20_000  # one message to screen for prompt injection

# Bounds on a question flow, a site's own data included: loading refuses a flow past them,
# so the whole flow drawn on its page (tree, picture, outline) stays small and quick.
MAX_FLOW_QUESTIONS = 100
MAX_FLOW_DEPTH = MAX_ANSWERS  # questions on one path: a longer one couldn't be answered in one request
MAX_QUESTION_ANSWERS = 10
# An id in the data (question, verdict, signal, stage, answer value...): a slug, so it reads the
# same in a class name, a shared link, a CLI flag and an HTML id.
ID_PATTERN = r"[a-z0-9][a-z0-9._-]*"

# A folder scanned in the browser ("Check my project"): how many files one request may carry,
# how long a path may be, and how much text all of them may hold together.
SCAN_MAX_FILES = 20_000
SCAN_MAX_PATH_CHARS = 1_000
SCAN_MAX_CHARS = 40_000_000
