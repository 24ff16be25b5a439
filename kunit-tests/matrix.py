#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Build and run the series' KUnit suites under QEMU, one kernel per arch.

For each arch: kunit.py build with the suites' .kunitconfig files, the
shared debug config (configs/common.config) and the arch's fragment
(configs/ARCH.config); then kunit.py exec once per line of the suites file,
with that line's filter glob and the QEMU arguments from qemu/ARCH.args.
Each boot's console log is scanned for splats; a splat fails the arch even
when every case passed, and so does a case that skips where the suites
file does not allow it (a missing device must not look like a pass).
Prints a table arch x suite and exits non-zero on any failure.
"""

import argparse
import fnmatch
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

# A test that provokes a report on purpose brackets it with these lines.
# Between them only what kmap_local's misuse handling prints is counted
# instead of failing: WARNINGs raised in the functions below, and the
# overflow's "kernel BUG at .../mm/highmem.c" with the oops that follows
# it.  Any other splat fails, inside the brackets or out.
EXPECT_BEGIN = 'kunit-expected-report-begin'
EXPECT_END = 'kunit-expected-report-end'
EXPECTED_REPORT_FUNCS = {'kmap_local_report', 'kmap_local_misuse', 'kunmap_local_slow',
                         'kmap_local_map_slow', 'kmap_local_fork',
                         '__kmap_local_assert_nomap'}
OVERFLOW_BUG = re.compile(r'kernel BUG at \S*mm/highmem\.c:')
AFTER_BUG = re.compile(r'Oops|Internal error|Call Trace:')

CROSS = {'arm': 'arm-linux-gnueabihf-'}


def read_list(path):
    out = []
    with open(path) as f:
        for line in f:
            line = line.split('#', 1)[0].strip()
            if line:
                out.append(line)
    return out


# KTAP lines of the console, at the level of a suite's cases.
KTAP_SUITE = re.compile(r'^\[\s*[\d.]+\] {5}# Subtest: (\S+)')
KTAP_CASE_END = re.compile(r'^\[\s*[\d.]+\] {5}(?:not )?ok \d+ (\S+)')
# A skipped case (5 spaces) or parameter of a case (9), with its reason.
KTAP_SKIP = re.compile(r'^\[\s*[\d.]+\]( {5}| {9})ok \d+ (.+?) # SKIP ?(.*)$')
WARN_FUNC = re.compile(r'WARNING: .* at \S+ ([\w.]+)\+0x')


def read_expected_warnings():
    allowed = set()
    for line in read_list(os.path.join(HERE, 'expected-warnings')):
        case, func = line.split()
        allowed.add((case, func))
    return allowed


def scan_console(path):
    """Return (splat lines, expected reports, upstream WARNs, info lines,
    skip reasons).

    Splat lines are held until the case they appeared in ends: if every
    WARNING among them is one that case provokes on purpose
    (expected-warnings), they are counted instead of failing.  Skip
    reasons are {suite.case or suite.case/parameter: reason}.
    """
    splats, expected, upstream, info, reasons = [], 0, 0, [], {}
    inside = False
    allowed = read_expected_warnings()
    suite, pending, params = '', [], []
    try:
        with open(path, errors='replace') as f:
            lines = f.readlines()
    except OSError:
        return ['no console log'], 0, 0, info, reasons
    bug_seen = False
    for line in lines:
        if EXPECT_BEGIN in line:
            inside = True
            bug_seen = False
            expected += 1
            continue
        if EXPECT_END in line:
            inside = False
            continue
        if inside and OVERFLOW_BUG.search(line):
            bug_seen = True
            continue
        if inside and SPLAT.search(line):
            w = WARN_FUNC.search(line)
            # kunmap_local_slow.constprop.0 is kunmap_local_slow
            if w and w.group(1).split('.')[0] in EXPECTED_REPORT_FUNCS:
                continue
            if 'Call Trace:' in line or (bug_seen and AFTER_BUG.search(line)):
                continue
            splats.append(line.rstrip())
            continue
        if 'kmap_local: highmem' in line:
            info.append(line.split('kmap_local: ', 1)[1].strip())
        m = KTAP_SUITE.match(line)
        if m:
            suite = m.group(1)
        m = KTAP_SKIP.match(line.rstrip('\n'))
        if m and len(m.group(1)) == 9:
            # A parameter's: its case's result line follows.
            params.append((m.group(2), m.group(3).strip()))
            continue
        if m:
            reasons[f'{suite}.{m.group(2)}'] = m.group(3).strip()
        m = KTAP_CASE_END.match(line)
        if m:
            case = f'{suite}.{m.group(1)}'
            for desc, reason in params:
                reasons[f'{case}/{desc}'] = reason
            params = []
            warns = [WARN_FUNC.search(x) for x in pending if 'WARNING:' in x]
            if warns and all(w and (case, w.group(1)) in allowed for w in warns) and \
               all('WARNING:' in x or 'Call Trace:' in x for x in pending):
                upstream += len(warns)
            else:
                splats += pending
            pending = []
            continue
        if not inside and SPLAT.search(line):
            pending.append(line.rstrip())
    splats += pending
    if inside:
        splats.append('console ends inside an expected report')
    return splats, expected, upstream, info, reasons


def count(group, suites):
    """Tally the suites under kunit.py's JSON root group.  A parameterised
    case is a group of its own under its suite; its parameters count as
    cases of that suite ("case/parameter")."""
    def leaves(g, prefix):
        for case in g.get('test_cases', []):
            yield prefix + case['name'], case['status']
        for sub in g.get('sub_groups', []):
            yield from leaves(sub, prefix + sub['name'] + '/')

    for sub in group.get('sub_groups', []):
        c = suites.setdefault(sub['name'], {'PASS': 0, 'FAIL': 0, 'SKIP': 0, 'cases': []})
        for name, st in leaves(sub, ''):
            st = 'FAIL' if st not in ('PASS', 'SKIP') else st
            c[st] += 1
            c['cases'].append((name, st))


def read_suites():
    """The suites file: (.kunitconfig, boot glob, [suite names])."""
    out = []
    for line in read_list(os.path.join(HERE, 'suites')):
        f = line.split()
        if f[0] != 'skip':
            out.append((f[0], f[1], f[2:]))
    return out


def read_allowed_skips():
    """The suites file's skip lines: [(kernel glob, suite.case glob, reason glob)]."""
    out = []
    for line in read_list(os.path.join(HERE, 'suites')):
        f = line.split(None, 3)
        if f[0] != 'skip':
            continue
        if len(f) < 4:
            sys.exit(f'suites: skip line needs KERNEL CASE REASON: {line}')
        out.append((f[1], f[2], f[3]))
    return out


def skip_allowed(skips, kernel, case, reason):
    """Does the suites file let suite.case of KERNEL skip, for REASON?"""
    return any(fnmatch.fnmatchcase(kernel, k) and fnmatch.fnmatchcase(case, c) and
               fnmatch.fnmatchcase(reason, r) for k, c, r in skips)


def read_variants():
    """The variants file: {name: (config fragment, [boot globs])}."""
    out = {}
    for line in read_list(os.path.join(HERE, 'variants')):
        f = line.split()
        out[f[0]] = (f[1], f[2:])
    return out


def kernel_plan(kernel):
    """What kernel KERNEL ("ARCH" or "ARCH-VARIANT") is built from and boots.

    Returns (arch, [kunitconfig files], [suites lines]).  A matrix kernel
    has every suite's .kunitconfig and configs/common.config; a variant
    has its own fragment (configs/NAME.config) instead and boots only the
    suites lines the variants file names.  Both add configs/ARCH.config.
    """
    suites_cfg = read_suites()
    arch, _, variant = kernel.partition('-')
    cfgs = os.path.join(HERE, 'configs')
    if not variant:
        kunitconfigs = list(dict.fromkeys(cfg for cfg, _, _ in suites_cfg))
        kunitconfigs.append(os.path.join(cfgs, 'common.config'))
    else:
        fragment, globs = read_variants()[variant]
        kunitconfigs = [os.path.join(cfgs, fragment)]
        suites_cfg = [x for x in suites_cfg if x[1] in globs]
    kunitconfigs.append(os.path.join(cfgs, arch + '.config'))
    return arch, kunitconfigs, suites_cfg


def run_arch(args, kernel):
    """Build one kernel, then boot it once per suites line.

    A boot per line keeps the suites apart: kmap_local_overflow oopses a
    thread on purpose (which turns lockdep off), and no other suite
    should run after that in the same boot.
    """
    arch, kunitconfigs, suites_cfg = kernel_plan(kernel)
    build_dir = os.path.join(args.out, kernel)
    os.makedirs(build_dir, exist_ok=True)
    log_path = os.path.join(args.logs, f'{kernel}.kunit.log')
    qemu = read_list(os.path.join(HERE, 'qemu', arch + '.args'))
    common = [f'--arch={arch}', f'--build_dir={build_dir}']
    if arch in CROSS:
        common.append(f'--cross_compile={CROSS[arch]}')
    kpy = [sys.executable, 'tools/testing/kunit/kunit.py']
    if args.qemu_config:
        common.append(f'--qemu_config={args.qemu_config}')
    build = kpy + ['build'] + common + [f'--jobs={args.jobs}']
    for cfg in kunitconfigs:
        build.append(f'--kunitconfig={cfg}')

    boots = [args.filter] if args.filter else [glob for _, glob, _ in suites_cfg]

    t0 = time.time()
    suites, splats, expected, upstream, info, run_s = {}, [], 0, 0, [], 0.0
    reasons = {}
    consoles = []
    with open(log_path, 'w') as log:
        if args.no_build:
            build = ['true']
        log.write('$ ' + ' '.join(build) + '\n')
        log.flush()
        rc = subprocess.call(build, cwd=args.src, stdout=log, stderr=subprocess.STDOUT)
    build_s = time.time() - t0
    for n, glob in enumerate(boots if rc == 0 else []):
        json_path = os.path.join(args.logs, f'{kernel}.{n}.json')
        console = os.path.join(build_dir, 'test.log')
        kept = os.path.join(args.logs, f'{kernel}.{n}.console.log')
        for p in (json_path, console, kept):
            if os.path.exists(p):
                os.unlink(p)
        cmd = kpy + ['exec'] + common + [f'--timeout={args.timeout}',
                                         f'--json={json_path}']
        if qemu:
            cmd.append('--qemu_args=' + ' '.join(qemu))
        cmd.append(glob)
        t1 = time.time()
        with open(log_path, 'a') as log:
            log.write('$ ' + ' '.join(cmd) + '\n')
            log.flush()
            rc |= subprocess.call(cmd, cwd=args.src, stdout=log, stderr=subprocess.STDOUT)
        run_s += time.time() - t1
        if os.path.exists(console):
            os.replace(console, kept)
        consoles.append(kept)
        if os.path.exists(json_path):
            with open(json_path) as f:
                count(json.load(f), suites)
        sp, ex, up, inf, why = scan_console(kept)
        reasons.update(why)
        splats += [f'[{glob}] {x}' for x in sp]
        expected += ex
        upstream += up
        info += inf
    elapsed = time.time() - t0
    return {'arch': kernel, 'rc': rc, 'suites': suites, 'splats': splats,
            'expected': expected, 'upstream': upstream, 'info': info,
            'elapsed': elapsed, 'build_s': build_s, 'run_s': run_s, 'boots': len(boots),
            'log': log_path, 'console': ' '.join(consoles), 'reasons': reasons}


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument('--src', required=True)
    ap.add_argument('--out', required=True)
    ap.add_argument('--logs', required=True)
    ap.add_argument('--arches', default='i386 arm x86_64')
    ap.add_argument('--variants', default='',
                    help='extra kernels, ARCH-VARIANT (see the variants file)')
    ap.add_argument('--jobs', default=str(os.cpu_count()))
    ap.add_argument('--timeout', default='1500')
    ap.add_argument('--filter', default='', help='kunit.py filter glob')
    ap.add_argument('--cases', action='store_true', help='list every case')
    ap.add_argument('--qemu_config', default='',
                    help="kunit.py --qemu_config instead of the tree's qemu_configs/ARCH.py")
    ap.add_argument('--no-build', action='store_true',
                    help='boot the kernels already built in --out')
    args = ap.parse_args()
    args.src, args.out, args.logs = (os.path.abspath(p) for p in
                                     (args.src, args.out, args.logs))
    if args.qemu_config:
        args.qemu_config = os.path.abspath(args.qemu_config)
    os.makedirs(args.logs, exist_ok=True)

    results = []
    for kernel in args.arches.split() + args.variants.split():
        print(f'>>> {kernel}: building and running (log: {args.logs}/{kernel}.kunit.log)',
              flush=True)
        r = run_arch(args, kernel)
        r['expected_suites'] = [] if args.filter else \
            [name for _, _, names in kernel_plan(kernel)[2] for name in names]
        results.append(r)
        print(f'>>> {kernel}: done in {r["elapsed"]:.0f}s', flush=True)

    failed = False
    rows = []
    skips = read_allowed_skips()
    for r in results:
        arch_bad = r['rc'] != 0 or r['splats'] or not r['suites']
        r['bad_skips'] = []
        for name, c in sorted(r['suites'].items()):
            for case, st in c['cases']:
                full = f'{name}.{case}'
                why = r['reasons'].get(full, '(no reason found on the console)')
                if st == 'SKIP' and not skip_allowed(skips, r['arch'], full, why):
                    r['bad_skips'].append(f'{full}: {why}')
        arch_bad |= bool(r['bad_skips'])
        for name in r['expected_suites']:
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
        t = (f'{r["elapsed"]:.0f}s (build {r["build_s"]:.0f}s, '
             f'{r["boots"]} boots {r["run_s"]:.0f}s)')
        extra = f', {r["expected"]} expected reports' if r['expected'] else ''
        if r['upstream']:
            extra += f', {r["upstream"]} deliberate upstream WARNs (expected-warnings)'
        info = f'; {r["info"][0]}' if r['info'] else ''
        print(f'{r["arch"]}: {"FAIL" if r["bad"] else "ok"} in {t}{extra}{info}')
        if r['rc'] and not r['suites']:
            print(f'  kunit.py failed (rc {r["rc"]}), see {r["log"]}')
        for s in r['splats'][:20]:
            print(f'  splat: {s}')
        if r['splats']:
            print(f'  console: {r["console"]}')
        for case in r['bad_skips']:
            print(f'  skip not allowed by the suites file: {case}')
        for name, c in sorted(r['suites'].items()):
            for case, st in c['cases']:
                if st == 'FAIL' or args.cases:
                    print(f'  {name}.{case}: {st}')
    with open(os.path.join(args.logs, 'matrix.json'), 'w') as f:
        json.dump([{k: v for k, v in r.items()} for r in results], f, indent=1)
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
