"""A labelled corpus of small repositories for `whatmatters scan`, written by fixtures.

A line that ends in `plant: RULE` must be found by that rule, at that line; a line marked
`decoy` looks like a problem and must not be flagged; nothing else may be flagged either.
Key-shaped values are put together at run time, so this file holds no secret-shaped text.
"""

from __future__ import annotations

import pathlib
import re

AWS = "AKIA" + "Z7Q4MXW2" * 2
GITHUB = "ghp_" + "aB3dE5fG7h" * 4
LLM = "sk-proj-" + "Qw8eRt5yU2iO" * 3
STRIPE = "sk_" + "live_" + "4eC39HqLyjWDarjtT1zdp7dc"
RANDOM = "".join(["k3J9xQz8", "vLw2Rt6Y", "p0aBn5Mc", "7Df1Gh4"])
SECRET_NAME = "_".join(["SECRET", "KEY"])
PLACEHOLDER = "_".join(["your", "api", "key", "here", "please", "1234"])
PEM = "-----BEGIN " + "RSA PRIVATE KEY-----"
EXAMPLE_AWS = "AKIA" + "IOSFODNN7" + "EXAMPLE"
SENDGRID = ".".join(["SG", "Kq7RzW2pLm" * 2 + "Ab", "Xy4Vb8Nc1Dq" * 3 + "Rt5Yp0aBn5"])  # only detect-secrets knows it
SLACK = "xox" + "b-" + "2231409-8812" + "-Kq7RzW2pLm"
GOOGLE = "".join(["AI", "za", "SyD4x9Qw", "7Lm2Rt5Y", "p8Kb3Nc6", "Vf1Hj0Ge4Ua"])

REPOS: dict[str, dict[str, str]] = {
    # A Django app with one of each basic problem, and a decoy beside most of them.
    "django-app": {
        "app/settings.py": f"""import os
DEBUG = True  # plant: debug-mode-on
{SECRET_NAME} = "{RANDOM}"  # plant: secret-assignment
DATABASE_PASSWORD = os.environ["DB_PASSWORD"]  # decoy
API_KEY = "{PLACEHOLDER}"  # decoy
AWS_ACCESS_KEY_ID = "{AWS}"  # plant: aws-access-key
INSTALLED_APPS = ["django.contrib.admin"]
""",
        "app/views.py": """from django.db import connection
def user(uid, name):
    cur = connection.cursor()
    cur.execute(f"SELECT * FROM users WHERE id = {uid}")  # plant: sql-built-from-strings
    cur.execute("SELECT * FROM users WHERE id = %s", (uid,))  # decoy
    cur.execute("DELETE FROM users WHERE name = '%s'" % name)  # plant: sql-built-from-strings
    cur.execute("UPDATE users SET name = ? WHERE id = ?", [name, uid])  # decoy
    return mark_safe(name)  # plant: raw-html
def backup(path):
    import os, subprocess
    os.system("tar czf /tmp/b.tgz " + path)  # plant: shell-built-from-strings
    subprocess.run(["tar", "czf", "/tmp/b.tgz", path])  # decoy
FEED = "http://feeds.partner-news.com/rss"  # plant: plain-http-url
DEV = "http://localhost:8000/api"  # decoy
LOOP = "http://127.0.0.1:9000/"  # decoy
""",
        "templates/page.html": """<svg xmlns="http://www.w3.org/2000/svg" width="10"></svg>  <!-- decoy -->
<p>{{ comment|safe }}</p>  <!-- plant: raw-html -->
<p>{{ comment }}</p>  <!-- decoy -->
""",
        "tests/test_keys.py": f"""KEY = "{EXAMPLE_AWS}"  # decoy
TOKEN = "{RANDOM}"  # decoy
URL = "http://api.partner-news.com/"  # decoy
""",
        "docs/setup.md": "Read http://old-docs.partner-news.com for history.  <!-- decoy -->\n",
        ".env": "# plant: committable-secret-file\nDB_PASSWORD=hunter2hunter2\n",
        ".env.example": "DB_PASSWORD=  # decoy\n",
        "requirements.txt": "django==5.1\npsycopg[binary]\n",
    },
    # A Node front end that calls an LLM from the browser, and a server that does it right.
    "node-llm": {
        "package.json": """{
  "name": "chat",
  "dependencies": {
    "openai": "^4.0.0",
    "next-auth": "^5.0.0",
    "react": "^19.0.0"
  }
}
""",
        "src/components/Chat.jsx": """import OpenAI from "openai";  // plant: paid-sdk-in-browser
const client = new OpenAI({ apiKey: process.env.NEXT_PUBLIC_OPENAI_KEY, dangerouslyAllowBrowser: true });  // plant: paid-key-in-browser
export function Reply({ html, text }) {
  return <div dangerouslySetInnerHTML={{ __html: html }} />;  // plant: raw-html
}
export const Safe = ({ text }) => <p>{text}</p>;  // decoy
""",
        "server/chat.js": f"""import OpenAI from "openai";  // decoy
const openai = new OpenAI({{ apiKey: process.env.OPENAI_API_KEY }});  // decoy
const leaked = "{LLM}";  // plant: llm-api-key
const gh = "{GITHUB}";  // plant: github-token
export async function find(db, id) {{
  return db.query(`SELECT * FROM chats WHERE id = ${{id}}`);  // plant: sql-built-from-strings
}}
export async function safe(db, id) {{
  return db.query("SELECT * FROM chats WHERE id = $1", [id]);  // decoy
}}
export function show(el, text) {{
  el.textContent = text;  // decoy
  el.innerHTML = text;  // plant: raw-html
}}
""",
        "config/billing.yml": f"stripe_key: {STRIPE}  # plant: stripe-secret-key\nwebhook: https://api.stripe.com/v1  # decoy\n"
        f"slack: {SLACK}  # plant: slack-token\nmaps: {GOOGLE}  # plant: google-api-key\n"
        f"mail: {SENDGRID}  # plant: detect-secrets\n",
        "certs/server.pem": f"{PEM}  # plant: private-key-block, plant: committable-secret-file\n",
    },
    # One deployable and a Kubernetes cluster for it: more than it needs.
    "one-service-k8s": {
        "app.py": "from flask import Flask\napp = Flask(__name__)\nif __name__ == '__main__':\n    app.run()\n",
        "requirements.txt": "flask==3.0\nredis==5.0\n",
        "k8s/deployment.yaml": """apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 3
---
apiVersion: v1
kind: Service
metadata:
  name: web
""",
        "Procfile": "web: gunicorn app:app\n",
    },
    # A clean repository: nothing to find at all.
    "clean": {
        "main.py": 'import subprocess\nprint("hello")\nsubprocess.run(["ls", "-l"])  # decoy\n',
        "README.md": "See http://example.com and http://partner-news.com/old.  <!-- decoy -->\n",
        "schema.json": '{"$schema": "http://json-schema.org/draft-07/schema#"}\n',
        ".gitignore": ".env\n",
        ".env": "SECRET=abc\n",
    },
}

_PLANT = re.compile(r"plant: ([a-z0-9-]+)")


def write(root: pathlib.Path, name: str) -> pathlib.Path:
    repo = root / name
    for path, text in REPOS[name].items():
        (repo / path).parent.mkdir(parents=True, exist_ok=True)
        (repo / path).write_text(text, encoding="utf-8")
    return repo


def planted(name: str) -> set[tuple[str, str, int]]:
    """(rule, file, line) of every planted problem in repository `name`."""
    out = set()
    for path, text in REPOS[name].items():
        for i, line in enumerate(text.split("\n"), 1):
            for m in _PLANT.finditer(line):
                out.add((m[1], path, i))
    return out


def decoys(name: str) -> set[tuple[str, int]]:
    return {
        (path, i) for path, text in REPOS[name].items() for i, line in enumerate(text.split("\n"), 1) if "decoy" in line
    }
