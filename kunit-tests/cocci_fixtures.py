#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Run scripts/coccinelle/api/kmap_local.cocci on the fixtures in cocci/
with `make coccicheck` in every mode, and compare with what they expect.

For each fixture NAME.c:
  NAME.res     the file after MODE=patch (no .res: patch mode must not touch it)
  NAME.report  the exact MODE=report lines (no .report: none)
MODE=org must give one TODO item per report line, and MODE=context must
show every fixture that has report lines.  Then census.py's own path runs
spatch on each fixture alone in patch and report mode: no run may fail or
warn, and patch mode must convert exactly the calls report mode calls
automatic, so that the census counts what patch mode did.
"""

import collections
import glob
import os
import re
import shutil
import subprocess
import sys
import tempfile

import census

HERE = os.path.dirname(os.path.abspath(__file__))
COCCI = 'scripts/coccinelle/api/kmap_local.cocci'


def coccicheck(src, mode, tmp):
    p = subprocess.run(['make', '-s', 'coccicheck', f'COCCI={os.path.join(src, COCCI)}',
                        f'MODE={mode}', f'M={tmp}', 'J=2'], cwd=src,
                       capture_output=True, text=True)
    if p.returncode:
        sys.exit(f'make coccicheck MODE={mode} failed:\n{p.stdout}{p.stderr}')
    return p.stdout


def per_file(lines, tmp, pattern):
    out = collections.defaultdict(list)
    for line in lines.splitlines():
        m = re.search(pattern, line)
        if m:
            out[os.path.basename(m.group(1))].append(m.group(0).replace(tmp + '/', ''))
    return out


def main():
    src = os.path.abspath(sys.argv[1])
    fixtures = sorted(glob.glob(os.path.join(HERE, 'cocci', '*.c')))
    bad = 0
    with tempfile.TemporaryDirectory() as tmp:
        for f in fixtures:
            shutil.copy(f, tmp)
        report = per_file(coccicheck(src, 'report', tmp), tmp, r'(\S+\.c):\d+:\d+-\d+: .*')
        org = per_file(coccicheck(src, 'org', tmp), tmp, r'\[\[view:(\S+\.c)::')
        context = coccicheck(src, 'context', tmp)
        diff = coccicheck(src, 'patch', tmp)
        p = subprocess.run(['patch', '-s', '-p%d' % (tmp.count('/') + 1), '-d', tmp],
                           input=diff, capture_output=True, text=True)
        if p.returncode:
            print(f'FAIL applying MODE=patch output:\n{p.stdout}{p.stderr}')
            bad += 1
        for f in fixtures:
            name = os.path.basename(f)
            base = f[:-2]
            errs = []
            want = []
            if os.path.exists(base + '.report'):
                with open(base + '.report') as r:
                    want = [x.rstrip('\n') for x in r if x.strip()]
            got = report.get(name, [])
            if sorted(got) != sorted(want):
                errs.append('report:\n  want ' + '\n       '.join(want) +
                            '\n  got  ' + '\n       '.join(got))
            if len(org.get(name, [])) != len(want):
                errs.append(f'org: {len(org.get(name, []))} items, want {len(want)}')
            if bool(want) != (f'{tmp}/{name}' in context):
                errs.append('context: ' + ('missing' if want else 'unexpected'))
            expect = base + '.res' if os.path.exists(base + '.res') else f
            with open(expect) as a, open(os.path.join(tmp, name)) as b:
                if a.read() != b.read():
                    errs.append('patch: result differs from ' + os.path.basename(expect))
            conv = sum('automatically' in x for x in want)
            human = sum('needs a human' in x for x in want)
            lifo = sum('unmap breaks LIFO' in x for x in want)
            print(f'{"ok  " if not errs else "FAIL"} {name}: {conv} converted, '
                  f'{human} for a human, {lifo} LIFO breaks'
                  f'{", patch as " + os.path.basename(expect) if expect != f else ", patch: unchanged"}')
            for e in errs:
                print('     ' + e)
            bad += bool(errs)
        names = [os.path.basename(f) for f in fixtures]
        for f in fixtures:
            shutil.copy(f, tmp)
        calls = census.calls_in(tmp, names)
        verdict, converted, failures = census.run_spatch(tmp, names, 2, os.path.join(src, COCCI))
        rows, disagree = census.classify(calls, verdict, converted, failures)
        auto = sum(r['outcome'] == 'auto' for r in rows)
        print(f'{"ok  " if not (failures or disagree) else "FAIL"} census path: {len(rows)} calls, '
              f'{auto} converted by patch mode, {len(rows) - auto} for a human, '
              f'{len(failures)} spatch runs failed or warned, {len(disagree)} where the modes disagree')
        for (f, mode), err in sorted(failures.items()):
            print(f'     spatch MODE={mode} {f}: {err}')
        for d in disagree:
            print('     ' + d)
        bad += bool(failures or disagree)
    print(f'{len(fixtures) - bad} of {len(fixtures)} coccinelle fixtures as expected '
          '(modes patch, report, org, context via make coccicheck)')
    return 1 if bad or not fixtures else 0


if __name__ == '__main__':
    sys.exit(main())
