#!/usr/bin/env bash
# The runner: uploaded into a sandbox with the task and a bundle of the repository, and started in the background by
# the service, with the sandbox's working directory ($SANDBOX_DIR below) as its cwd. It needs bash, git, coreutils,
# grep, awk and setsid (util-linux); nothing else. It never talks to a git remote and never holds a credential: the
# service pushes.
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
#     SANDBOX_OWN_PID_NAMESPACE
#                           1 when every process of this command lives in a PID namespace of its own (local isolated
#                           sandboxes): the runner then ends every process started since the agent once it is done
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
#                                  them whatever the exit codes, each recorded. They run on the commit the runner made
#                                  of the agent's work, so what they build is never packed; they are skipped once the
#                                  stop was requested (a command running then is ended), so the work is not lost
#     .agent-run/stop              in, optional, any time: the service's request that the agent stop (the deadline);
#                                  the runner signals it, waits RUN_WRAP_UP_GRACE_SECONDS, then commits what exists;
#                                  during the setup it ends the setup (a "setup" error)
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

# The setup commands' shell, a process of its own started for each command: it exports the setup's variables
# (NAME=value entries, each ended by a NUL byte) and runs the command, so the runner's bash never holds the values.
read -r -d '' SETUP_SHELL <<'SH' || true
if [[ -f $1 ]]; then
  while IFS= read -r -d '' entry; do
    if [[ $entry =~ ^[A-Za-z_][A-Za-z0-9_]*= ]]; then export "$entry"; fi
  done <"$1"
fi
exec bash -c "$2"
SH

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
  [[ $stopped_early == true ]] || stopped_early=false
  mkdir -p "$run_dir" &&
    printf '{"outcome":%s,"branch":%s,"baseBranch":%s,"commit":%s,"commits":%d,"agentExitCode":%s,"error":%s,"agentResult":%s,"setup":%s,"validation":%s,"stoppedEarly":%s}\n' \
      "$(json_string "$outcome")" "$(json_or_null "$branch")" "$(json_or_null "$base_branch")" \
      "$(json_or_null "$commit")" "$commits" "${agent_exit:-null}" "$(json_or_null "$error")" \
      "${agent_result:-null}" "${setup_report:-null}" "${validation:-null}" "$stopped_early" >"$tmp" &&
    mv -f "$tmp" "$run_dir/result.json"
}

on_exit() {
  trap - EXIT ERR
  set +e
  rm -f -- "$setup_env"
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

# The phases' commands (setup, agent, validate) each run with bash in the checkout, in a session of their own (so
# their process group's id is their pid), their output going to a log file that `tail` copies to the runner's stdout:
# a process they leave behind holding that output can never keep the runner waiting. The setup's and the
# validation's processes also carry a marker variable with a random value, so that those that leave the session are
# found and ended too (the agent's are not: it could read and drop the marker anyway).
marker_name=SANDBOX_AGENTS_PHASE

new_marker() { od -An -N16 -tx1 /dev/urandom | tr -d ' \n'; }

now_ms() { date +%s%3N; }

# The start time (clock ticks since boot, field 22 of /proc/<pid>/stat, after the command's name in parentheses) of
# the process $1, or of the calling subshell without $1.
start_time() {
  local stat fields
  read -r stat 2>/dev/null <"/proc/${1:-self}/stat" || return 1
  read -ra fields <<<"${stat##*) }"
  printf '%s' "${fields[19]}"
}

# A daemon the agent left behind, whatever session or environment it gave itself, must not touch the checkout while
# it is committed and validated. Where the command has a PID namespace of its own (SANDBOX_OWN_PID_NAMESPACE=1), every
# process started since the agent was is ended, looking again until a look finds none; elsewhere the sandbox's own
# services could have started processes since, so only the agent's process group is ended (await_command does that).
end_agent_leftovers() {
  [[ ${SANDBOX_OWN_PID_NAMESPACE:-} == 1 && -n $agent_started ]] || return 0
  local round path pid started found
  for round in {1..100}; do
    found=0
    for path in /proc/[0-9]*; do
      pid=${path#/proc/}
      [[ $pid != "$$" ]] || continue
      started=$(start_time "$pid") || continue
      if ((started >= agent_started)) && kill -KILL "$pid" 2>/dev/null; then found=1; fi
    done
    ((found)) || return 0
    sleep 0.05
  done
  echo "runner: warning: some processes the agent left could not be ended" >&2
}

# Reads the command files of a phase folder (01, 02, ... in numeric order) into the array named $2. The runner reads
# them before the agent runs, so that an agent rewriting .agent-run/validate cannot change what is run after it.
read_commands() {
  local -n into=$2
  local name
  into=()
  [[ -d $1 ]] || return 0
  while IFS= read -r name; do into+=("$(cat -- "$1/$name")"); done < <(
    for file in "$1"/*; do if [[ -f $file && ${file##*/} =~ ^[0-9]+$ ]]; then printf '%s\n' "${file##*/}"; fi; done | sort -n)
}

# Starts a command line in a session of its own, carrying the marker $2 unless it is empty, its output appended to
# the log $1; sets command_pid, and tail_pid for the copy to stdout. (setsid execs rather than forks here: a
# background child of a script is never a process group leader.)
start_command() {
  local log=$1 marker=$2
  shift 2
  : >"$log"
  if [[ -n $marker ]]; then set -- env "$marker_name=$marker" "$@"; fi
  setsid -w "$@" </dev/null >>"$log" 2>&1 &
  command_pid=$!
  tail -n +1 -s 0.2 -f --pid="$command_pid" -- "$log" &
  tail_pid=$!
}

# Waits for the started command to end and sets command_status to its exit code. Once the service asks the run to
# stop (.agent-run/stop appears), the command's process group gets SIGTERM and, $1 seconds later, SIGKILL; then
# stop_requested is 1. Whatever is left of the group once its leader is gone is ended too.
await_command() {
  local grace=$1 what=$2 kill_at=""
  while kill -0 "$command_pid" 2>/dev/null; do
    if [[ -z $kill_at && -e $stop_file ]]; then
      stop_requested=1
      echo "runner: the service asked the run to stop: signalling $what"
      kill -TERM -- "-$command_pid" 2>/dev/null || true
      kill_at=$((SECONDS + grace))
    fi
    if [[ -n $kill_at ]] && ((SECONDS >= kill_at)); then kill -KILL -- "-$command_pid" 2>/dev/null || true; fi
    sleep 0.2
  done 2>/dev/null # (bash would report a killed command on stderr)
  command_status=0
  wait "$command_pid" 2>/dev/null || command_status=$?
  kill -KILL -- "-$command_pid" 2>/dev/null || true
  wait "$tail_pid" 2>/dev/null || true
}

# Ends (SIGKILL) every process whose environment holds the marker $1, looking again until a look finds none: a
# daemon that left its session (setsid, a double fork) still inherited the marker. Fails if some are left after 100.
end_marked() {
  local needle="$marker_name=$1" round file pid found
  for round in {1..100}; do
    found=0
    while IFS= read -r file; do
      pid=${file#/proc/} pid=${pid%/environ}
      if [[ $pid =~ ^[0-9]+$ && $pid != "$$" ]] && kill -KILL "$pid" 2>/dev/null; then found=1; fi
    done < <(grep -lzxF -- "$needle" /proc/[0-9]*/environ 2>/dev/null || true)
    ((found)) || return 0
    sleep 0.05
  done
  return 1
}

# The last lines of a log (at most 30, and 4000 bytes) as UTF-8 text without NUL bytes: a line that is not valid
# UTF-8 (or was cut in a character) is replaced, so that result.json always parses.
log_tail() {
  local line text=""
  while IFS= read -r line || [[ -n $line ]]; do
    if printf '%s\n' "$line" | LC_ALL=C.UTF-8 grep -qax '.*'; then text+=$line$'\n'; else text+=$'[not UTF-8 text]\n'; fi
  done < <(tail -n 30 -- "$1" | tail -c 4000 | tr -d '\0')
  printf '%s' "${text%$'\n'}"
}

# One command's report as a JSON object: its text, exit code, duration and the tail of its output.
command_report() {
  printf '{"command":%s,"exitCode":%d,"durationMs":%d,"tail":%s}' "$(json_string "$1")" "$2" "$3" "$(json_or_null "$4")"
}

# Runs one setup or validate command: $1 its label ("setup 01"), $2 its text, $3 the phase's marker, $4 the grace
# once the stop is asked for, then the command line. Sets report and command_status; its log is deleted.
run_check() {
  local label=$1 text=$2 marker=$3 grace=$4 log started
  shift 4
  log="$run_dir/${label// /-}.log"
  echo "runner: $label: ${text%%$'\n'*}"
  started=$(now_ms)
  start_command "$log" "$marker" "$@"
  await_command "$grace" "the $label command"
  report=$(command_report "$text" "$command_status" "$(($(now_ms) - started))" "$(log_tail "$log")")
  rm -f -- "$log"
  echo "runner: $label exited $command_status"
}

# The setup: each command in order, with the setup's variables, until one fails. The variables' file is deleted and
# every process the setup started is ended before the agent can start, whatever happened.
run_setup() {
  local marker i number failed="" first
  if ((${#setup_commands[@]} == 0)); then rm -f -- "$setup_env"; return 0; fi
  marker=$(new_marker)
  for i in "${!setup_commands[@]}"; do
    printf -v number '%02d' $((i + 1))
    first=${setup_commands[i]%%$'\n'*}
    run_check "setup $number" "${setup_commands[i]}" "$marker" 0 bash -c "$SETUP_SHELL" setup "$setup_env" "${setup_commands[i]}"
    setup_report=$report
    if ((stop_requested)); then failed="setup: stopped by the service during \`$first\`"; break; fi
    if ((command_status != 0)); then failed="setup: \`$first\` exited $command_status"; break; fi
  done
  rm -f -- "$setup_env"
  if ! end_marked "$marker"; then failed=${failed:-"setup: the processes it started could not all be ended"}; fi
  [[ -z $failed ]] || fail "$failed"
}

# The agent, in a session of its own; once the service asks it to stop, it has the wrap-up grace to end.
run_agent() {
  echo "runner: running the agent on $branch (base $base_branch)"
  local agent_log="$run_dir/agent-output.log"
  agent_started=$(start_time)
  start_command "$agent_log" "" env AGENT_TASK_FILE="$run_dir/task.md" bash -c "$AGENT_COMMAND"
  await_command "$wrap_up_grace" "the agent"
  agent_exit=$command_status
  if ((stop_requested)); then stopped_early=true; fi
  end_agent_leftovers
  echo "runner: agent exited $agent_exit"
  agent_result=$(grep -a -E '"type"[[:space:]]*:[[:space:]]*"result"' "$agent_log" |
    LC_ALL=C.UTF-8 grep -a -x '.*' | awk "$FIND_RESULT_LINE") || true
  if [[ -n $agent_result ]]; then echo "runner: found the agent's result object"; fi
}

# The validation, on the commit just made of the agent's work: every command whatever the exit codes, each
# recorded. Once the service asked the run to stop it is skipped (a command running then is ended), so that the
# work is packed in time.
run_validation() {
  local marker i number
  ((${#validate_commands[@]} > 0)) || return 0
  if ((stop_requested)); then echo "runner: not validating: the service asked the run to stop"; return 0; fi
  marker=$(new_marker)
  validation="["
  for i in "${!validate_commands[@]}"; do
    if ((stop_requested)); then echo "runner: the rest of the validation is skipped: the service asked the run to stop"; break; fi
    printf -v number '%02d' $((i + 1))
    run_check "validate $number" "${validate_commands[i]}" "$marker" 0 bash -c "${validate_commands[i]}"
    if ((i > 0)); then validation+=","; fi
    validation+=$report
  done
  validation+="]"
  end_marked "$marker" || echo "runner: warning: some processes of the validation could not be ended" >&2
}

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
  command -v setsid >/dev/null || fail "setup: setsid (util-linux) is missing"
  read_commands "$run_dir/setup" setup_commands
  read_commands "$run_dir/validate" validate_commands

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

  run_setup
  run_agent

  # The agent's work is committed first and validated on that commit: what the validation builds is never packed.
  cd "$checkout" 2>/dev/null || fail "commit: the checkout is gone"
  out=$(git_local add -A 2>&1) || fail "commit: git add failed: $(reason "$out")"
  if ! git_local diff --cached --quiet 2>/dev/null; then
    out=$(git_local commit --quiet --no-verify -m "${RUN_COMMIT_MESSAGE:-Agent changes for issue #${RUN_ISSUE_NUMBER:-?}}" 2>&1) ||
      fail "commit: $(reason "$out")"
  fi
  commit=$(git rev-parse --quiet --verify 'HEAD^{commit}') || fail "commit: HEAD is not a commit"
  git merge-base --is-ancestor "$base_commit" "$commit" 2>/dev/null || fail "commit: HEAD does not descend from the base commit"
  commits=$(git rev-list --count "$base_commit..$commit") || fail "commit: could not count the commits"
  run_validation
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
setup_env="$run_dir/setup.env"
stop_file="$run_dir/stop"
branch=${RUN_BRANCH:-} base_branch=${RUN_BASE_BRANCH:-} commit="" commits=0 agent_exit="" agent_result=""
setup_commands=() validate_commands=() setup_report="" validation="" stop_requested=0 stopped_early=false
command_pid="" tail_pid="" command_status=0 report="" agent_started=""
wrap_up_grace=${RUN_WRAP_UP_GRACE_SECONDS:-60}
[[ $wrap_up_grace =~ ^[0-9]{1,6}$ ]] || wrap_up_grace=60
outcome="error" error="the runner stopped unexpectedly"
trap on_exit EXIT
trap 'error="the runner stopped unexpectedly at line $LINENO"' ERR
trap 'error="the runner was stopped by a signal"; exit 143' TERM INT HUP
# One line, parsed whole before it runs: edits to this file while the agent runs cannot change what the runner does.
main "$@"; exit 0
