#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Per-patch W=1 C=2 builds of every driver object the series touches.

For each patch that changes files of a driver listed in kunit-tests/drivers,
and for each arch where Kconfig lets that driver build, the objects the patch
touches are built with W=1 and C=2 (sparse) at the patch and at its parent,
in a worktree of their own walking the series forward.  The patch fails if
an object does not build or shows a warning its parent did not have.

Touched objects: each changed .c file; a selftest .c file stands for the
driver file that #includes it; a changed header stands for every .c file of
that driver that includes it.  The config is the arch's matrix config plus
configs/drivers.config.
"""

import argparse
import os
import re
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
CROSS = {'arm': 'arm-linux-gnueabihf-'}
LINUX_ARCH = {'i386': 'i386', 'x86_64': 'x86_64', 'arm': 'arm'}
WARN = re.compile(r'(warning|error):')


def git(src, *args):
    return subprocess.run(['git', '-C', src] + list(args), check=True,
                          capture_output=True, text=True).stdout


def read_table():
    table = []
    with open(os.path.join(HERE, 'drivers')) as f:
        for line in f:
            line = line.split('#', 1)[0].split()
            if line:
                table.append((line[0].rstrip('/') + '/', line[1]))
    table.sort(key=lambda t: -len(t[0]))
    return table


def driver_of(path, table):
    for d, sym in table:
        if path.startswith(d):
            return d, sym
    return None, None


def includers(tree, d, pat):
    """Objects of the .c files under driver directory d that match pat."""
    for root, _, names in os.walk(os.path.join(tree, d)):
        for n in names:
            p = os.path.join(root, n)
            if n.endswith('.c') and pat.search(open(p, errors='replace').read()):
                yield os.path.relpath(p, tree)[:-2] + '.o'


def objects(tree, files, table):
    """Objects standing for the changed files, with their driver symbol."""
    objs = {}
    for f in files:
        d, sym = driver_of(f, table)
        if not sym or sym == '-':
            continue
        if f.endswith('.h'):
            name = re.escape(os.path.basename(f))
            pat = re.compile(r'#include\s+["<]([^">]*/)?' + name + r'[">]')
        elif '/selftests/' in f and f.endswith('.c'):
            pat = re.compile(re.escape('#include "selftests/' + f.split('/selftests/', 1)[1] + '"'))
        elif f.endswith('.c'):
            objs[f[:-2] + '.o'] = sym
            continue
        else:
            continue
        for o in includers(tree, d, pat):
            objs[o] = sym
    return objs


def make(tree, out, arch, jobs, targets, log):
    cmd = ['make', '-C', tree, f'O={out}', f'ARCH={LINUX_ARCH[arch]}', f'-j{jobs}']
    if arch in CROSS:
        cmd.append(f'CROSS_COMPILE={CROSS[arch]}')
    cmd += targets
    with open(log, 'w') as f:
        f.write('$ ' + ' '.join(cmd) + '\n')
        f.flush()
        return subprocess.call(cmd, stdout=f, stderr=subprocess.STDOUT)


def warnings(tree, out, arch, jobs, objs, log):
    rc = make(tree, out, arch, jobs, ['C=2', 'W=1'] + objs, log)
    found = set()
    with open(log, errors='replace') as f:
        for line in f:
            if WARN.search(line):
                line = line.strip().replace(tree + '/', '')
                line = re.sub(r'^(\.\./)+', '', line)
                line = re.sub(r':\d+:\d+:', ':', line)
                line = re.sub(r':\d+:', ':', line)
                found.add(line)
    return rc, found


def owned():
    """Filter stdin's paths to those this gate builds (for the sparse gate)."""
    table = read_table()
    for f in sys.stdin.read().split():
        if (driver_of(f, table)[1] or '-') != '-':
            print(f)
    return 0


def not_owned():
    """Filter stdin's paths to those this gate does not build (for bisect)."""
    table = read_table()
    for f in sys.stdin.read().split():
        if (driver_of(f, table)[1] or '-') == '-':
            print(f)
    return 0


def needs_build(config_path):
    """Exit 0 if any of stdin's paths is built by a kernel with this config:
    not one of this gate's drivers, or one whose symbol the config enables."""
    table = read_table()
    config = open(config_path).read()
    for f in sys.stdin.read().split():
        sym = driver_of(f, table)[1] or '-'
        if sym == '-' or re.search(rf'^CONFIG_{sym}=[ym]$', config, re.M):
            return 0
    return 1


def main():
    if sys.argv[1:] == ['--owned']:
        return owned()
    if sys.argv[1:] == ['--not-owned']:
        return not_owned()
    if sys.argv[1:2] == ['--needs-build'] and len(sys.argv) == 3:
        return needs_build(sys.argv[2])
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--src', required=True, help='kernel work tree with both branches')
    ap.add_argument('--base', required=True)
    ap.add_argument('--series', required=True)
    ap.add_argument('--build', required=True, help='scratch dir: worktree and O dirs')
    ap.add_argument('--matrix-out', required=True, help="the matrix's O dirs (their .config)")
    ap.add_argument('--logs', required=True)
    ap.add_argument('--arches', default='i386 arm x86_64')
    ap.add_argument('--jobs', default=str(os.cpu_count()))
    args = ap.parse_args()
    table = read_table()
    tree = os.path.join(args.build, 'linux')
    os.makedirs(args.logs, exist_ok=True)

    commits = git(args.src, 'rev-list', '--reverse', f'{args.base}..{args.series}').split()
    todo = []
    for n, c in enumerate(commits, 1):
        files = git(args.src, 'diff', '--name-only', f'{c}^', c).split()
        if any((driver_of(f, table)[1] or '-') != '-' and f.endswith(('.c', '.h'))
               for f in files):
            todo.append((n, c, files))
    if not todo:
        print('no patch touches a listed driver')
        return 0
    if not os.path.exists(os.path.join(tree, '.git')):
        subprocess.run(['git', '-C', args.src, 'worktree', 'prune'], check=True)
        subprocess.run(['git', '-C', args.src, 'worktree', 'add', '-q', '--detach', tree,
                        args.base], check=True)

    bad = 0
    for arch in args.arches.split():
        t0 = time.time()
        out = os.path.join(args.build, 'out', arch)
        os.makedirs(out, exist_ok=True)
        mcfg = os.path.join(args.matrix_out, arch, '.config')
        if not os.path.exists(mcfg):
            print(f'FAIL {arch}: no matrix config (run the matrix gate first)')
            bad += 1
            continue
        git(tree, 'checkout', '-q', '-f', '--detach', todo[0][1] + '^')
        with open(mcfg) as f, open(os.path.join(out, '.config'), 'w') as o:
            o.write(f.read())
            o.write(open(os.path.join(HERE, 'configs', 'drivers.config')).read())
        log = os.path.join(args.logs, f'drivers-{arch}-config.log')
        if make(tree, out, arch, args.jobs, ['olddefconfig'], log):
            print(f'FAIL {arch}: olddefconfig (log: {log})')
            bad += 1
            continue
        config = open(os.path.join(out, '.config')).read()
        enabled = {sym for _, sym in table if sym != '-' and
                   re.search(rf'^CONFIG_{sym}=[ym]$', config, re.M)}
        nobj = 0
        for n, c, files in todo:
            subject = git(args.src, 'log', '-1', '--format=%s', c).strip()
            git(tree, 'checkout', '-q', '-f', '--detach', c)
            objs = objects(tree, files, table)
            skipped = sorted({s for s in objs.values() if s not in enabled})
            objs = sorted(o for o, s in objs.items() if s in enabled)
            if not objs:
                print(f'skip {arch}: patch {n}: CONFIG_{", CONFIG_".join(skipped)} '
                      f'cannot be enabled on {arch}')
                continue
            git(tree, 'checkout', '-q', '-f', '--detach', c + '^')
            log0 = os.path.join(args.logs, f'drivers-{arch}-{n}-parent.log')
            rc0, before = warnings(tree, out, arch, args.jobs, objs, log0)
            git(tree, 'checkout', '-q', '-f', '--detach', c)
            log1 = os.path.join(args.logs, f'drivers-{arch}-{n}.log')
            rc1, after = warnings(tree, out, arch, args.jobs, objs, log1)
            new = sorted(after - before)
            nobj += len(objs)
            what = f'{arch}: patch {n} ({len(objs)} object{"s" if len(objs) > 1 else ""}'
            what += f'; {", ".join(skipped)} off on {arch})' if skipped else ')'
            if rc1 or new:
                bad += 1
                print(f'FAIL {what}: {subject}')
                if rc1:
                    print(f'  does not build (log: {log1})')
                for w in new:
                    print(f'  new: {w}')
            else:
                note = f', {len(after)} warnings already at its parent' if after else ''
                print(f'ok   {what}{note}: {subject}')
        print(f'     {arch}: {nobj} object builds in {time.time() - t0:.0f}s')
    return 1 if bad else 0


if __name__ == '__main__':
    sys.exit(main())
