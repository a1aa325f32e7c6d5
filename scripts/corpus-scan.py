#!/usr/bin/env python3
"""Looks for suspicious features in the models auditmd builds for a corpus.

    scripts/corpus-scan.py [--auditmd BIN] [--explained FILE] CORPUS_DIR

CORPUS_DIR holds one folder per audit document (found recursively: any
folder with a _revisions.tsv, newest revision first, or else the *.md files
in name order), each with the document's revisions. Every revision is
compiled and every consecutive pair diffed; one line is printed per
anomaly:

  numeric-title    a finding whose title is only digits, punctuation or marks
  aggregate-row    a table finding whose other cells are mostly counts
  no-title         a finding without a title
  unknown-status   a finding whose status text maps to no status
  not-ancestors    a finding whose section is not the chain of headings
                   that contain it (read here from the source, independently
                   of the compiler)
  status-flip      a finding whose status changes between two revisions
                   while its own text and its section stay the same
  compile-error    a revision that does not compile
  diff-error       a pair that does not diff

Each line is `KIND FILE:LINE: detail`, FILE relative to CORPUS_DIR. Lines listed in --explained (the
same text, one a line; '#' starts a comment) are counted as explained and
not printed. The last line counts them; the exit status is 1 when an
unexplained anomaly remains, 0 otherwise.
"""
import argparse
import json
import os
import re
import subprocess
import sys
import unicodedata

FENCE = re.compile(r'^ {0,3}(`{3,}|~{3,})')
ATX = re.compile(r'^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$')
SETEXT = re.compile(r'^ {0,3}(=+|-+)[ \t]*$')


def norm(text):
    """Letters and digits only, lower case: compares heading text as the
    source writes it with the compiler's rendering of it."""
    text = re.sub(r'\]\([^)]*\)', ']', text)  # link destinations
    return ''.join(ch for ch in unicodedata.normalize('NFKC', text).lower()
                   if ch.isalnum())


def headings(lines):
    """(line, level, text) of every ATX and setext heading outside code."""
    out = []
    fence = None
    para = False  # the previous line is paragraph text (a setext candidate)
    for i, raw in enumerate(lines, 1):
        line = raw.rstrip('\r\n')
        m = FENCE.match(line)
        if fence:
            if m and m.group(1)[0] == fence[0] and len(m.group(1)) >= len(fence) \
                    and not line.strip().strip(fence[0]):
                fence = None
            para = False
            continue
        if m:
            fence = m.group(1)
            para = False
            continue
        m = ATX.match(line)
        if m:
            out.append((i, len(m.group(1)), m.group(2) or ''))
            para = False
            continue
        m = SETEXT.match(line)
        if m and para and not lines[i - 2].lstrip().startswith(('-', '*', '+', '>', '|')):
            out.append((i - 1, 1 if m.group(1)[0] == '=' else 2, lines[i - 2].strip()))
            para = False
            continue
        para = bool(line.strip()) and not line.startswith('    ')
    return out


def ancestors(heads, line, own):
    """Texts of the headings containing LINE, outermost first; OWN: LINE is
    itself a heading, which is not its own ancestor."""
    chain = []
    for hl, level, text in heads:
        if hl > line:
            break
        while chain and chain[-1][0] >= level:
            chain.pop()
        if own and hl == line:
            break
        chain.append((level, text))
    return [t for _, t in chain]


def doc_title(heads):
    for _, level, text in heads:
        if level == 1:
            return text
    return None


class Scan:
    def __init__(self, auditmd, explained, root):
        self.root = root
        self.auditmd = auditmd
        self.explained = explained
        self.found = 0
        self.excused = 0

    def report(self, kind, where, detail):
        if where.startswith(self.root):
            where = where[len(self.root):].lstrip('/')
        line = '%s %s: %s' % (kind, where, detail)
        if line in self.explained:
            self.excused += 1
            return
        self.found += 1
        print(line)

    def run(self, *args):
        p = subprocess.run([self.auditmd, *args], capture_output=True)
        if p.returncode != 0:
            return None, p.stderr.decode('utf-8', 'replace').strip().splitlines()[-1:]
        return json.loads(p.stdout), None

    def finding(self, path, f, heads, title):
        where = '%s:%d' % (path, f['line'])
        t = f.get('title') or ''
        if not t.strip():
            self.report('no-title', where, 'finding %s' % f['id'])
        elif not any(ch.isalpha() for ch in t):
            self.report('numeric-title', where, 'finding %s titled %r' % (f['id'], t))
        if f['status'] == 'unknown':
            self.report('unknown-status', where, 'finding %s: %r' % (f['id'], f.get('status_text')))
        if f['kind'] == 'table':
            cells = [v for k, v in f.get('fields', {}).items() if v and v.strip()]
            counts = [v for v in cells if re.fullmatch(r'\W*\d+(?:[.,]\d+)?\s*%?\W*', v.strip())]
            if len(cells) >= 2 and 2 * len(counts) > len(cells):
                self.report('aggregate-row', where, 'finding %s %r: %d of %d cells are counts'
                            % (f['id'], t, len(counts), len(cells)))
        want = ancestors(heads, f['line'], f['kind'] == 'heading')
        if want and title is not None and norm(want[0]) == norm(title):
            want = want[1:]
        got = f.get('section') or []
        if [norm(x) for x in got] != [norm(x) for x in want]:
            self.report('not-ancestors', where, 'finding %s section %s, headings above %s'
                        % (f['id'], json.dumps(got, ensure_ascii=False),
                           json.dumps(want, ensure_ascii=False)))

    def revision(self, path):
        model, err = self.run('compile', '-q', path)
        if model is None:
            self.report('compile-error', path + ':1', ' '.join(err))
            return None
        with open(path, encoding='utf-8', errors='replace', newline='') as fh:
            lines = fh.read().splitlines()
        heads = headings(lines)
        for f in model['findings']:
            self.finding(path, f, heads, model.get('title'))
        # The diff's findings carry no end line: keep each finding's extent.
        ends = {(f['id'], f['line']): f['end_line'] for f in model['findings']}
        return lines, ends

    def pair(self, old, new, old_rev, new_rev):
        d, err = self.run('diff', '-q', '--format', 'json', old, new)
        if d is None:
            self.report('diff-error', new + ':1', ' '.join(err))
            return
        def body(rev, f):
            lines, ends = rev
            end = ends.get((f['id'], f['line']), f['line'])
            return [l.rstrip() for l in lines[f['line'] - 1:end]]
        for c in d['changes']:
            o, n = c.get('old'), c.get('new')
            if not o or not n or o['status'] == n['status'] or 'moved' in c['changed']:
                continue
            ob, nb = body(old_rev, o), body(new_rev, n)
            # A status taken from elsewhere (a tracking table re-listing the
            # finding, a section) changes with that place, not with the
            # finding's own lines.
            said = n.get('status_text') or ''
            own = said and any(said[:40] in line for line in nb)
            if ob == nb and own:
                self.report('status-flip', '%s:%d' % (new, n['line']),
                            'finding %s %r: %s -> %s with its text unchanged'
                            % (n['id'], n['title'], o['status'], n['status']))

    def document(self, folder):
        revs = []
        tsv = os.path.join(folder, '_revisions.tsv')
        names = sorted(x for x in os.listdir(folder) if x.endswith('.md'))
        if os.path.exists(tsv):
            by_commit = {}
            for n in names:
                m = re.match(r'\d{4}-\d\d-\d\d_([0-9a-f]+)\.md$', n)
                if m:
                    by_commit[m.group(1)] = n
            for row in open(tsv, encoding='utf-8'):
                cols = row.rstrip('\n').split('\t')
                if len(cols) > 1:
                    for short, n in by_commit.items():
                        if cols[1].startswith(short) and n not in revs:
                            revs.append(n)
            revs.reverse()  # oldest first
            revs += [n for n in names if n not in revs]
        else:
            revs = names
        prev = None
        for n in revs:
            path = os.path.join(folder, n)
            rev = self.revision(path)
            if prev and prev[1] is not None and rev is not None:
                self.pair(prev[0], path, prev[1], rev)
            prev = (path, rev)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--auditmd', default='build/src/cli/auditmd')
    ap.add_argument('--explained', help='anomaly lines already explained')
    ap.add_argument('corpus')
    a = ap.parse_args()
    explained = set()
    if a.explained:
        for line in open(a.explained, encoding='utf-8'):
            line = line.rstrip('\n')
            if line and not line.startswith('#'):
                explained.add(line)
    scan = Scan(a.auditmd, explained, os.path.normpath(a.corpus))
    for root, dirs, files in sorted(os.walk(a.corpus)):
        dirs.sort()
        if any(f.endswith('.md') for f in files) and root != a.corpus:
            scan.document(root)
    print('%d anomalies, %d explained' % (scan.found, scan.excused))
    return 1 if scan.found else 0


if __name__ == '__main__':
    sys.exit(main())
