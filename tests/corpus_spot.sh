# Spot checks on documents of the shared corpus, counted by reading them.
# Sourced by corpus.sh ($C is the corpus folder).
B=$C/Br0ck25__betaroutes
K=$C/The-Obstacle-Is-The-Way__kalshi-starter-code-python

# A remediation TODO: 48 top-level checklist items, all done but #35.
run "$AUDITMD" compile -q "$B/Master_Security_Audit_TODO/2026-01-22_a03aacb.md"
expect_jq '[(.findings | length), ([.findings[] | select(.status == "resolved")] | length), ([.findings[] | select(.status == "open")] | length)]' '[48,47,1]' "Master_Security_Audit_TODO: 48 items, 47 resolved, 1 open"

# The master checklist: 118 items under Priority sections.
run "$AUDITMD" compile -q "$B/SECURITY_AUDIT_MASTER/2026-01-23_c0438d6.md"
expect_jq '[.findings[] | select(.kind == "checklist")] | length' '118' "SECURITY_AUDIT_MASTER: 118 checklist findings"

# A single-item debt document: one finding with the H1's ID, its status and
# priority from the top-of-file fields.
run "$AUDITMD" compile -q "$K/DEBT-039-broad-exception-catches/2026-01-20_13c0eac.md"
expect_jq '[.findings[] | [.id, .status, .priority]]' '[["DEBT-039","resolved","low"]]' "DEBT-039: one resolved P3 finding"

# One finding whose `## Status` block gives severity and status; its 25
# acceptance criteria are tasks, all done.
run "$AUDITMD" compile -q "$K/DEBT-043-srp-god-files/2026-01-21_c5e0a69.md"
expect_jq '[.findings[] | [.id, .status, .severity, .tasks.total, .tasks.done]]' '[["DEBT-043","resolved","critical",25,25]]' "DEBT-043: one finding, 25/25 tasks"

# `### N.N Title [Pn]` findings: numbers and priorities from the titles.
run "$AUDITMD" compile -q "$K/hacks/2026-01-11_6d0e3de.md"
expect_jq '[.findings[] | select(.kind == "heading") | "\(.number) \(.priority)"]' \
  '["1.1 high","1.2 medium","1.3 low","2.1 high","2.2 medium","2.3 low","2.4 low","3.1 high","3.2 low","4.1 null","4.2 medium"]' "hacks: 11 numbered findings with their priorities"
