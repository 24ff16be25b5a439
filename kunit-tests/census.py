#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Census of what is left of kmap() and the atomic mapping family.

Finds the calls of kmap(), kmap_atomic(), kmap_atomic_prot(),
kmap_atomic_pfn() and io_mapping_map_atomic_wc() in a kernel tree (C
comments and strings stripped; the APIs' own definitions left out), runs
scripts/coccinelle/api/kmap_local.cocci in report mode on just the files
that have any, and prints a table by subsystem: per API, how many calls
the semantic patch converts automatically and how many need a human, then
every call that needs a human, with file:line and the reason.  kmap() is
not converted by the semantic patch (its mappings may be long-lived and
cross contexts), so all of its calls count as needing a human.
"""

import argparse
import collections
import csv
import os
import re
import subprocess
import sys
import time

APIS = ['kmap', 'kmap_atomic', 'kmap_atomic_prot', 'kmap_atomic_pfn',
        'io_mapping_map_atomic_wc']
CALL = re.compile(r'\b(' + '|'.join(APIS) + r')\s*\(')
COCCI = 'scripts/coccinelle/api/kmap_local.cocci'
# The APIs' own definitions and documentation are not call sites.
EXCLUDE = [':!tools', ':!Documentation', ':!include/linux/highmem.h',
           ':!include/linux/highmem-internal.h', ':!include/linux/io-mapping.h']
REPORT = re.compile(r'^(\S+):(\d+):\d+-\d+: WARNING: (\w+)\(\) (.*)$')


def strip_comments(text):
    """Blank out C comments and string literals, keeping line numbers."""
    def blank(m):
        return re.sub(r'[^\n]', ' ', m.group(0))
    return re.sub(r'/\*.*?\*/|//[^\n]*|"(?:\\.|[^"\\\n])*"', blank, text, flags=re.S)


def subsystem(path):
    parts = path.split('/')
    depth = 3 if parts[0] == 'drivers' and len(parts) > 3 and parts[1] in ('gpu', 'net', 'staging', 'media', 'infiniband') else 2
    return '/'.join(parts[:min(depth, len(parts) - 1)]) or parts[0]


def find_calls(src):
    files = subprocess.run(['git', 'grep', '-l', '-E', CALL.pattern, '--', '*.c', '*.h'] + EXCLUDE,
                           cwd=src, capture_output=True, text=True).stdout.split()
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
                calls.append((f, n, m.group(1)))
    return files, calls


def run_spatch(src, files, jobs):
    want = sorted({f for f in files})
    out = []
    for i in range(0, len(want), 16):
        chunk = want[i:i + 16]
        p = subprocess.run(['spatch', '-D', 'report', '--very-quiet', '--no-show-diff',
                            '--no-includes', '--include-headers', '--jobs', str(jobs),
                            '--cocci-file', os.path.join(src, COCCI)] + chunk,
                           cwd=src, capture_output=True, text=True)
        if p.returncode:
            sys.exit(f'spatch failed on {" ".join(chunk)}:\n{p.stderr}')
        out += p.stdout.splitlines()
    return out


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
    atomic_files = sorted({f for f, _, api in calls if api != 'kmap'})
    reports = run_spatch(args.src, atomic_files, args.jobs)
    verdict = {}
    for line in reports:
        m = REPORT.match(line)
        if not m or 'LIFO' in m.group(4):
            continue
        key = (m.group(1), int(m.group(2)))
        auto = 'automatically' in m.group(4)
        reason = m.group(4).split(': needs a human')[0] if not auto else ''
        # a site matched by several rules: any reason to hold back wins
        if key not in verdict or not auto:
            verdict[key] = ('auto' if auto else 'human', reason)

    rows = []
    for f, n, api in calls:
        if api == 'kmap':
            outcome, reason = 'human', 'kmap(): not converted by the semantic patch'
        else:
            outcome, reason = verdict.get((f, n), ('human', 'not seen by spatch (in a macro, or a parse failure)'))
        rows.append({'file': f, 'line': n, 'api': api, 'subsystem': subsystem(f),
                     'outcome': outcome, 'reason': reason})

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
    print(f'\n{len(atomic)} atomic-family calls ({auto} converted automatically, '
          f'{len(atomic) - auto} need a human), {len(rows) - len(atomic)} kmap() calls, '
          f'in {len(files)} files; spatch ran on {len(atomic_files)} files in {time.time() - t0:.0f}s')
    print('\nNeeds a human (atomic family):')
    for r in sorted(atomic, key=lambda r: (r['file'], r['line'])):
        if r['outcome'] == 'human':
            print(f"  {r['file']}:{r['line']}: {r['api']}: {r['reason']}")
    if args.csv:
        with open(args.csv, 'w', newline='') as fh:
            wr = csv.DictWriter(fh, fieldnames=['file', 'line', 'api', 'subsystem', 'outcome', 'reason'])
            wr.writeheader()
            wr.writerows(sorted(rows, key=lambda r: (r['file'], r['line'])))
        print(f'\nCSV: {args.csv} ({len(rows)} rows)')
    rc = 0
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
