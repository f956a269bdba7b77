#!/usr/bin/env bash
# The runner: uploaded into a sandbox with the task and started in the background by the service.
#
# Contract (kept in step with RunnerFiles and RunnerEnvironment in this folder):
#   cwd                     the sandbox's working directory
#   RUN_REPO_URL            clone URL, e.g. https://github.com/o/r.git or file:///srv/git/o/r.git
#   RUN_BRANCH              branch to create and push, e.g. agent/issue-12-ab12cd34
#   RUN_ISSUE_NUMBER        the issue's number
#   AGENT_COMMAND           shell command run with bash -c in the checkout; AGENT_TASK_FILE names the task
#   RUN_COMMIT_MESSAGE      optional commit message
#   GIT_AUTHOR_NAME/EMAIL   optional identity of the commit
#   .agent-run/task.md      the task
#   .agent-run/git-token    optional; read into memory and deleted before anything else runs
# Output: .agent-run/result.json, always, written atomically:
#   {"outcome":"committed|no_changes|error","branch","baseBranch","commit","commits","agentExitCode","error","agentResult"}
# The token reaches git only through GIT_CONFIG_* variables exported inside the subshell that runs git: never a URL,
# never .git/config, never the agent's environment, never printed.
set -uo pipefail

sandbox=$PWD
run_dir="$sandbox/.agent-run"
checkout="$sandbox/repo"
token=""
if [ -f "$run_dir/git-token" ]; then
  token=$(cat "$run_dir/git-token")
  rm -f "$run_dir/git-token"
fi

branch=${RUN_BRANCH:-}
base_branch=""
base_commit=""
commit=""
commits=0
agent_exit=""
agent_result=""
outcome="error"
error="the runner stopped unexpectedly"

json_string() {
  if [ -z "${1+x}" ] || [ "$1" = "" ] && [ "${2:-}" = "nullable" ]; then printf 'null'; return; fi
  local s=$1
  s=${s//\\/\\\\}
  s=${s//\"/\\\"}
  s=${s//$'\n'/\\n}
  s=${s//$'\r'/\\r}
  s=${s//$'\t'/\\t}
  s=$(printf '%s' "$s" | tr -d '\000-\010\013\014\016-\037')
  printf '"%s"' "$s"
}

write_result() {
  local tmp="$run_dir/result.json.tmp"
  {
    printf '{"outcome":%s' "$(json_string "$outcome")"
    printf ',"branch":%s' "$(json_string "$branch")"
    printf ',"baseBranch":%s' "$(json_string "$base_branch" nullable)"
    printf ',"commit":%s' "$(json_string "$commit" nullable)"
    printf ',"commits":%d' "$commits"
    printf ',"agentExitCode":%s' "${agent_exit:-null}"
    if [ "$outcome" = "error" ]; then printf ',"error":%s' "$(json_string "$error")"; else printf ',"error":null'; fi
    printf ',"agentResult":%s}\n' "${agent_result:-null}"
  } > "$tmp" && mv "$tmp" "$run_dir/result.json"
}
trap write_result EXIT

fail() { error=$1; outcome="error"; echo "runner: $1" >&2; exit 0; }

# git with credentials when there is a token; the variables live only in this subshell's environment.
git_remote() {
  (
    if [ -n "$token" ]; then
      export GIT_CONFIG_COUNT=1 GIT_CONFIG_KEY_0=http.extraHeader
      GIT_CONFIG_VALUE_0="Authorization: Basic $(printf 'x-access-token:%s' "$token" | base64 -w0)"
      export GIT_CONFIG_VALUE_0
    fi
    git "$@"
  )
}

export GIT_TERMINAL_PROMPT=0
export GIT_AUTHOR_NAME=${GIT_AUTHOR_NAME:-sandbox-agent}
export GIT_AUTHOR_EMAIL=${GIT_AUTHOR_EMAIL:-sandbox-agent@users.noreply.github.com}
export GIT_COMMITTER_NAME=$GIT_AUTHOR_NAME GIT_COMMITTER_EMAIL=$GIT_AUTHOR_EMAIL

[ -n "$branch" ] || fail "RUN_BRANCH is not set"
[ -n "${RUN_REPO_URL:-}" ] || fail "RUN_REPO_URL is not set"
[ -n "${AGENT_COMMAND:-}" ] || fail "AGENT_COMMAND is not set"
[ -f "$run_dir/task.md" ] || fail "the task file is missing"

echo "runner: cloning"
git_remote clone --quiet "$RUN_REPO_URL" "$checkout" >/dev/null 2>&1 || fail "could not clone the repository"
cd "$checkout" || fail "could not enter the checkout"
base_branch=$(git rev-parse --abbrev-ref HEAD 2>/dev/null) || fail "the repository has no commits"
base_commit=$(git rev-parse HEAD 2>/dev/null) || fail "the repository has no commits"
git checkout --quiet -b "$branch" || fail "could not create branch $branch"

echo "runner: running the agent"
agent_log="$run_dir/agent-output.log"
# The agent gets no token: it was never exported, and the file is gone.
env -u AGENT_COMMAND AGENT_TASK_FILE="$run_dir/task.md" bash -c "$AGENT_COMMAND" < /dev/null 2>&1 | tee "$agent_log"
agent_exit=${PIPESTATUS[0]}
echo "runner: agent exited $agent_exit"

agent_result=$(grep -E '^[[:space:]]*\{.*"type"[[:space:]]*:[[:space:]]*"result"' "$agent_log" | tail -n 1)

cd "$checkout" || fail "the checkout is gone"
git add -A >/dev/null 2>&1 || fail "could not stage the changes"
if ! git diff --cached --quiet; then
  git commit --quiet -m "${RUN_COMMIT_MESSAGE:-Agent changes for issue #${RUN_ISSUE_NUMBER:-?}}" || fail "could not commit the changes"
fi
commits=$(git rev-list --count "$base_commit..HEAD")
if [ "$commits" -gt 0 ]; then
  commit=$(git rev-parse HEAD)
  git_remote push --quiet origin "HEAD:refs/heads/$branch" >/dev/null 2>&1 || fail "could not push branch $branch"
  echo "runner: pushed $commits commit(s) to $branch"
  outcome="committed"
else
  echo "runner: no changes"
  outcome="no_changes"
fi
error=""
exit 0
