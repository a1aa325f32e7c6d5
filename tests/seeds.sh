#!/usr/bin/env bash
# The reference dialects in the shared seeds/ folder: the counts the compiler
# must produce on them. Skipped (exit 77) without -Dshared_dir.
set -u
AUDITMD=$1
SHARED=${2:-}
if [ -z "$SHARED" ] || [ ! -d "$SHARED/seeds" ]; then
  echo "SKIP: seeds test needs -Dshared_dir=DIR with seeds/ (not set)" >&2
  exit 77
fi
. "$(dirname "$0")/lib.sh"
S=$SHARED/seeds

run "$AUDITMD" compile "$S"/001_*.txt
expect_rc 0 "001 compiles"
expect_jq '.findings | length' '7' "001: 7 findings"
expect_jq '[.findings[].status] | unique' '["open"]' "001: all open"
expect_jq '.date' '"2026-01-15"' "001: date"
expect_jq '[.findings[].citations[] | select(.role=="evidence") | "\(.path):\(.start)-\(.end)"]' \
  '["apps/api/app/core/deps.py:298-312","apps/api/app/main.py:284-296","apps/api/app/routers/websocket.py:22-77","apps/api/app/services/ai_chat_service.py:736-756","apps/api/app/services/appointment_service.py:48-74","apps/api/app/routers/auth.py:492-496","apps/api/app/routers/auth.py:899-904","apps/api/app/services/session_service.py:61-66","apps/web/lib/auth-context.tsx:104-120","apps/api/app/core/rate_limit.py:16-50"]' \
  "001: exactly the ten evidence citations"

run "$AUDITMD" compile "$S"/000_*.txt
expect_rc 0 "000 compiles"
expect_jq '.findings | length' '8' "000: 8 findings"
expect_jq '[.findings[] | select(.status=="resolved")] | length' '7' "000: 7 resolved"
expect_jq '[.findings[] | select(.status=="open") | .title]' '["Avoid `asyncio.run` in request threads"]' "000: the asyncio finding is open"

run "$AUDITMD" compile "$S"/004_*.txt
expect_rc 0 "004 compiles"
expect_jq '[.findings[] | select(.kind=="checklist")] | length' '40' "004: 40 checklist findings"
expect_jq '[.findings[] | select(.status=="resolved")] | length' '11' "004: 11 resolved"
expect_jq '[.findings[] | select(.status=="open")] | length' '29' "004: 29 open"
expect_jq '[.findings[] | .priority | tostring] | group_by(.) | map({(.[0]): length}) | add' \
  '{"high":9,"low":10,"medium":11,"null":10}' "004: priorities high 9, medium 11, low 10, none 10"
expect_jq '[.findings[] | select(.section[0]=="Completed Recently") | .priority] | unique' '[null]' "004: no priority for Completed Recently"

run "$AUDITMD" compile "$S"/002_*.txt
expect_rc 0 "002 compiles"
expect_jq '.date' '"2025-10-30"' "002: date"
expect_jq '[.findings[] | select(.title | test("Redundant Import")) | [.status, (.citations[0] | "\(.path):\(.start)")]]' \
  '[["resolved","apps/backend/src/main.py:48"],["resolved","apps/backend/src/main.py:106"]]' "002: two fixed Redundant Import findings"
expect_err "warning: mojibake repaired" "002: mojibake repaired, with a warning"
grep -q 'âœ' "$tmp/out" && fail "002: no mojibake left in the model" || ok "002: no mojibake left in the model"

run "$AUDITMD" compile "$S"/003_*.txt
expect_rc 0 "003 compiles"
expect_jq '.date' '"2026-02-01"' "003: date"
expect_jq '[.findings[] | select(.kind=="checklist") | .status] | [length, unique]' '[24,["resolved"]]' "003: 24 checked items resolved"

run "$AUDITMD" diff "$S"/001_*.txt "$S"/000_*.txt
expect_rc 0 "diff 001 -> 000"
expect_jq '.summary' '{"new":1,"removed":0,"resolved":6,"regressed":0,"open":1,"closed":0,"new_closed":1}' "001->000: resolved 6, new 1 (already resolved), open 1"
expect_jq '[.changes[] | select(.changed | index("renumbered")) | "\(.old.number)->\(.new.number) \(.new.title)"]' \
  '["6->7 Client-side auth redirect instead of server-side gating (Resolved)","7->8 Rate limiting fallback to in-memory in production (Resolved)"]' "001->000: client-side auth and rate limiting renumbered 6->7, 7->8"
expect_jq '[.changes[] | select(.old.title == "WebSocket auth uses query tokens and lacks Origin checks") | .new.title, .kind]' \
  '["WebSocket auth hardening (Resolved)","resolved"]' "001->000: WebSocket finding matched despite its new title"
expect_jq '[.changes[] | select(.new.title == "Avoid `asyncio.run` in request threads") | .kind, (.changed | index("evidence") != null)]' \
  '["open",true]' "001->000: asyncio open, evidence changed"
expect_jq '[.changes[] | select(.kind == "new") | .new.title, .new.status]' \
  '["In-memory idempotency cache for AI bulk tasks (Resolved)","resolved"]' "001->000: idempotency finding new and resolved"

finish
