#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Census of what is left of kmap() and the atomic mapping family.

Finds the calls of kmap(), kmap_atomic(), kmap_atomic_prot(),
kmap_atomic_pfn() and io_mapping_map_atomic_wc() in a kernel tree (C
comments and strings stripped; the APIs' own definitions left out), runs
scripts/coccinelle/api/kmap_local.cocci on each file that has any, in
patch mode and in report mode, and prints a table by subsystem: per API,
how many calls patch mode converted and how many need a human, then every
call that needs a human, with file:line and the reason report mode gives.
A call counts as converted only if patch mode's diff replaced it; a file
spatch fails on counts its calls as needing a human, with spatch's error.
kmap() is not converted by the semantic patch (its mappings may be
long-lived and cross contexts), so all of its calls need a human.
spatch runs with --dir over links to those files, so that each file is
processed on its own.
"""

import argparse
import collections
import csv
import os
import re
import subprocess
import sys
import tempfile
import time

APIS = ['kmap', 'kmap_atomic', 'kmap_atomic_prot', 'kmap_atomic_pfn',
        'io_mapping_map_atomic_wc']
CALL = re.compile(r'\b(' + '|'.join(APIS) + r')\s*\(')
COCCI = 'scripts/coccinelle/api/kmap_local.cocci'
# The APIs' own definitions and documentation are not call sites.
EXCLUDE = [':!tools', ':!Documentation', ':!include/linux/highmem.h',
           ':!include/linux/highmem-internal.h', ':!include/linux/io-mapping.h']
REPORT = re.compile(r'^(\S+):(\d+):(\d+)-\d+: WARNING: (\w+)\(\) (.*)$')
ATOMIC = re.compile(r'\b(' + '|'.join(a for a in APIS if a != 'kmap') + r')\s*\(')


def strip_comments(text):
    """Blank out C comments and string literals, keeping line numbers."""
    def blank(m):
        return re.sub(r'[^\n]', ' ', m.group(0))
    return re.sub(r'/\*.*?\*/|//[^\n]*|"(?:\\.|[^"\\\n])*"', blank, text, flags=re.S)


def subsystem(path):
    parts = path.split('/')
    depth = 3 if parts[0] == 'drivers' and len(parts) > 3 and parts[1] in ('gpu', 'net', 'staging', 'media', 'infiniband') else 2
    return '/'.join(parts[:min(depth, len(parts) - 1)]) or parts[0]


def calls_in(src, files):
    """(file, line, column, API) of every call of the family in files."""
    calls = []
    for f in files:
        with open(os.path.join(src, f), errors='replace') as fh:
            text = strip_comments(fh.read())
        for n, line in enumerate(text.split('\n'), 1):
            for m in CALL.finditer(line):
                # a definition or declaration (only a type before it) is not a call
                pre = line[:m.start()]
                # a call through a member of the same name (ops->kmap()) is not one
                if re.search(r'(->|\.)\s*$', pre):
                    continue
                if re.fullmatch(r'[\w\s*]*', pre) and re.search(r'\w', pre) and \
                   not re.search(r'\b(return|else|do)\b', pre):
                    continue
                calls.append((f, n, m.start(), m.group(1)))
    return calls


def find_calls(src):
    files = subprocess.run(['git', 'grep', '-l', '-E', CALL.pattern, '--', '*.c', '*.h'] + EXCLUDE,
                           cwd=src, capture_output=True, text=True).stdout.split()
    return files, calls_in(src, files)


def spatch_dir(src, mode, files, jobs, cocci):
    """spatch --dir over a tree of links to files, so that each file is
    processed alone (files named on the command line form one group, whose
    rules see each other's matches): (stdout, {file: error}, other stderr)."""
    with tempfile.TemporaryDirectory() as tmp:
        for f in files:
            os.makedirs(os.path.join(tmp, os.path.dirname(f)), exist_ok=True)
            os.symlink(os.path.join(src, f), os.path.join(tmp, f))
        p = subprocess.run(['spatch', '-D', mode, '--very-quiet', '--no-includes',
                            '--include-headers', '--cocci-file', cocci or os.path.join(src, COCCI),
                            '--dir', '.', '--jobs', str(jobs), '--chunksize', '1'],
                           cwd=tmp, capture_output=True, text=True)
    errors, other = {}, []
    for line in p.stderr.split('\nEXN: '):
        line = line.strip()
        if not line:
            continue
        m = re.search(r' in \./(\S+)$', line)
        if m and m.group(1) in files:
            errors[m.group(1)] = line.splitlines()[0].removeprefix('EXN: ')
        else:
            other.append(line.splitlines()[0])
    if p.returncode:
        other.append(f'spatch MODE={mode} exit status {p.returncode}')
    return p.stdout, errors, other


def converted_calls(src, f, diff):
    """(file, line, column) of the atomic-family calls the diff replaced."""
    with open(os.path.join(src, f), errors='replace') as fh:
        old = strip_comments(fh.read()).split('\n')
    done = set()
    hunks = re.split(r'^@@ -(\d+)(?:,\d+)? \+\d+(?:,\d+)? @@.*$', diff, flags=re.M)
    for start, body in zip(hunks[1::2], hunks[2::2]):
        n = int(start)
        removed, added = [], collections.Counter()
        for line in body.split('\n'):
            if line.startswith('-'):
                removed += [(n, m.start(), m.group(1)) for m in ATOMIC.finditer(old[n - 1])]
                n += 1
            elif line.startswith('+'):
                added.update(m.group(1) for m in ATOMIC.finditer(strip_comments(line[1:])))
            elif line.startswith(' '):
                n += 1
        # a call on a removed line is converted unless the hunk adds it back
        for line, col, api in reversed(removed):
            if added[api]:
                added[api] -= 1
            else:
                done.add((f, line, col))
    return done


def run_spatch(src, files, jobs, cocci=None):
    """Report-mode verdicts, patch-mode conversions and failures, per call."""
    verdict, converted, failures, other = {}, set(), {}, []
    for mode in ('report', 'patch'):
        out, errors, more = spatch_dir(src, mode, files, jobs, cocci)
        failures.update({(f, mode): e for f, e in errors.items()})
        other += more
        if mode == 'patch':
            for part in re.split(r'^(?=--- a/)', out, flags=re.M):
                m = re.match(r'--- a/(\S+)\n\+\+\+ ', part)
                if m:
                    converted |= converted_calls(src, m.group(1), part)
            continue
        for line in out.splitlines():
            m = REPORT.match(line.removeprefix('./'))
            if not m:
                continue
            auto = 'automatically' in m.group(5)
            reason = m.group(5).split(': needs a human')[0] if not auto else ''
            verdict[(m.group(1), int(m.group(2)), int(m.group(3)))] = \
                ('auto' if auto else 'human', reason)
    if other:
        failures[('(whole run)', 'spatch')] = '; '.join(other)
    return verdict, converted, failures


def classify(calls, verdict, converted, failures):
    """One row per call: converted by patch mode or not, and why not."""
    rows, disagree = [], []
    for f, n, col, api in calls:
        said = verdict.get((f, n, col))
        if api == 'kmap':
            outcome, reason = 'human', 'kmap(): not converted by the semantic patch'
        elif (f, n, col) in converted:
            outcome, reason = 'auto', ''
            if not said or said[0] != 'auto':
                disagree.append(f'{f}:{n}: {api}: patch mode converted it, report mode says '
                                f'"{said[1] if said else "nothing"}"')
        else:
            outcome = 'human'
            fail = failures.get((f, 'patch')) or failures.get((f, 'report')) or \
                failures.get(('(whole run)', 'spatch'))
            if said and said[0] == 'human':
                reason = said[1]
            elif said:
                reason = 'report mode says automatic, patch mode did not convert it'
                disagree.append(f'{f}:{n}: {api}: {reason}')
            else:
                reason = 'not seen by spatch (in a macro, or a parse failure)'
            if fail:
                reason += f' (spatch failed: {fail})'
        rows.append({'file': f, 'line': n, 'column': col, 'api': api, 'subsystem': subsystem(f),
                     'outcome': outcome, 'reason': reason})
    return rows, disagree


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument('--src', required=True)
    ap.add_argument('--csv', help='also write every call site to this CSV file')
    ap.add_argument('--jobs', default='2')
    ap.add_argument('--require-zero', action='append', default=[], metavar='DIR',
                    help='fail if any atomic-family call is left under DIR')
    args = ap.parse_args()
    args.src = os.path.abspath(args.src)
    t0 = time.time()
    files, calls = find_calls(args.src)
    atomic_files = sorted({f for f, _, _, api in calls if api != 'kmap'})
    verdict, converted, failures = run_spatch(args.src, atomic_files, args.jobs)
    rows, disagree = classify(calls, verdict, converted, failures)

    table = collections.defaultdict(lambda: collections.Counter())
    for r in rows:
        table[r['subsystem']][(r['api'], r['outcome'])] += 1
    cols = APIS
    hdr = ['subsystem'] + [c if c == 'kmap' else f'{c} auto/human' for c in cols] + ['total']
    lines = []
    tot = collections.Counter()
    for sub in sorted(table, key=lambda s: (-sum(table[s].values()), s)):
        c = table[sub]
        cells = [sub]
        for api in cols:
            a, h = c[(api, 'auto')], c[(api, 'human')]
            tot[(api, 'auto')] += a
            tot[(api, 'human')] += h
            cells.append(str(h) if api == 'kmap' else f'{a}/{h}')
        cells.append(str(sum(c.values())))
        lines.append(cells)
    total = ['TOTAL'] + [str(tot[(api, 'human')]) if api == 'kmap' else
                         f'{tot[(api, "auto")]}/{tot[(api, "human")]}' for api in cols] + \
        [str(sum(tot.values()))]
    w = [max(len(x[i]) for x in lines + [hdr, total]) for i in range(len(hdr))]
    fmt = lambda cells: '  '.join(c.ljust(w[0]) if i == 0 else c.rjust(w[i])
                                  for i, c in enumerate(cells))
    print(fmt(hdr))
    for cells in lines:
        print(fmt(cells))
    print(fmt(total))
    atomic = [r for r in rows if r['api'] != 'kmap']
    auto = sum(r['outcome'] == 'auto' for r in atomic)
    print(f'\n{len(atomic)} atomic-family calls ({auto} converted by patch mode, '
          f'{len(atomic) - auto} need a human), {len(rows) - len(atomic)} kmap() calls, '
          f'in {len(files)} files; spatch ran on {len(atomic_files)} files in patch and report '
          f'mode in {time.time() - t0:.0f}s: {len(failures)} runs failed, {len(disagree)} calls '
          'where the modes disagree')
    for (f, mode), err in sorted(failures.items()):
        print(f'  spatch failed on {f} (MODE={mode}): {err}')
    for d in disagree:
        print(f'  modes disagree: {d}')
    print('\nNeeds a human (atomic family):')
    for r in sorted(atomic, key=lambda r: (r['file'], r['line'], r['column'])):
        if r['outcome'] == 'human':
            print(f"  {r['file']}:{r['line']}: {r['api']}: {r['reason']}")
    if args.csv:
        with open(args.csv, 'w', newline='') as fh:
            wr = csv.DictWriter(fh, fieldnames=['file', 'line', 'column', 'api', 'subsystem',
                                                'outcome', 'reason'])
            wr.writeheader()
            wr.writerows(sorted(rows, key=lambda r: (r['file'], r['line'], r['column'])))
        print(f'\nCSV: {args.csv} ({len(rows)} rows)')
    # a conversion report mode does not stand behind is a defect of the tool
    rc = int(bool(disagree))
    for d in args.require_zero:
        d = d.rstrip('/') + '/'
        left = [r for r in atomic if r['file'].startswith(d)]
        kmaps = [r for r in rows if r['api'] == 'kmap' and r['file'].startswith(d)]
        print(f'\n{d}: {len(left)} atomic-family calls left (required: 0), '
              f'{len(kmaps)} kmap() calls left')
        for r in left + kmaps:
            print(f"  {r['file']}:{r['line']}: {r['api']}")
        rc |= bool(left)
    return rc


if __name__ == '__main__':
    sys.exit(main())
