#!/usr/bin/env bash
# The runner: uploaded into a sandbox with the task and a bundle of the repository, and started in the background by
# the service, with the sandbox's working directory ($SANDBOX_DIR below) as its cwd. It needs bash, git, coreutils,
# grep, awk and setsid (util-linux); nothing else. It never talks to a git remote and never holds a credential: the
# service pushes.
#
# Modes
#   bash .agent-run/run.sh         the first pass: unpack, setup, the agent, the steering messages, commit, validate,
#                                  pack
#   bash .agent-run/run.sh resume  a later pass in the same sandbox, once the first has finished (a steering message
#                                  came after it): the same environment; no unpacking and no setup; it delivers the
#                                  messages not yet delivered, resuming the agent's session, then commits, validates and
#                                  packs as the first pass does (commits counted from RUN_BASE_COMMIT, a fresh bundle
#                                  replacing the old one) and rewrites result.json. With no message to deliver it only
#                                  reports again. A stop file left from the pass before counts: delete it first. It
#                                  reads the validate commands again, so upload them (and this script) again first:
#                                  the agent of the pass before could write to them
#
# Contract (kept in step with RunnerFiles and RunnerEnvironment in this folder):
#   Environment
#     RUN_BRANCH            branch to create, e.g. agent/issue-12-ab12cd34
#     RUN_BASE_BRANCH       the repository's default branch, e.g. main
#     RUN_BASE_COMMIT       the commit the run starts from; the base bundle holds it
#     RUN_ISSUE_NUMBER      the issue's number
#     AGENT_COMMAND         command line run with `bash -c` in the checkout; it gets AGENT_TASK_FILE (absolute path of
#                           the task, or of the steering message it is given) and AGENT_RESUME_SESSION (empty for the
#                           task; for a message, the session id of the agent's invocation before, when it gave a usable
#                           one: ^[A-Za-z0-9_-]{1,128}$), and inherits every other variable the service passed
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
#     .agent-run/messages/NN       in, optional, any time: steering messages (01, 02, ...), each the whole text of a
#                                  prompt, written whole (uploaded aside and renamed; a name that is not a number is
#                                  never read). Once the agent's invocation ends by itself, each message numbered above
#                                  the last one delivered is given to the agent in order, one invocation each, resuming
#                                  its session; the folder is looked at again after each, until none is new. None is
#                                  delivered once the stop was requested
#     .agent-run/session           out: the agent's session id as last found (the top-level "session_id" of its result
#                                  object), when usable
#     .agent-run/runner-state      the runner's own: what a resume pass needs of the pass before
#     repo/                        out: the checkout the agent works in
#     .agent-run/agent-output.log  out: the agent's stdout and stderr, every invocation appended (also copied to the
#                                  runner's stdout)
#     .agent-run/changes.bundle    out, when there are commits: refs/heads/$RUN_BRANCH, from RUN_BASE_COMMIT
#     .agent-run/result.json       out, always, written atomically (tmp + mv), one line:
#       {"outcome":"committed"|"no_changes"|"error","branch":"...","baseBranch":"main"|null,"commit":"<sha>"|null,
#        "commits":N,"agentExitCode":N|null,"error":"<step>: <reason>"|null,"agentResult":{...}|null,
#        "setup":{"command":"...","exitCode":N,"durationMs":N,"tail":"..."}|null,
#        "validation":[{"command":"...","exitCode":N,"durationMs":N,"tail":"..."}, ...]|null,
#        "stoppedEarly":true|false,"messagesDelivered":N,"sessionId":"..."|null}
#       setup is null when there were no setup commands; its command is the failing one, or the last one; tail is the
#       last lines of output (up to 30). validation is null when there were no validate commands. stoppedEarly: the
#       agent was asked to stop (.agent-run/stop) before it ended by itself.
#       agentResult is, verbatim, the last output line of the agent's last invocation that is a JSON object whose
#       top-level "type" is "result" (the Claude Code CLI's final message); agentExitCode and stoppedEarly are that
#       invocation's too. The agent's exit code never makes the outcome "error": the service judges it.
#       messagesDelivered: the highest number of a steering message given to the agent, 0 for none; sessionId: the
#       session id the runner would resume next, null for none.
#   Exit code: 0 when result.json was written, non-zero only when even that failed.
#
# Everything here runs inside the sandbox, where the agent may have left processes, git configuration, hooks or
# filters behind: nothing of the service is here for them to take. The service checks the bundle it takes back out.
set -Eeuo pipefail

# Prints the last line of a log that is one JSON object whose top-level "type" is "result". It checks the JSON
# grammar itself (bash has no JSON parser) so that a malformed or crafted line can never corrupt result.json. With
# -v session=1 it prints that line's top-level "session_id" string instead (raw, escapes and all; empty without one);
# with -v any=1 the last line that is a JSON object, whatever its type.
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
function is_result(s,   i, j, c, state, depth, stack, type_key, found, session_key, was_session) {
  n = length(s); i = 1; depth = 0; state = "V"; session_id = ""
  while (i <= n) {
    c = substr(s, i, 1)
    if (c == " " || c == "\t") { i++; continue }
    if (depth == 0 && (state == "N" || c != "{")) return 0
    if (state == "V" || state == "A") {                       # a value; A: or ']' right after '['
      was_type = type_key; type_key = 0; was_session = session_key; session_key = 0
      if (c == "]" && state == "A") { depth--; state = "N"; i++ }
      else if (c == "{") { stack[++depth] = "{"; state = "O"; i++ }
      else if (c == "[") { stack[++depth] = "["; state = "A"; i++ }
      else if (c == "\"") {
        j = str(s, i); if (!j) return 0
        if (was_type && depth == 1 && substr(s, i, j - i) == "\"result\"") found = 1
        if (was_session && depth == 1) session_id = substr(s, i + 1, j - i - 2)
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
      session_key = depth == 1 && substr(s, i, j - i) == "\"session_id\""
      i = j; state = "C"
    }
    else if (state == "C") { if (c != ":") return 0; state = "V"; i++ }
    else if (c == ",") { state = stack[depth] == "{" ? "K" : "V"; i++ }
    else if ((c == "}" && stack[depth] == "{") || (c == "]" && stack[depth] == "[")) { depth--; i++ }
    else return 0
  }
  return depth == 0 && state == "N" && (found || any)
}
BEGIN { ctl = "[\001-\010\012-\037]" }
{ line = $0; sub(/\r$/, "", line); sub(/^[ \t]+/, "", line); sub(/[ \t]+$/, "", line); if (is_result(line)) { last = line; last_session = session_id } }
END { if (last != "") print (session ? last_session : last) }
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
  [[ $delivered =~ ^[0-9]+$ ]] || delivered=0
  mkdir -p "$run_dir" &&
    printf '{"outcome":%s,"branch":%s,"baseBranch":%s,"commit":%s,"commits":%d,"agentExitCode":%s,"error":%s,"agentResult":%s,"setup":%s,"validation":%s,"stoppedEarly":%s,"messagesDelivered":%d,"sessionId":%s}\n' \
      "$(json_string "$outcome")" "$(json_or_null "$branch")" "$(json_or_null "$base_branch")" \
      "$(json_or_null "$commit")" "$commits" "${agent_exit:-null}" "$(json_or_null "$error")" \
      "${agent_result:-null}" "${setup_report:-null}" "${validation:-null}" "$stopped_early" "$delivered" \
      "$(json_or_null "$session_id")" >"$tmp" &&
    mv -f "$tmp" "$run_dir/result.json"
}

# What a resume pass needs of this one, one "key value" line each; the values are one line each (the agent's result
# and the setup's report are single-line JSON). Written as the runner ends, beside result.json.
write_state() {
  local tmp="$state_file.tmp"
  printf 'delivered %s\nagentExit %s\nstoppedEarly %s\nagentResult %s\nsetup %s\n' \
    "$delivered" "$agent_exit" "$stopped_early" "$agent_result" "$setup_report" >"$tmp" && mv -f "$tmp" "$state_file"
}

# The line on stdin if it is one JSON object (of any type with $1 = any, else a result object), else nothing.
checked_json() {
  LC_ALL=C.UTF-8 grep -a -x '.*' | awk -v any="${1:+1}" "$FIND_RESULT_LINE"
}

# Reads back what the pass before left (resume mode). The files lie where the agent could have written, so every
# value is checked as if the agent wrote it.
restore_state() {
  local key value
  if [[ -f $state_file ]]; then
    while IFS=' ' read -r key value; do
      case $key in
        delivered) if [[ $value =~ ^[0-9]{1,9}$ ]]; then delivered=$((10#$value)); fi ;;
        agentExit) if [[ $value =~ ^[0-9]{1,3}$ ]]; then agent_exit=$value; fi ;;
        stoppedEarly) if [[ $value == true ]]; then stopped_early=true; fi ;;
        agentResult) agent_result=$(printf '%s\n' "$value" | checked_json) || agent_result="" ;;
        setup) setup_report=$(printf '%s\n' "$value" | checked_json any) || setup_report="" ;;
      esac
    done <"$state_file"
  fi
  if [[ -f $session_file ]] && read -r value <"$session_file" && [[ $value =~ $session_pattern ]]; then session_id=$value; fi
}

# Keeps the session id an invocation's result object gave ($1, raw), or forgets the last one when it gave none that
# is usable: it is agent-written text, and the next invocation gets it on its command line.
remember_session() {
  if [[ $1 =~ $session_pattern ]]; then
    session_id=$1
    printf '%s\n' "$session_id" >"$session_file.tmp" && mv -f "$session_file.tmp" "$session_file"
  else
    if [[ -n $1 ]]; then echo "runner: the agent's session id is not usable: a message goes to a new session"; fi
    session_id=""
    rm -f -- "$session_file"
  fi
}

on_exit() {
  trap - EXIT ERR
  set +e
  rm -f -- "$setup_env"
  write_state || echo "runner: warning: could not write $state_file" >&2
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
# the log $1; sets command_pid, tail_pid for the copy (of what it adds) to stdout, and log_from to the log's first
# byte it writes (from 1). (setsid execs rather than forks here: a background child of a script is never a process
# group leader.)
start_command() {
  local log=$1 marker=$2
  shift 2
  : >>"$log"
  log_from=$(($(stat -c %s -- "$log") + 1))
  if [[ -n $marker ]]; then set -- env "$marker_name=$marker" "$@"; fi
  setsid -w "$@" </dev/null >>"$log" 2>&1 &
  command_pid=$!
  tail -c "+$log_from" -s 0.2 -f --pid="$command_pid" -- "$log" &
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
  rm -f -- "$log"
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

# One invocation of the agent on the task file $1, in a session of its own, resuming session_id when there is one;
# once the service asks it to stop, it has the wrap-up grace to end. Its exit code, result object and stop are the
# run's from then on; the session id its result object gives is kept for the next.
run_agent() {
  local agent_log="$run_dir/agent-output.log" found
  agent_started=$(start_time)
  start_command "$agent_log" "" env AGENT_TASK_FILE="$1" AGENT_RESUME_SESSION="$session_id" bash -c "$AGENT_COMMAND"
  await_command "$wrap_up_grace" "the agent"
  agent_exit=$command_status
  stopped_early=false
  if ((stop_requested)); then stopped_early=true; fi
  end_agent_leftovers
  echo "runner: agent exited $agent_exit"
  agent_result=$(tail -c "+$log_from" -- "$agent_log" | grep -a -E '"type"[[:space:]]*:[[:space:]]*"result"' | checked_json) || true
  if [[ -z $agent_result ]]; then return 0; fi
  echo "runner: found the agent's result object"
  found=$(printf '%s\n' "$agent_result" | awk -v session=1 "$FIND_RESULT_LINE") || found=""
  remember_session "$found"
}

# The smallest number of a steering message above the last one delivered, and its file; fails when there is none.
next_message() {
  local file name number
  next_number="" next_file=""
  for file in "$messages_dir"/*; do
    name=${file##*/}
    [[ -f $file && $name =~ ^[0-9]{1,9}$ ]] || continue
    number=$((10#$name))
    if ((number > delivered)) && [[ -z $next_number || $number -lt $next_number ]]; then next_number=$number next_file=$file; fi
  done
  [[ -n $next_number ]]
}

# The steering messages, once the agent's invocation ended by itself: each one not yet delivered, in order, one
# invocation each, looking again after each (one may arrive meanwhile), until none is new or the stop is requested.
deliver_messages() {
  local next_number next_file
  while next_message; do
    if [[ -e $stop_file ]]; then stop_requested=1; fi
    if ((stop_requested)); then echo "runner: the service asked the run to stop: no more messages are delivered"; return 0; fi
    delivered=$next_number
    echo "runner: delivering message ${next_file##*/} to the agent${session_id:+ (resuming session $session_id)}"
    run_agent "$next_file"
  done
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

# What both modes need of the environment.
check_environment() {
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
  command -v setsid >/dev/null || fail "setup: setsid (util-linux) is missing"
}

# The first pass: the checkout from the base bundle, the setup, the agent on the task, then its messages.
first_pass() {
  check_environment
  [[ -f $run_dir/task.md ]] || fail "setup: $run_dir/task.md is missing"
  [[ -f $bundle ]] || fail "setup: $bundle is missing"
  [[ ! -e $checkout ]] || fail "setup: $checkout already exists"
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
  base_commit=$(git rev-parse --quiet --verify "refs/heads/$base_branch^{commit}") || fail "clone: the bundle has no commits"
  [[ $base_commit == "$RUN_BASE_COMMIT" ]] || fail "clone: the bundle holds $base_commit, not the base commit $RUN_BASE_COMMIT"
  out=$(git_local checkout --quiet -b "$branch" "$base_commit" 2>&1) || fail "branch: $(reason "$out")"

  run_setup
  echo "runner: running the agent on $branch (base $base_branch)"
  run_agent "$run_dir/task.md"
  deliver_messages
  commit_and_pack
}

# A later pass in the checkout the first one left: the messages not yet delivered, then the same commit and pack.
resume_pass() {
  restore_state
  check_environment
  [[ -d $checkout/.git ]] || fail "resume: $checkout is missing"
  read_commands "$run_dir/validate" validate_commands
  cd "$checkout"
  base_commit=$(git_local rev-parse --quiet --verify "$RUN_BASE_COMMIT^{commit}") || fail "resume: the checkout does not hold the base commit $RUN_BASE_COMMIT"
  echo "runner: resuming on $branch (base $base_branch); messages delivered so far: $delivered"
  deliver_messages
  commit_and_pack
}

# The agent's work is committed first and validated on that commit: what the validation builds is never packed.
# Commits are counted from the base commit, so a resume pass counts the first pass's too.
commit_and_pack() {
  local out
  rm -f -- "$run_dir/changes.bundle"
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

main() {
  case ${1:-} in
    "") first_pass ;;
    resume) resume_pass ;;
    *) fail "setup: '$1' is not a mode of the runner" ;;
  esac
}

sandbox=$PWD
run_dir="$sandbox/.agent-run"
checkout="$sandbox/repo"
bundle="$run_dir/base.bundle"
setup_env="$run_dir/setup.env"
stop_file="$run_dir/stop"
messages_dir="$run_dir/messages"
session_file="$run_dir/session"
state_file="$run_dir/runner-state"
session_pattern='^[A-Za-z0-9_-]{1,128}$'
branch=${RUN_BRANCH:-} base_branch=${RUN_BASE_BRANCH:-} base_commit="" commit="" commits=0 agent_exit="" agent_result=""
setup_commands=() validate_commands=() setup_report="" validation="" stop_requested=0 stopped_early=false
command_pid="" tail_pid="" command_status=0 report="" agent_started="" log_from=1 delivered=0 session_id=""
wrap_up_grace=${RUN_WRAP_UP_GRACE_SECONDS:-60}
[[ $wrap_up_grace =~ ^[0-9]{1,6}$ ]] || wrap_up_grace=60
outcome="error" error="the runner stopped unexpectedly"
trap on_exit EXIT
trap 'error="the runner stopped unexpectedly at line $LINENO"' ERR
trap 'error="the runner was stopped by a signal"; exit 143' TERM INT HUP
# One line, parsed whole before it runs: edits to this file while the agent runs cannot change what the runner does.
main "$@"; exit 0
