#!/usr/bin/env bash
# A stand-in for Claude Code in end-to-end tests. It reads the task file like the real agent and picks its behaviour
# from a tag in the issue title: [keep-task], [edit], [slow-edit], [env], [model], [nochange], [fail], [sleep N]. It prints a
# Claude-style result line.
set -u
task=$(cat "$AGENT_TASK_FILE")
result() { printf '{"type":"result","subtype":"%s","is_error":%s,"total_cost_usd":%s,"num_turns":%s,"result":"%s","session_id":"s-1"}\n' "$@"; }

case "$task" in
  *"[keep-task]"*)
    # An edit that also commits the task it was given, so a test can read what each iteration was told.
    echo "agent: editing README.md, keeping the task"
    cp "$AGENT_TASK_FILE" agent-task.md
    echo "Fixed by the agent." >> README.md
    result success false 0.42 5 "Appended a line to README.md"
    ;;
  *"[edit]"*)
    echo "agent: editing README.md"
    echo "Fixed by the agent." >> README.md
    result success false 0.42 5 "Appended a line to README.md"
    ;;
  *"[env]"*)
    echo "agent: my key is $ANTHROPIC_API_KEY"
    env | sort > environment.txt
    # A token-shaped string made up on the spot, as if the agent had found one: the service must redact it by shape.
    found="ghp_$(head -c 64 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' | head -c 36)"
    result success false 0.01 1 "Wrote environment.txt; key $ANTHROPIC_API_KEY; found $found"
    ;;
  *"[slow-edit]"*)
    echo "agent: thinking for a while"
    sleep 4
    echo "Fixed slowly." >> README.md
    result success false 0.30 4 "Appended a line after a while"
    ;;
  *"[model]"*)
    # What the real CLI does: the Messages API at ANTHROPIC_BASE_URL with the key it was given.
    echo "agent: asking the model"
    curl -sS -H "x-api-key: $ANTHROPIC_API_KEY" -H 'anthropic-version: 2023-06-01' -H 'content-type: application/json' \
      -d '{"model":"claude-test","max_tokens":16,"messages":[{"role":"user","content":"hi"}]}' \
      "$ANTHROPIC_BASE_URL/v1/messages" > model-answer.txt 2>&1
    echo "$ANTHROPIC_BASE_URL" > model-url.txt
    result success false 0.02 1 "Asked the model"
    ;;
  *"[nochange]"*)
    echo '{"type":"assistant","message":{"content":[{"type":"tool_use","id":"toolu_nochange","name":"Bash","input":{"command":"git status"}}]}}'
    echo "agent: nothing to change"
    result success false 0.05 1 "The README is already correct"
    ;;
  *"[fail]"*)
    echo "agent: giving up"
    result error_during_execution true 0.10 2 "Could not understand the build"
    exit 1
    ;;
  *"[sleep "*)
    # The marker lets the test find these processes on the host and prove they were killed.
    marker=$(printf '%s' "$task" | sed -n 's/.*\[sleep \([0-9]*\)\].*/\1/p')
    echo "agent: working for a long time"
    sleep "$marker" &
    sleep "$marker"
    ;;
  *)
    echo "agent: unknown scenario" >&2
    exit 2
    ;;
esac
