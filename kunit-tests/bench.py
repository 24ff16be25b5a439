#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""make bench: what the temporary mappings cost, base against series.

For each arch and variant (nodebug: DEBUG_KMAP_LOCAL=n; debug: =y, on
x86_64 DEBUG_KMAP_LOCAL_FORCE_MAP), builds the base and the series from
the same config fragments with bench/kmap_local_bench.c copied into both
(as mm/kmap_local_bench.c), boots each under QEMU with
"-icount shift=0,sleep=off" and reads the figures the suites print.
Under icount guest time advances one nanosecond per instruction: every
figure is a path length in instructions, the same on every run and
machine.  With --wall the kernels are booted once more without icount:
those figures are emulator time (TCG on this host), labelled so, and
no measure of hardware.

Prints the A/B table (base, series, ratio per figure), writes JSON and an
SVG plot.  With --gate, fails if an in-order kmap_local, kmap_atomic or
io_mapping figure of a nodebug kernel is more than 2% longer with the
series, or if a kernel's cases did not all pass, or a splat appeared
outside the misuse the bench provokes on purpose.
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
sys.path.insert(0, HERE)
import matrix  # noqa: E402

BENCH = os.path.join(HERE, 'bench')
HARNESS = 'mm/kmap_local_bench.c'
MAKEFILE_LINE = 'obj-$(CONFIG_KUNIT) += kmap_local_bench.o\n'
TREES = ('base', 'series')
SUITES = ['kmap_bench', 'io_mapping_bench', 'ttm_move_memcpy_bench']
QEMU_MEM = {'x86_64': '1024'}
ICOUNT = '-icount shift=0,sleep=off'
LIMIT = 1.02
# ... and at least this many instructions per operation longer: the gated
# paths are a whole number of instructions per operation, and arm's clock
# ticks every 16 instructions, so a run of 1024 operations reads up to
# 0.016 per operation off; without this a 1-instruction figure (arm's
# io_mapping_map_local_wc() is an addition) would fail on a clock tick.
SLACK = 0.5
# What the gate holds to LIMIT on the nodebug kernels: the in-order paths.
GATED = ['roundtrip/kmap_local_page/*', 'roundtrip/kmap_atomic/*', 'nested/*',
         'unmap_order/in_order', 'io_mapping/io_mapping_map_local_wc',
         'io_mapping/io_mapping_map_atomic_wc']
# Options the debug and nodebug .configs of one tree and arch may differ in.
VARIANT_OPTIONS = {'CONFIG_DEBUG_KMAP_LOCAL', 'CONFIG_DEBUG_KMAP_LOCAL_FORCE_MAP',
                   'CONFIG_KMAP_LOCAL'}
# Functions whose WARNINGs the out-of-order figure provokes.
MISUSE_FUNCS = {'kunmap_local_indexed', 'kunmap_local_slow', 'kmap_local_report',
                'kmap_local_misuse'}
FIGURE = re.compile(r'kmap_bench: (\S+) (\d+) (\d+)$')
INFO = re.compile(r'kmap_bench: info (.*)$')
CLOCKSOURCE = re.compile(r'clocksource: Switched to clocksource (\S+)')
# Clocksources that count every instruction under icount (x86's TSC runs
# at 1 GHz, arm's generic timer at 62.5 MHz: 16 instructions a tick).
GOOD_CLOCKSOURCES = {'tsc-early', 'tsc', 'arch_sys_counter'}


def run(cmd, log, cwd=None, env=None):
    with open(log, 'a') as f:
        f.write('$ ' + ' '.join(cmd) + '\n')
        f.flush()
        return subprocess.call(cmd, cwd=cwd, env=env, stdout=f, stderr=subprocess.STDOUT)


def git(*args, cwd):
    return subprocess.check_output(['git', '-C', cwd] + list(args), text=True).strip()


def prepare_tree(src, rev, path, log):
    """A worktree of SRC at REV with the harness added (untracked)."""
    if not os.path.exists(os.path.join(path, '.git')):
        git('worktree', 'prune', cwd=src)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        subprocess.check_call(['git', '-C', src, 'worktree', 'add', '-q', '--detach',
                               path, rev])
    if git('rev-parse', 'HEAD', cwd=path) != rev or \
       git('status', '--porcelain', '--untracked-files=no', cwd=path) not in ('', 'M mm/Makefile'):
        subprocess.check_call(['git', '-C', path, 'checkout', '-q', '-f', '--detach', rev])
    mk = os.path.join(path, 'mm/Makefile')
    base_mk = git('show', f'{rev}:mm/Makefile', cwd=path) + '\n'
    want = base_mk + MAKEFILE_LINE
    if open(mk).read() != want:
        with open(mk, 'w') as f:
            f.write(want)
    dst = os.path.join(path, HARNESS)
    with open(os.path.join(BENCH, 'kmap_local_bench.c')) as f:
        text = f.read()
    if not os.path.exists(dst) or open(dst).read() != text:
        with open(dst, 'w') as f:
            f.write(text)


def fragments(arch, variant):
    out = [os.path.join(BENCH, 'bench.config'), os.path.join(BENCH, variant + '.config')]
    # i386/arm: their highmem options; x86_64: DEBUG_KMAP_LOCAL_FORCE_MAP,
    # for the debug variant only.
    if arch != 'x86_64' or variant == 'debug':
        out.append(os.path.join(HERE, 'configs', arch + '.config'))
    return out


def kunit_common(args, arch, out):
    common = [f'--arch={arch}', f'--build_dir={out}',
              '--qemu_config=' + os.path.join(BENCH, 'qemu', 'bench.py')]
    if arch in matrix.CROSS:
        common.append(f'--cross_compile={matrix.CROSS[arch]}')
    return [sys.executable, 'tools/testing/kunit/kunit.py'], common


def bench_env(args, arch):
    env = dict(os.environ)
    env['KMAP_BENCH_QEMU_CONFIGS'] = os.path.join(args.trees_dir, 'series',
                                                  'tools/testing/kunit/qemu_configs')
    env['KMAP_BENCH_ARCH'] = arch
    return env


def read_config(path):
    opts = {}
    with open(path) as f:
        for line in f:
            m = re.match(r'(CONFIG_\w+)=(.*)$', line)
            if m:
                opts[m.group(1)] = m.group(2)
                continue
            m = re.match(r'# (CONFIG_\w+) is not set$', line)
            if m:
                opts[m.group(1)] = 'n'
    return opts


def config_diff(a, b):
    """Options set differently in both (missing counts as n)."""
    return sorted(k for k in set(a) | set(b) if a.get(k, 'n') != b.get(k, 'n'))


def scan(console):
    """(figures, info, splats) from a bench boot's console.

    Inside the out-of-order figure's brackets only the WARNINGs of the
    misuse it provokes (and their call traces) are expected; any other
    splat, there or anywhere, counts.  Every figure must have been taken
    with a clocksource that counts instructions.
    """
    figures, info, splats = {}, [], []
    inside = False
    clock = None
    try:
        with open(console, errors='replace') as f:
            lines = f.readlines()
    except OSError:
        return figures, info, ['no console log']
    for line in lines:
        text = line.rstrip('\n')
        if matrix.EXPECT_BEGIN in text:
            inside = True
            continue
        if matrix.EXPECT_END in text:
            inside = False
            continue
        m = FIGURE.search(text)
        if m:
            figures[m.group(1)] = {'ops': int(m.group(2)), 'insns': int(m.group(3))}
            if clock not in GOOD_CLOCKSOURCES:
                splats.append(f'{m.group(1)} taken with clocksource {clock}')
            continue
        m = CLOCKSOURCE.search(text)
        if m:
            clock = m.group(1)
            if figures:
                info.append(f'clocksource {clock} (switched during the run)')
            continue
        m = INFO.search(text)
        if m:
            info.append(m.group(1))
            continue
        if matrix.SPLAT.search(text):
            w = matrix.WARN_FUNC.search(text)
            if inside and ('Call Trace:' in text or
                           w and w.group(1).split('.')[0] in MISUSE_FUNCS):
                continue
            splats.append(text)
    if inside:
        splats.append('console ends inside the out-of-order figure')
    return figures, info, splats


def boot(args, arch, tree, out, icount, log):
    """Boot a bench kernel; return (figures, info, problems, seconds)."""
    kpy, common = kunit_common(args, arch, out)
    json_path = os.path.join(args.logs, f'bench-{os.path.basename(out)}-{tree}'
                             f'{"" if icount else "-wall"}.json')
    console = os.path.join(out, 'test.log')
    for p in (json_path, console):
        if os.path.exists(p):
            os.unlink(p)
    # One CPU: under icount QEMU runs the vCPUs in turn on one instruction
    # count, so another CPU's ticks and IPI handlers would be counted in
    # this one's figures.  The kernel is SMP all the same.
    qemu = f'-m {QEMU_MEM.get(arch, "2048")} -smp 1' + (f' {ICOUNT}' if icount else '')
    cmd = kpy + ['exec'] + common + ['--timeout=1200', f'--json={json_path}',
                                     f'--qemu_args={qemu}', args.filter]
    t0 = time.time()
    rc = run(cmd, log, cwd=os.path.join(args.trees_dir, tree), env=bench_env(args, arch))
    secs = time.time() - t0
    kept = console.replace('test.log', f'console{"" if icount else "-wall"}.log')
    if os.path.exists(console):
        os.replace(console, kept)
    figures, info, problems = scan(kept)
    suites = {}
    if os.path.exists(json_path):
        with open(json_path) as f:
            matrix.count(json.load(f), suites)
    for name in ([] if args.filter != '*_bench' else SUITES):
        if name not in suites:
            problems.append(f'suite {name} did not run')
    for name, c in sorted(suites.items()):
        for case, st in c['cases']:
            if st != 'PASS':
                problems.append(f'{name}.{case}: {st}')
    if rc and not problems:
        problems.append(f'kunit.py exec failed (rc {rc})')
    if not figures:
        problems.append('no figures on the console')
    return figures, info, problems, secs


def per_op(fig):
    return fig['insns'] / fig['ops']


def ratio(b, s):
    return s / b if b else float('inf') if s else 1.0


def fmt(x):
    if x is None:
        return '-'
    if x >= 1000:
        return f'{x:.0f}'
    return f'{x:.1f}'


def gated(name):
    return any(fnmatch.fnmatchcase(name, g) for g in GATED)


def table(results, kernels):
    """The A/B table, one block per kernel."""
    lines = []
    for k in kernels:
        r = results.get(k, {})
        base = r.get('base', {}).get('figures', {})
        series = r.get('series', {}).get('figures', {})
        names = list(dict.fromkeys(list(base) + list(series)))
        lines.append('')
        lines.append(f'{k}: instructions per operation (path length, -icount shift=0)')
        w = max([len(n) for n in names] + [6])
        lines.append(f'  {"figure":<{w}}  {"base":>9}  {"series":>9}  {"ratio":>6}'
                     + ('  gated' if k.endswith('-nodebug') else ''))
        for n in names:
            b = per_op(base[n]) if n in base else None
            s = per_op(series[n]) if n in series else None
            rt = f'{ratio(b, s):.3f}' if b is not None and s is not None else '-'
            g = '  *' if k.endswith('-nodebug') and gated(n) else ''
            lines.append(f'  {n:<{w}}  {fmt(b):>9}  {fmt(s):>9}  {rt:>6}{g}')
            # tt to tt: ttm_move_memcpy() returns at once, nothing is copied.
            if n.startswith('ttm/') and n.endswith('ttm_move_memcpy') and s and \
               not n.startswith('ttm/tt_to_tt/'):
                nbytes = 64 * 4096
                lines.append(f'  {"  bytes per instruction":<{w}}  '
                             f'{fmt(nbytes / b if b else None):>9}  '
                             f'{fmt(nbytes / s):>9}')
        if k == 'x86_64-debug' and base:
            lines.append('  (base: DEBUG_KMAP_LOCAL_FORCE_MAP does not reach kmap_local_page() '
                         'without HIGHMEM there, 04/1 fixes that: the columns are different paths)')
    return lines


def gate_check(results):
    """(failures, number of gated figures compared)."""
    bad, n_ok = [], 0
    for k, r in results.items():
        if not k.endswith('-nodebug'):
            continue
        base = r.get('base', {}).get('figures', {})
        series = r.get('series', {}).get('figures', {})
        names = [n for n in dict.fromkeys(list(base) + list(series)) if gated(n)]
        if not names:
            bad.append(f'{k}: no gated figures')
        for n in names:
            if n not in base or n not in series:
                bad.append(f'{k} {n}: only {"the base" if n in base else "the series"} has it')
                continue
            b, s = per_op(base[n]), per_op(series[n])
            if s > b * LIMIT and s - b >= SLACK:
                bad.append(f'{k} {n}: {fmt(s)} instructions with the series, '
                           f'{fmt(b)} on the base ({ratio(b, s):.3f} > {LIMIT})')
            else:
                n_ok += 1
    return bad, n_ok


def between_apis(results, kernels):
    """The series' figures of one API against another, per nodebug kernel."""
    lines = []
    for k in kernels:
        if not k.endswith('-nodebug'):
            continue
        f = results.get(k, {}).get('series', {}).get('figures', {})
        mem = 'highmem' if any('/highmem/' in n for n in f) else 'lowmem'

        def get(n):
            return per_op(f[n]) if n in f else None
        local = get(f'roundtrip/kmap_local_page/{mem}/pages=1')
        atomic = get(f'roundtrip/kmap_atomic/{mem}/pages=1')
        kmap1 = get(f'roundtrip/kmap/{mem}/pages=1')
        kmapn = get(f'roundtrip/kmap/{mem}/pages=4096')
        if local and atomic and kmap1 and kmapn:
            lines.append(f'  {k}: {mem} page, kmap_local_page {fmt(local)}, kmap_atomic '
                         f'{fmt(atomic)} (x{atomic / local:.2f}), kmap {fmt(kmap1)} '
                         f'(x{kmap1 / local:.2f}), kmap over 4096 pages {fmt(kmapn)} '
                         f'(x{kmapn / local:.2f})')
        io = [get(f'io_mapping/io_mapping_map_{a}') for a in ('local_wc', 'atomic_wc', 'wc')]
        if all(io):
            lines.append(f'  {k}: io_mapping_map_local_wc {fmt(io[0])}, _atomic_wc {fmt(io[1])} '
                         f'(x{io[1] / io[0]:.2f}), io_mapping_map_wc {fmt(io[2])} '
                         f'(x{io[2] / io[0]:.2f})')
    return lines


# The rows of --markdown (README's tables); MEM is highmem where the
# kernel has it.
MD_ROWS = ['roundtrip/kmap_local_page/MEM/pages=1', 'roundtrip/kmap_local_page/lowmem/pages=1',
           'roundtrip/kmap_atomic/MEM/pages=1', 'roundtrip/kmap/MEM/pages=1',
           'roundtrip/kmap/MEM/pages=4096', 'nested/depth=1', 'nested/depth=14',
           'unmap_order/in_order', 'unmap_order/out_of_order',
           'io_mapping/io_mapping_map_local_wc', 'io_mapping/io_mapping_map_atomic_wc',
           'io_mapping/io_mapping_map_wc', 'ttm/tt_to_tt/ttm_move_memcpy',
           'ttm/tt_to_iomem/ttm_move_memcpy', 'ttm/tt_to_iomem/drm_memcpy_from_wc',
           'ttm/iomem_to_tt/ttm_move_memcpy', 'ttm/iomem_to_tt/drm_memcpy_from_wc',
           'ttm/iomem_to_iomem/ttm_move_memcpy', 'ttm/iomem_to_iomem/drm_memcpy_from_wc']


def markdown(results, arches):
    """README's tables: A/B of the nodebug kernels, and nodebug against
    debug for the series."""
    def figs(k, tree):
        return results.get(k, {}).get(tree, {}).get('figures', {})

    def cell(f, row):
        mem = 'highmem' if any('/highmem/' in n for n in f) else 'lowmem'
        n = row.replace('MEM', mem)
        return (fmt(per_op(f[n])) if n in f else '-'), n

    out = ['| figure (instructions per operation) | ' +
           ' | '.join(f'{a} base | {a} series' for a in arches) + ' |',
           '|---|' + '---:|' * (2 * len(arches))]
    for row in MD_ROWS:
        cells = []
        for a in arches:
            for tree in TREES:
                cells.append(cell(figs(f'{a}-nodebug', tree), row)[0])
        if any(c != '-' for c in cells):
            out.append(f'| `{row.replace("MEM", "high")}` | ' + ' | '.join(cells) + ' |')
    out += ['', '| figure (series) | ' +
            ' | '.join(f'{a} nodebug | {a} debug' for a in arches) + ' |',
            '|---|' + '---:|' * (2 * len(arches))]
    for row in MD_ROWS[:9] + MD_ROWS[9:10]:
        cells = []
        for a in arches:
            for v in ('nodebug', 'debug'):
                cells.append(cell(figs(f'{a}-{v}', 'series'), row)[0])
        if any(c != '-' for c in cells):
            out.append(f'| `{row.replace("MEM", "high")}` | ' + ' | '.join(cells) + ' |')
    return out


def debug_overhead(results, arches):
    """series debug / series nodebug, per arch, for the in-order paths."""
    lines = []
    for arch in arches:
        nd = results.get(f'{arch}-nodebug', {}).get('series', {}).get('figures', {})
        db = results.get(f'{arch}-debug', {}).get('series', {}).get('figures', {})
        for n in ('roundtrip/kmap_local_page/highmem/pages=1',
                  'roundtrip/kmap_local_page/lowmem/pages=1',
                  'roundtrip/kmap_atomic/highmem/pages=1',
                  'io_mapping/io_mapping_map_local_wc', 'nested/depth=8'):
            if n in nd and n in db:
                a, b = per_op(nd[n]), per_op(db[n])
                lines.append(f'  {arch:<7} {n:<42} {fmt(a):>7} -> {fmt(b):>7}  '
                             f'(+{b - a:.1f}, x{ratio(a, b):.2f})')
    return lines


def nice_step(x):
    """1, 2 or 5 times a power of ten, at least x."""
    p = 1
    while p * 10 <= x:
        p *= 10
    for m in (1, 2, 5, 10):
        if m * p >= x:
            return m * p
    return 10 * p


def svg_plot(results, path):
    """Cost per op against pages streamed, per highmem arch (nodebug):
    one line per API, series solid, base dashed."""
    panels = [k for k in (f'{a}-nodebug' for a in ('i386', 'arm'))
              if any(n.startswith('roundtrip/kmap/highmem')
                     for n in results.get(k, {}).get('series', {}).get('figures', {}))]
    if not panels:
        return False
    apis = [('kmap_local_page', '#1f77b4'), ('kmap_atomic', '#2ca02c'), ('kmap', '#d62728')]
    pw, ph, ml, mt, mb = 420, 300, 60, 40, 50
    width = max(ml + len(panels) * (pw + ml), 760)
    height = mt + ph + mb + 50
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
           f'font-family="sans-serif" font-size="12">',
           f'<rect width="{width}" height="{height}" fill="white"/>']
    for pi, k in enumerate(panels):
        x0 = ml + pi * (pw + ml)
        series = {}
        ymax = 0
        for tree in TREES:
            figs = results[k].get(tree, {}).get('figures', {})
            for api, _ in apis:
                pts = []
                for n, f in figs.items():
                    m = re.fullmatch(rf'roundtrip/{api}/highmem/pages=(\d+)', n)
                    if m:
                        pts.append((int(m.group(1)), per_op(f)))
                pts.sort()
                series[(tree, api)] = pts
                ymax = max([ymax] + [y for _, y in pts])
        step = nice_step(ymax / 5)
        ymax = step * (int(ymax / step) + 1)
        xs = sorted({x for pts in series.values() for x, _ in pts})
        lmax = max(1, len(xs) - 1)

        def px(x):
            return x0 + xs.index(x) * pw / lmax

        def py(y):
            return mt + ph - y * ph / ymax
        out.append(f'<text x="{x0 + pw / 2}" y="{mt - 15}" text-anchor="middle" '
                   f'font-weight="bold">{k}: map + read + unmap, highmem</text>')
        out.append(f'<rect x="{x0}" y="{mt}" width="{pw}" height="{ph}" fill="none" stroke="#888"/>')
        y = 0
        while y <= ymax:
            out.append(f'<line x1="{x0}" x2="{x0 + pw}" y1="{py(y):.1f}" y2="{py(y):.1f}" '
                       f'stroke="#eee"/>')
            out.append(f'<text x="{x0 - 5}" y="{py(y) + 4:.1f}" text-anchor="end">{y:g}</text>')
            y += step
        pool = [int(i.split('=')[1]) for i in results[k].get('series', {}).get('info', [])
                for i in i.split() if i.startswith('LAST_PKMAP=')]
        if pool and pool[0] in xs:
            out.append(f'<line x1="{px(pool[0]):.1f}" x2="{px(pool[0]):.1f}" y1="{mt}" '
                       f'y2="{mt + ph}" stroke="#999" stroke-dasharray="2,3"/>')
            out.append(f'<text x="{px(pool[0]) - 4:.1f}" y="{mt + 14}" text-anchor="end" '
                       f'fill="#666">kmap() pool: {pool[0]} pages</text>')
        for x in xs:
            out.append(f'<text x="{px(x):.1f}" y="{mt + ph + 15}" text-anchor="middle" '
                       f'font-size="10">{x}</text>')
        out.append(f'<text x="{x0 + pw / 2}" y="{mt + ph + 32}" text-anchor="middle">'
                   f'distinct pages cycled through</text>')
        if pi == 0:
            out.append(f'<text x="15" y="{mt + ph / 2}" text-anchor="middle" '
                       f'transform="rotate(-90 15 {mt + ph / 2})">instructions per operation '
                       f'(path length)</text>')
        for (tree, api), pts in series.items():
            color = dict(apis)[api]
            d = ' '.join(f'{px(x):.1f},{py(y):.1f}' for x, y in pts)
            dash = ' stroke-dasharray="5,4"' if tree == 'base' else ''
            out.append(f'<polyline points="{d}" fill="none" stroke="{color}" '
                       f'stroke-width="{1.5 if tree == "base" else 2}"{dash}/>')
    ly = mt + ph + 52
    lx = ml
    for api, color in apis:
        out.append(f'<line x1="{lx}" x2="{lx + 25}" y1="{ly}" y2="{ly}" stroke="{color}" stroke-width="2"/>')
        out.append(f'<text x="{lx + 30}" y="{ly + 4}">{api}</text>')
        lx += 150
    ly += 20
    out.append(f'<line x1="{ml}" x2="{ml + 25}" y1="{ly}" y2="{ly}" stroke="#000" stroke-width="2"/>')
    out.append(f'<text x="{ml + 30}" y="{ly + 4}">series</text>')
    out.append(f'<line x1="{ml + 150}" x2="{ml + 175}" y1="{ly}" y2="{ly}" stroke="#000" '
               f'stroke-dasharray="5,4"/>')
    out.append(f'<text x="{ml + 180}" y="{ly + 4}">base</text>')
    out.append(f'<text x="{ml + 300}" y="{ly + 4}" fill="#666">QEMU -icount shift=0,sleep=off, '
               f'DEBUG_KMAP_LOCAL=n</text>')
    out.append('</svg>')
    with open(path, 'w') as f:
        f.write('\n'.join(out) + '\n')
    return True


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--src', default='.', help='the kernel work tree')
    ap.add_argument('--base', default='kmap-local/base')
    ap.add_argument('--series', default='kmap-local/series')
    ap.add_argument('--build', default='build/bench', help='scratch directory for trees and kernels')
    ap.add_argument('--logs', required=True)
    ap.add_argument('--arches', default='i386 arm x86_64')
    ap.add_argument('--variants', default='nodebug debug')
    ap.add_argument('--base-variants', default=None,
                    help='variants the base is built for too (default: all)')
    ap.add_argument('--jobs', default=str(os.cpu_count()))
    ap.add_argument('--filter', default='*_bench', help='kunit.py filter glob')
    ap.add_argument('--json', help='write the results here')
    ap.add_argument('--svg', help='draw the plot here')
    ap.add_argument('--wall', action='store_true',
                    help='boot once more without icount: emulator time, secondary')
    ap.add_argument('--gate', action='store_true', help=f'fail above {LIMIT} (nodebug)')
    ap.add_argument('--no-build', action='store_true')
    ap.add_argument('--markdown', help="write README's tables here")
    ap.add_argument('--from-json', help='print (and draw) the results of an earlier run '
                    'instead of running: --src and --build are not used')
    args = ap.parse_args()
    args.build, args.logs = os.path.abspath(args.build), os.path.abspath(args.logs)
    args.trees_dir = os.path.join(args.build, 'src')
    os.makedirs(args.logs, exist_ok=True)
    log = os.path.join(args.logs, 'bench.log')
    open(log, 'w').close()

    arches = args.arches.split()
    kernels = [f'{a}-{v}' for a in arches for v in args.variants.split()]
    base_variants = (args.variants if args.base_variants is None else args.base_variants).split()
    results, problems = {}, []
    t_all = time.time()
    if args.from_json:
        with open(args.from_json) as f:
            results = json.load(f)['results']
        kernels = [k for k in kernels if k in results]
    else:
        revs = {'base': git('rev-parse', args.base + '^{commit}', cwd=args.src),
                'series': git('rev-parse', args.series + '^{commit}', cwd=args.src)}
        for tree in TREES:
            prepare_tree(args.src, revs[tree], os.path.join(args.trees_dir, tree), log)
    for k in ([] if args.from_json else kernels):
        arch, variant = k.split('-', 1)
        results[k] = {}
        for tree in TREES:
            if tree == 'base' and variant not in base_variants:
                continue
            out = os.path.join(args.build, 'out', tree, k)
            os.makedirs(out, exist_ok=True)
            kpy, common = kunit_common(args, arch, out)
            cmd = kpy + ['build'] + common + [f'--jobs={args.jobs}'] + \
                [f'--kunitconfig={c}' for c in fragments(arch, variant)]
            t0 = time.time()
            rc = 0 if args.no_build else run(cmd, log, cwd=os.path.join(args.trees_dir, tree),
                                             env=bench_env(args, arch))
            build_s = time.time() - t0
            entry = {'rev': revs[tree], 'build_s': round(build_s)}
            results[k][tree] = entry
            if rc:
                problems.append(f'{k} {tree}: build failed (see {log})')
                continue
            entry['config'] = read_config(os.path.join(out, '.config'))
            figs, info, probs, secs = boot(args, arch, tree, out, True, log)
            entry.update(figures=figs, info=info, boot_s=round(secs))
            problems += [f'{k} {tree}: {p}' for p in probs]
            if args.wall:
                wf, _, wprobs, _ = boot(args, arch, tree, out, False, log)
                entry['emulator_ns'] = {n: per_op(f) for n, f in wf.items()}
                problems += [f'{k} {tree} (no icount): {p}' for p in wprobs]
            print(f'>>> {k} {tree}: build {build_s:.0f}s, boot {secs:.0f}s, '
                  f'{len(figs)} figures{"" if not probs else ", " + str(len(probs)) + " problems"}',
                  flush=True)
        # Same options on both trees, and the variants differ in
        # DEBUG_KMAP_LOCAL only.
        cb = results[k].get('base', {}).get('config')
        cs = results[k].get('series', {}).get('config')
        if cb and cs:
            d = config_diff(cb, cs)
            if d:
                problems.append(f'{k}: base and series configs differ in {" ".join(d)}')
    for arch in arches:
        for tree in TREES:
            a = results.get(f'{arch}-nodebug', {}).get(tree, {}).get('config')
            b = results.get(f'{arch}-debug', {}).get(tree, {}).get('config')
            if a and b:
                d = [o for o in config_diff(a, b) if o not in VARIANT_OPTIONS]
                if d:
                    problems.append(f'{arch} {tree}: nodebug and debug configs differ in '
                                    f'{" ".join(d)}')

    for line in table(results, kernels):
        print(line)
    apis = between_apis(results, kernels)
    if apis:
        print('\nbetween APIs (series, nodebug, instructions per operation, same page):')
        print('\n'.join(apis))
    over = debug_overhead(results, arches)
    if over:
        print('\nDEBUG_KMAP_LOCAL=y overhead (series, instructions per operation; '
              'x86_64: DEBUG_KMAP_LOCAL_FORCE_MAP, every page through a slot):')
        print('\n'.join(over))
    if args.wall:
        print('\nemulator time (TCG on this host, no icount; not a hardware figure), '
              'ns per operation, series, same page, highmem where there is highmem:')
        for k in kernels:
            e = results[k].get('series', {}).get('emulator_ns', {})
            row = [f'{api} {fmt(e[n])}' for api in ('kmap_local_page', 'kmap_atomic', 'kmap')
                   for n in [f'roundtrip/{api}/highmem/pages=1'
                             if f'roundtrip/{api}/highmem/pages=1' in e
                             else f'roundtrip/{api}/lowmem/pages=1'] if n in e]
            if row:
                print(f'  {k}: ' + ', '.join(row))
    bad, ngated = gate_check(results)
    for r in results.values():
        for entry in r.values():
            entry.pop('config', None)
    if args.json:
        doc = {'unit': 'instructions (guest ns under -icount shift=0,sleep=off)',
               'emulator_ns_unit': 'host ns per operation under TCG without icount',
               'limit': LIMIT, 'gated': GATED, 'results': results,
               'seconds': round(time.time() - t_all)}
        with open(args.json, 'w') as f:
            json.dump(doc, f, indent=1)
        print(f'\nJSON: {args.json}')
    if args.markdown:
        with open(args.markdown, 'w') as f:
            f.write('\n'.join(markdown(results, arches)) + '\n')
    if args.svg and svg_plot(results, args.svg):
        print(f'plot: {args.svg}')
    print()
    for p in problems:
        print(f'FAIL {p}')
    if args.gate:
        for b in bad:
            print(f'FAIL {b}')
        if not bad:
            print(f'gate: {ngated} in-order figures of the nodebug kernels within '
                  f'{(LIMIT - 1) * 100:.0f}% of the base')
    return 1 if problems or (args.gate and bad) else 0


if __name__ == '__main__':
    sys.exit(main())
