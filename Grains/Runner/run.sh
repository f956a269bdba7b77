#!/usr/bin/env bash
# The runner: uploaded into a sandbox with the task and a bundle of the repository, and started in the background by
# the service, with the sandbox's working directory ($SANDBOX_DIR below) as its cwd. It needs bash, git, coreutils,
# grep and awk; nothing else. It never talks to a git remote and never holds a credential: the service pushes.
#
# Contract (kept in step with RunnerFiles and RunnerEnvironment in this folder):
#   Environment
#     RUN_BRANCH            branch to create, e.g. agent/issue-12-ab12cd34
#     RUN_BASE_BRANCH       the repository's default branch, e.g. main
#     RUN_BASE_COMMIT       the commit the run starts from; the base bundle holds it
#     RUN_ISSUE_NUMBER      the issue's number
#     AGENT_COMMAND         command line run with `bash -c` in the checkout; it gets AGENT_TASK_FILE (absolute path of
#                           the task) and inherits every other variable the service passed
#     RUN_COMMIT_MESSAGE    optional; default "Agent changes for issue #N"
#     GIT_AUTHOR_NAME/EMAIL optional; default sandbox-agent / sandbox-agent@users.noreply.github.com; also the committer
#     AGENT_MODEL, AGENT_MAX_TURNS, AGENT_MAX_BUDGET_USD
#                           the run's model (empty: the agent's default) and limits; the default AGENT_COMMAND uses them
#     RUN_WRAP_UP_GRACE_SECONDS
#                           once .agent-run/stop appears: seconds between asking the agent to stop (SIGTERM to its
#                           process group) and ending it (SIGKILL); default 60
#   Files, relative to $SANDBOX_DIR
#     .agent-run/task.md           in: the task
#     .agent-run/base.bundle       in: a git bundle with one ref at RUN_BASE_COMMIT; deleted once cloned
#     .agent-run/setup/NN          in, optional: setup commands (01, 02, ...), each run in order with `bash` in the
#                                  checkout before the agent; the first that fails ends the run ("setup" error)
#     .agent-run/setup.env         in, optional: NAME=value entries, each ended by a NUL byte, exported to the setup
#                                  commands only; the runner itself never reads it into its own memory, deletes it
#                                  before the agent starts, and ends every process the setup left behind first
#     .agent-run/validate/NN       in, optional: validate commands, each run in the checkout after the agent, all of
#                                  them whatever the exit codes, each recorded
#     .agent-run/stop              in, optional, any time: the service's request that the agent stop (the deadline);
#                                  the runner signals it, waits RUN_WRAP_UP_GRACE_SECONDS, then commits what exists
#     repo/                        out: the checkout the agent works in
#     .agent-run/agent-output.log  out: the agent's stdout and stderr (also copied to the runner's stdout)
#     .agent-run/changes.bundle    out, when there are commits: refs/heads/$RUN_BRANCH, from RUN_BASE_COMMIT
#     .agent-run/result.json       out, always, written atomically (tmp + mv), one line:
#       {"outcome":"committed"|"no_changes"|"error","branch":"...","baseBranch":"main"|null,"commit":"<sha>"|null,
#        "commits":N,"agentExitCode":N|null,"error":"<step>: <reason>"|null,"agentResult":{...}|null,
#        "setup":{"command":"...","exitCode":N,"durationMs":N,"tail":"..."}|null,
#        "validation":[{"command":"...","exitCode":N,"durationMs":N,"tail":"..."}, ...]|null,
#        "stoppedEarly":true|false}
#       setup is null when there were no setup commands; its command is the failing one, or the last one; tail is the
#       last lines of output (up to 30). validation is null when there were no validate commands. stoppedEarly: the
#       agent was asked to stop (.agent-run/stop) before it ended by itself.
#       agentResult is, verbatim, the last output line that is a JSON object whose top-level "type" is "result" (the
#       Claude Code CLI's final message). The agent's exit code never makes the outcome "error": the service judges it.
#   Exit code: 0 when result.json was written, non-zero only when even that failed.
#
# Everything here runs inside the sandbox, where the agent may have left processes, git configuration, hooks or
# filters behind: nothing of the service is here for them to take. The service checks the bundle it takes back out.
set -Eeuo pipefail

# Prints the last line of a log that is one JSON object whose top-level "type" is "result". It checks the JSON
# grammar itself (bash has no JSON parser) so that a malformed or crafted line can never corrupt result.json.
read -r -d '' FIND_RESULT_LINE <<'AWK' || true
function str(s, i,   c) {   # s[i] is '"': index just past the string's closing quote, or 0
  for (i++; i <= n; i++) {
    c = substr(s, i, 1)
    if (c == "\"") return i + 1
    if (c ~ ctl || c == "\t") return 0
    if (c == "\\") {
      c = substr(s, ++i, 1)
      if (c == "u") { if (substr(s, i + 1, 4) !~ /^[0-9a-fA-F][0-9a-fA-F][0-9a-fA-F][0-9a-fA-F]$/) return 0; i += 4 }
      else if (index("\"\\/bfnrt", c) == 0 || c == "") return 0
    }
  }
  return 0
}
function is_result(s,   i, j, c, state, depth, stack, type_key, found) {
  n = length(s); i = 1; depth = 0; state = "V"
  while (i <= n) {
    c = substr(s, i, 1)
    if (c == " " || c == "\t") { i++; continue }
    if (depth == 0 && (state == "N" || c != "{")) return 0
    if (state == "V" || state == "A") {                       # a value; A: or ']' right after '['
      was_type = type_key; type_key = 0
      if (c == "]" && state == "A") { depth--; state = "N"; i++ }
      else if (c == "{") { stack[++depth] = "{"; state = "O"; i++ }
      else if (c == "[") { stack[++depth] = "["; state = "A"; i++ }
      else if (c == "\"") {
        j = str(s, i); if (!j) return 0
        if (was_type && depth == 1 && substr(s, i, j - i) == "\"result\"") found = 1
        i = j; state = "N"
      }
      else if (match(substr(s, i), /^(-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?|true|false|null)/)) { i += RLENGTH; state = "N" }
      else return 0
    }
    else if (state == "O" || state == "K") {                  # a key; O: or '}' right after '{'
      if (c == "}" && state == "O") { depth--; state = "N"; i++; continue }
      if (c != "\"") return 0
      j = str(s, i); if (!j) return 0
      type_key = depth == 1 && substr(s, i, j - i) == "\"type\""
      i = j; state = "C"
    }
    else if (state == "C") { if (c != ":") return 0; state = "V"; i++ }
    else if (c == ",") { state = stack[depth] == "{" ? "K" : "V"; i++ }
    else if ((c == "}" && stack[depth] == "{") || (c == "]" && stack[depth] == "[")) { depth--; i++ }
    else return 0
  }
  return depth == 0 && state == "N" && found
}
BEGIN { ctl = "[\001-\010\012-\037]" }
{ line = $0; sub(/\r$/, "", line); sub(/^[ \t]+/, "", line); sub(/[ \t]+$/, "", line); if (is_result(line)) last = line }
END { if (last != "") print last }
AWK

# A JSON string literal: quotes, backslashes and every control character escaped.
json_string() {
  local s=$1 i oct char hex
  s=${s//\\/\\\\}; s=${s//\"/\\\"}
  s=${s//$'\n'/\\n}; s=${s//$'\r'/\\r}; s=${s//$'\t'/\\t}; s=${s//$'\b'/\\b}; s=${s//$'\f'/\\f}
  for i in {1..31}; do
    printf -v oct '%03o' "$i"; printf -v char "\\$oct"
    if [[ $s == *"$char"* ]]; then printf -v hex '\\u%04x' "$i"; s=${s//"$char"/$hex}; fi
  done
  printf '"%s"' "$s"
}

json_or_null() { if [[ -n $1 ]]; then json_string "$1"; else printf 'null'; fi; }

write_result() {
  local tmp="$run_dir/result.json.tmp"
  [[ $commits =~ ^[0-9]+$ ]] || commits=0
  [[ $agent_exit =~ ^[0-9]+$ ]] || agent_exit=""
  [[ $outcome == error ]] || error=""
  mkdir -p "$run_dir" &&
    printf '{"outcome":%s,"branch":%s,"baseBranch":%s,"commit":%s,"commits":%d,"agentExitCode":%s,"error":%s,"agentResult":%s}\n' \
      "$(json_string "$outcome")" "$(json_or_null "$branch")" "$(json_or_null "$base_branch")" \
      "$(json_or_null "$commit")" "$commits" "${agent_exit:-null}" "$(json_or_null "$error")" \
      "${agent_result:-null}" >"$tmp" &&
    mv -f "$tmp" "$run_dir/result.json"
}

on_exit() {
  trap - EXIT ERR
  set +e
  if write_result; then echo "runner: finished ($outcome)"; exit 0; fi
  echo "runner: could not write $run_dir/result.json" >&2
  exit 1
}

fail() { outcome="error"; error=$1; echo "runner: $1" >&2; exit 1; }

# The line of git's output that says what went wrong (its first fatal or error line, else its last line).
reason() {
  local line found="" last=""
  while IFS= read -r line; do
    [[ -n $line ]] || continue
    last=$line
    if [[ -z $found && ($line == fatal:* || $line == error:*) ]]; then found=$line; fi
  done <<<"$1"
  printf "%s" "${found:-$last}"
}

# git for the runner's own commands in the checkout: hooks or signing the agent may have set up do not run.
git_local() { git -c core.hooksPath=/dev/null -c core.fsmonitor=false -c commit.gpgsign=false "$@"; }

main() {
  export GIT_TERMINAL_PROMPT=0
  export GIT_AUTHOR_NAME=${GIT_AUTHOR_NAME:-sandbox-agent}
  export GIT_AUTHOR_EMAIL=${GIT_AUTHOR_EMAIL:-sandbox-agent@users.noreply.github.com}
  export GIT_COMMITTER_NAME=$GIT_AUTHOR_NAME GIT_COMMITTER_EMAIL=$GIT_AUTHOR_EMAIL
  [[ -n $branch ]] || fail "setup: RUN_BRANCH is not set"
  git check-ref-format --branch "$branch" >/dev/null 2>&1 || fail "setup: '$branch' is not a valid branch name"
  [[ -n $base_branch ]] || fail "setup: RUN_BASE_BRANCH is not set"
  git check-ref-format --branch "$base_branch" >/dev/null 2>&1 || fail "setup: '$base_branch' is not a valid branch name"
  [[ ${RUN_BASE_COMMIT:-} =~ ^[0-9a-f]{40}([0-9a-f]{24})?$ ]] || fail "setup: RUN_BASE_COMMIT is not a commit id"
  [[ -n ${AGENT_COMMAND:-} ]] || fail "setup: AGENT_COMMAND is not set"
  [[ -f $run_dir/task.md ]] || fail "setup: $run_dir/task.md is missing"
  [[ -f $bundle ]] || fail "setup: $bundle is missing"
  [[ ! -e $checkout ]] || fail "setup: $checkout already exists"

  local out bundle_ref
  echo "runner: unpacking the repository"
  out=$(git bundle list-heads "$bundle" 2>&1) || fail "clone: $(reason "$out")"
  bundle_ref=${out%%$'\n'*}; bundle_ref=${bundle_ref#* }
  out=$(git init --quiet --initial-branch="$base_branch" "$checkout" 2>&1 &&
    cd "$checkout" &&
    git_local fetch --quiet --no-tags --update-head-ok "$bundle" "+$bundle_ref:refs/heads/$base_branch" 2>&1) || fail "clone: $(reason "$out")"
  rm -f "$bundle"
  cd "$checkout"
  local base_commit
  base_commit=$(git rev-parse --quiet --verify "refs/heads/$base_branch^{commit}") || fail "clone: the bundle has no commits"
  [[ $base_commit == "$RUN_BASE_COMMIT" ]] || fail "clone: the bundle holds $base_commit, not the base commit $RUN_BASE_COMMIT"
  out=$(git_local checkout --quiet -b "$branch" "$base_commit" 2>&1) || fail "branch: $(reason "$out")"

  echo "runner: running the agent on $branch (base $base_branch)"
  local agent_log="$run_dir/agent-output.log" statuses
  set +e
  (cd "$checkout" && AGENT_TASK_FILE="$run_dir/task.md" exec bash -c "$AGENT_COMMAND") </dev/null 2>&1 | tee "$agent_log"
  statuses=("${PIPESTATUS[@]}")
  set -e
  agent_exit=${statuses[0]}
  echo "runner: agent exited $agent_exit"
  [[ ${statuses[1]} == 0 ]] || echo "runner: warning: $agent_log is incomplete" >&2
  agent_result=$(grep -a -E '"type"[[:space:]]*:[[:space:]]*"result"' "$agent_log" |
    LC_ALL=C.UTF-8 grep -a -x '.*' | awk "$FIND_RESULT_LINE") || true
  [[ -z $agent_result ]] || echo "runner: found the agent's result object"

  cd "$checkout" 2>/dev/null || fail "commit: the checkout is gone"
  out=$(git_local add -A 2>&1) || fail "commit: git add failed: $(reason "$out")"
  if ! git_local diff --cached --quiet 2>/dev/null; then
    out=$(git_local commit --quiet --no-verify -m "${RUN_COMMIT_MESSAGE:-Agent changes for issue #${RUN_ISSUE_NUMBER:-?}}" 2>&1) ||
      fail "commit: $(reason "$out")"
  fi
  commit=$(git rev-parse --quiet --verify 'HEAD^{commit}') || fail "commit: HEAD is not a commit"
  git merge-base --is-ancestor "$base_commit" "$commit" 2>/dev/null || fail "commit: HEAD does not descend from the base commit"
  commits=$(git rev-list --count "$base_commit..$commit") || fail "commit: could not count the commits"
  if ((commits == 0)); then
    commit=""
    outcome="no_changes"
    echo "runner: no changes"
    return
  fi

  # The service takes this bundle out, checks it, and pushes; the runner only packs the branch.
  out=$(git_local update-ref "refs/heads/$branch" "$commit" 2>&1 &&
    git_local bundle create --quiet "$run_dir/changes.bundle" "refs/heads/$branch" "^$base_commit" 2>&1) ||
    fail "bundle: $(reason "$out")"
  outcome="committed"
  local noun=commits; ((commits > 1)) || noun=commit
  echo "runner: packed $commits $noun on $branch"
}

sandbox=$PWD
run_dir="$sandbox/.agent-run"
checkout="$sandbox/repo"
bundle="$run_dir/base.bundle"
branch=${RUN_BRANCH:-} base_branch=${RUN_BASE_BRANCH:-} commit="" commits=0 agent_exit="" agent_result=""
outcome="error" error="the runner stopped unexpectedly"
trap on_exit EXIT
trap 'error="the runner stopped unexpectedly at line $LINENO"' ERR
trap 'error="the runner was stopped by a signal"; exit 143' TERM INT HUP
# One line, parsed whole before it runs: edits to this file while the agent runs cannot change what the runner does.
main "$@"; exit 0
