#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Build and run the series' KUnit suites under QEMU, one kernel per arch.

For each arch: kunit.py run with the suites' .kunitconfig files, the shared
debug config (configs/common.config) and the arch's fragment
(configs/ARCH.config), QEMU arguments from qemu/ARCH.args.  The console log
is scanned for splats; a splat fails the arch even when every case passed.
Prints a table arch x suite and exits non-zero on any failure.
"""

import argparse
import json
import os
import re
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))

# What counts as a splat on the console.
SPLAT = re.compile(
    r'WARNING:|BUG:|Oops|Kernel panic|Unable to handle kernel|'
    r'general protection fault|DEBUG_LOCKS_WARN_ON|'
    r'possible recursive locking|possible circular locking|'
    r'inconsistent lock state|suspicious RCU usage|INFO: lockdep|'
    r'UBSAN:|stack-protector|Call Trace:|'
    r'scheduling while atomic|sleeping function called from invalid context')

# A test that provokes a report on purpose brackets it with these lines;
# what lies between is counted, not treated as a splat.  Anything outside
# the brackets is still scanned.
EXPECT_BEGIN = 'kunit-expected-report-begin'
EXPECT_END = 'kunit-expected-report-end'

CROSS = {'arm': 'arm-linux-gnueabihf-'}


def read_list(path):
    out = []
    with open(path) as f:
        for line in f:
            line = line.split('#', 1)[0].strip()
            if line:
                out.append(line)
    return out


def scan_console(path):
    """Return (splat lines, number of expected reports, highmem line)."""
    splats, expected, info = [], 0, []
    inside = False
    try:
        with open(path, errors='replace') as f:
            lines = f.readlines()
    except OSError:
        return ['no console log'], 0, info
    for line in lines:
        if EXPECT_BEGIN in line:
            inside = True
            expected += 1
            continue
        if EXPECT_END in line:
            inside = False
            continue
        if 'kmap_local: highmem' in line:
            info.append(line.split('kmap_local: ', 1)[1].strip())
        if not inside and SPLAT.search(line):
            splats.append(line.rstrip())
    if inside:
        splats.append('console ends inside an expected report')
    return splats, expected, info


def count(group, suites):
    for sub in group.get('sub_groups', []):
        name = sub['name']
        c = suites.setdefault(name, {'PASS': 0, 'FAIL': 0, 'SKIP': 0, 'cases': []})
        for case in sub.get('test_cases', []):
            st = case['status']
            st = 'FAIL' if st not in ('PASS', 'SKIP') else st
            c[st] += 1
            c['cases'].append((case['name'], st))
        count(sub, suites)


def run_arch(args, arch):
    build_dir = os.path.join(args.out, arch)
    os.makedirs(build_dir, exist_ok=True)
    json_path = os.path.join(args.logs, f'{arch}.json')
    log_path = os.path.join(args.logs, f'{arch}.kunit.log')
    console = os.path.join(build_dir, 'test.log')
    for p in (json_path, console):
        if os.path.exists(p):
            os.unlink(p)
    cmd = [sys.executable, 'tools/testing/kunit/kunit.py', 'run',
           f'--arch={arch}', f'--build_dir={build_dir}',
           f'--jobs={args.jobs}', f'--timeout={args.timeout}',
           f'--json={json_path}']
    if arch in CROSS:
        cmd.append(f'--cross_compile={CROSS[arch]}')
    for line in read_list(os.path.join(HERE, 'suites')):
        cmd.append(f'--kunitconfig={line.split()[0]}')
    cmd.append(f'--kunitconfig={os.path.join(HERE, "configs", "common.config")}')
    cmd.append(f'--kunitconfig={os.path.join(HERE, "configs", arch + ".config")}')
    qemu = read_list(os.path.join(HERE, 'qemu', arch + '.args'))
    cmd.append('--qemu_args=' + ' '.join(qemu))
    if args.filter:
        cmd.append(args.filter)
    t0 = time.time()
    with open(log_path, 'w') as log:
        log.write('$ ' + ' '.join(cmd) + '\n')
        log.flush()
        rc = subprocess.call(cmd, cwd=args.src, stdout=log, stderr=subprocess.STDOUT)
    elapsed = time.time() - t0
    build_s = run_s = None
    with open(log_path, errors='replace') as f:
        text = f.read()
    m = re.search(r'Elapsed time: [\d.]+s total, [\d.]+s configuring, '
                  r'([\d.]+)s building, ([\d.]+)s running', text)
    if m:
        build_s, run_s = float(m.group(1)), float(m.group(2))
    suites = {}
    if os.path.exists(json_path):
        with open(json_path) as f:
            count(json.load(f), suites)
    splats, expected, info = scan_console(console)
    return {'arch': arch, 'rc': rc, 'suites': suites, 'splats': splats,
            'expected': expected, 'info': info, 'elapsed': elapsed,
            'build_s': build_s, 'run_s': run_s, 'log': log_path,
            'console': console}


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument('--src', required=True)
    ap.add_argument('--out', required=True)
    ap.add_argument('--logs', required=True)
    ap.add_argument('--arches', default='i386 arm x86_64')
    ap.add_argument('--jobs', default=str(os.cpu_count()))
    ap.add_argument('--timeout', default='1500')
    ap.add_argument('--filter', default='', help='kunit.py filter glob')
    ap.add_argument('--cases', action='store_true', help='list every case')
    args = ap.parse_args()
    args.src, args.out, args.logs = (os.path.abspath(p) for p in
                                     (args.src, args.out, args.logs))
    os.makedirs(args.logs, exist_ok=True)

    expected_suites = [name for line in read_list(os.path.join(HERE, 'suites'))
                       for name in line.split()[1:]]
    results = []
    for arch in args.arches.split():
        print(f'>>> {arch}: building and running (log: {args.logs}/{arch}.kunit.log)',
              flush=True)
        r = run_arch(args, arch)
        results.append(r)
        print(f'>>> {arch}: done in {r["elapsed"]:.0f}s', flush=True)

    failed = False
    rows = []
    for r in results:
        arch_bad = r['rc'] != 0 or r['splats'] or not r['suites']
        for name in expected_suites:
            if name not in r['suites']:
                rows.append((r['arch'], name + ' (missing)', '-', '-', '-',
                             len(r['splats'])))
                arch_bad = True
        for name, c in sorted(r['suites'].items()):
            rows.append((r['arch'], name, c['PASS'], c['FAIL'], c['SKIP'],
                         len(r['splats'])))
            if c['FAIL']:
                arch_bad = True
        r['bad'] = arch_bad
        failed |= bool(arch_bad)

    print()
    hdr = ('arch', 'suite', 'pass', 'fail', 'skip', 'splats')
    w = [max(len(str(x[i])) for x in rows + [hdr]) for i in range(len(hdr))]
    fmt = '  '.join(['{:<%d}' % w[0], '{:<%d}' % w[1]] +
                    ['{:>%d}' % w[i] for i in range(2, len(hdr))])
    print(fmt.format(*hdr))
    for row in rows:
        print(fmt.format(*[str(x) for x in row]))
    print()
    for r in results:
        t = f'{r["elapsed"]:.0f}s'
        if r['build_s'] is not None:
            t += f' (build {r["build_s"]:.0f}s, run {r["run_s"]:.0f}s)'
        extra = f', {r["expected"]} expected reports' if r['expected'] else ''
        info = f'; {r["info"][0]}' if r['info'] else ''
        print(f'{r["arch"]}: {"FAIL" if r["bad"] else "ok"} in {t}{extra}{info}')
        if r['rc'] and not r['suites']:
            print(f'  kunit.py failed (rc {r["rc"]}), see {r["log"]}')
        for s in r['splats'][:20]:
            print(f'  splat: {s}')
        if r['splats']:
            print(f'  console: {r["console"]}')
        for name, c in sorted(r['suites'].items()):
            for case, st in c['cases']:
                if st == 'FAIL' or args.cases:
                    print(f'  {name}.{case}: {st}')
    with open(os.path.join(args.logs, 'matrix.json'), 'w') as f:
        json.dump([{k: v for k, v in r.items()} for r in results], f, indent=1)
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
