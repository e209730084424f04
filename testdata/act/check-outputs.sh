#!/usr/bin/env bash
# Checks a notify step's outputs as a later step of a workflow sees them.
# OUTPUTS is toJSON(steps.<id>.outputs); EXPECT is posted (a new message and
# a task), duplicate (dedupe found the first run's message) or failed.
# The outputs are also printed on one line for scripts/container-test.
set -euo pipefail
echo "outputs-json: $(tr -d '\n' <<<"$OUTPUTS")"
get() { # the value of one output (no escapes in what is checked here)
  sed -n "s/.*\"$1\": *\"\([^\"]*\)\".*/\1/p" <<<"$(tr -d '\n' <<<"$OUTPUTS")"
}
has() { grep -q "\"$1\":" <<<"$OUTPUTS" || { echo "output $1 is missing"; exit 1; }; }
for o in message-id message-ids skipped body task-ids; do has "$o"; done
case "${EXPECT:?}" in
posted)
  [[ $(get message-id) =~ ^[0-9]+$ ]] || { echo "message-id $(get message-id)"; exit 1; }
  test "$(get skipped)" = false
  [[ $(get task-ids) =~ ^[0-9]+$ ]] || { echo "task-ids $(get task-ids)"; exit 1; }
  grep -qF '[info][title]' <<<"$OUTPUTS"
  grep -qF "${CW_ROOM:?}" <<<"$OUTPUTS" # the room is a key of message-ids
  ;;
duplicate)
  [[ $(get message-id) =~ ^[0-9]+$ ]] || { echo "message-id $(get message-id)"; exit 1; }
  test "$(get skipped)" = true
  test -z "$(get task-ids)"
  ;;
failed)
  test -z "$(get message-id)"
  grep -qF '[info][title]' <<<"$OUTPUTS"
  ;;
*)
  echo "unknown EXPECT $EXPECT"; exit 1 ;;
esac
echo "outputs look right ($EXPECT)"
