#!/usr/bin/env python3
"""Runs the steps of a composite GitHub Action (action.yml) as a runner
would, for the tests: each `run:` step with bash -eo pipefail, its `env:`
and `${{ }}` expressions evaluated against the inputs and a context, and
GitHub's files (GITHUB_OUTPUT, GITHUB_ENV, GITHUB_PATH,
GITHUB_STEP_SUMMARY) read back between steps; `if:` conditions evaluated;
`uses:` steps (other actions) are not run, only listed.

    run_action.py ACTION_DIR CONTEXT.json

CONTEXT.json: {"inputs": {...}, "github": {...}, "runner": {...},
"env": {...}, "cwd": DIR}. Prints one line per step ("run ID", "skip ID",
"uses ID ACTION"), the steps' output goes to stdout and stderr as it
comes; writes the action's outputs to CONTEXT.json's "outputs_file".
Exits 1 when a step failed, as the job would.
"""
import json
import os
import re
import subprocess
import sys

import yaml


class Context:
    def __init__(self, data, defaults):
        self.inputs = dict(defaults)
        self.inputs.update(data.get("inputs", {}))
        self.github = data.get("github", {})
        self.runner = data.get("runner", {})
        self.env = dict(data.get("env", {}))
        self.steps = {}
        self.failed = False

    def lookup(self, path):
        parts = path.split(".")
        root = {"inputs": self.inputs, "github": self.github, "runner": self.runner,
                "env": self.env, "steps": self.steps}.get(parts[0])
        value = root
        for p in parts[1:]:
            value = value.get(p) if isinstance(value, dict) else None
        return "" if value is None else value


TOKEN = re.compile(r"\s*(?:('(?:[^']|'')*')|(&&|\|\||==|!=|!|\(|\))|([A-Za-z_][\w.-]*\(\))|([A-Za-z_][\w.-]*))")


def evaluate(expr, ctx):
    """A GitHub expression: literals, context paths, == != && || ! ( ),
    always() success() failure() cancelled()."""
    out, pos = [], 0
    expr = expr.strip()
    while pos < len(expr):
        m = TOKEN.match(expr, pos)
        if not m:
            raise ValueError("cannot read expression: " + expr)
        pos = m.end()
        string, op, call, name = m.groups()
        if string is not None:
            out.append(repr(string[1:-1].replace("''", "'")))
        elif op is not None:
            out.append({"&&": " and ", "||": " or ", "!": " not "}.get(op, op))
        elif call is not None:
            out.append({"always()": "True", "success()": str(not ctx.failed),
                        "failure()": str(ctx.failed), "cancelled()": "False"}[call])
        elif name in ("true", "false", "null"):
            out.append({"true": "True", "false": "False", "null": "None"}[name])
        else:
            out.append("L(%r)" % name)
    return eval("".join(out), {"__builtins__": {}}, {"L": ctx.lookup})


def substitute(text, ctx):
    return re.sub(r"\$\{\{(.*?)\}\}", lambda m: str(evaluate(m.group(1), ctx)), str(text))


def read_outputs(path):
    """key=value lines and key<<DELIM ... DELIM blocks."""
    values = {}
    with open(path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    i = 0
    while i < len(lines):
        line = lines[i]
        if "<<" in line and ("=" not in line or line.index("<<") < line.index("=")):
            key, delim = line.split("<<", 1)
            j = lines.index(delim, i + 1)
            values[key] = "\n".join(lines[i + 1:j])
            i = j + 1
            continue
        if "=" in line:
            key, value = line.split("=", 1)
            values[key] = value
        i += 1
    return values


def main():
    action_dir, context_file = sys.argv[1], sys.argv[2]
    with open(os.path.join(action_dir, "action.yml"), encoding="utf-8") as f:
        action = yaml.safe_load(f)
    with open(context_file, encoding="utf-8") as f:
        data = json.load(f)
    defaults = {k: str(v.get("default", "")) for k, v in action.get("inputs", {}).items()}
    # Defaults are expressions too (${{ github.token }}).
    ctx = Context(data, {})
    ctx.inputs = {k: substitute(v, ctx) for k, v in defaults.items()}
    ctx.inputs.update(data.get("inputs", {}))
    temp = ctx.runner["temp"]
    path = os.environ["PATH"]
    for n, step in enumerate(action["runs"]["steps"]):
        sid = step.get("id", "step%d" % n)
        cond = step.get("if")
        if cond is not None:
            run_it = bool(evaluate(re.sub(r"^\$\{\{(.*)\}\}$", r"\1", str(cond).strip()), ctx))
        else:
            run_it = not ctx.failed
        if not run_it:
            print("skip " + sid, flush=True)
            continue
        if "uses" in step:
            print("uses %s %s" % (sid, step["uses"]), flush=True)
            continue
        files = {k: os.path.join(temp, "%s-%d" % (k.lower(), n))
                 for k in ("GITHUB_OUTPUT", "GITHUB_ENV", "GITHUB_PATH")}
        for f in files.values():
            open(f, "w").close()
        env = dict(os.environ)
        env.update({"GITHUB_ACTION_PATH": action_dir, "RUNNER_TEMP": temp,
                    "GITHUB_WORKSPACE": data["cwd"], "GITHUB_EVENT_NAME": ctx.github.get("event_name", ""),
                    "PATH": path})
        env.update(ctx.env)
        env.update(files)
        env["GITHUB_STEP_SUMMARY"] = data["summary"]
        for k, v in (step.get("env") or {}).items():
            env[k] = substitute(v, ctx)
        script = substitute(step["run"], ctx)
        print("run " + sid, flush=True)
        rc = subprocess.call(["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", script],
                             cwd=data["cwd"], env=env)
        ctx.steps[sid] = {"outputs": read_outputs(files["GITHUB_OUTPUT"]),
                          "outcome": "success" if rc == 0 else "failure"}
        ctx.env.update(read_outputs(files["GITHUB_ENV"]))
        with open(files["GITHUB_PATH"], encoding="utf-8") as f:
            for p in f.read().split("\n"):
                if p:
                    path = p + os.pathsep + path
        if rc != 0:
            print("failed %s (exit %d)" % (sid, rc), flush=True)
            ctx.failed = True
    outputs = {k: substitute(v["value"], ctx) for k, v in action.get("outputs", {}).items()}
    with open(data["outputs_file"], "w", encoding="utf-8") as f:
        json.dump(outputs, f)
    return 1 if ctx.failed else 0


if __name__ == "__main__":
    sys.exit(main())
