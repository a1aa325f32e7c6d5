# The reviewed part of a finding model, one finding a line: what a reader
# of the audit can check against the document (tests/model.sh).
.findings[] | {id, kind, title, status, severity, priority, section, cites: (.citations | length)}
