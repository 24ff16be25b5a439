#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Run scripts/checkpatch.pl on small fixture patches and compare what it
reports with what each fixture expects.

A fixture (checkpatch/NAME.c) is a few lines of a function body.  Its
first line says what checkpatch must report about them, exactly:

    /* expect: DEPRECATED_API old -> new[, DEPRECATED_API old -> new...] */
    /* expect: none (why) */

The body becomes the added lines of a one-hunk patch to a C file, and
checkpatch --strict --show-types runs on it.  The fixture passes when the
reported messages are exactly the expected ones: same types, same
deprecated and preferred names, nothing else.
"""

import glob
import os
import re
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
EXPECT = re.compile(r'^/\* expect: (.*?) \*/$')
ITEM = re.compile(r'^(\w+) (\w+) -> (\w+)$')
# checkpatch --terse --show-types: FILE:LINE: WARNING:TYPE: message
MSG = re.compile(r'^[^:]+:\d+: (?:WARNING|ERROR|CHECK):(\w+): (.*)$')
DEPRECATED = re.compile(r"Deprecated use of '(\w+)', prefer '(\w+)' instead")


def fixture_patch(name, body):
    path = 'drivers/misc/checkpatch_fixture.c'
    head = ['#include <linux/highmem.h>', '#include <linux/io-mapping.h>', '',
            'static void fixture(struct page *page, unsigned long pfn,',
            '\t\t    struct io_mapping *iomap, unsigned long offset)', '{']
    tail = ['}']
    lines = [f'From: checkpatch fixture <fixture@invalid>',
             f'Subject: [PATCH] fixture: {name}', '',
             f'Fixture {name} for checkpatch.', '', '---',
             f'diff --git a/{path} b/{path}', f'--- a/{path}', f'+++ b/{path}',
             f'@@ -1,{len(head) + len(tail)} +1,{len(head) + len(body) + len(tail)} @@']
    lines += [' ' + x if x else ' ' for x in head]
    lines += ['+' + x for x in body]
    lines += [' ' + x for x in tail]
    return '\n'.join(lines) + '\n-- \n2.39.5\n'


def run(src, path):
    with open(path) as f:
        text = f.read().rstrip('\n').split('\n')
    m = EXPECT.match(text[0])
    if not m:
        return False, 'first line is not an expect: comment'
    want = []
    if not m.group(1).startswith('none'):
        for item in m.group(1).split(', '):
            im = ITEM.match(item)
            if not im:
                return False, f'bad expectation {item!r}'
            want.append((im.group(1), im.group(2), im.group(3)))
    name = os.path.basename(path)[:-2]
    p = subprocess.run([os.path.join(src, 'scripts', 'checkpatch.pl'), '--strict',
                        '--no-signoff', '--show-types', '--terse', '--no-summary',
                        '-'], input=fixture_patch(name, text[1:]), cwd=src,
                       capture_output=True, text=True)
    got = []
    for line in p.stdout.splitlines():
        mm = MSG.match(line)
        if not mm:
            continue
        d = DEPRECATED.search(mm.group(2))
        got.append((mm.group(1),) + ((d.group(1), d.group(2)) if d else (mm.group(2), '')))
    if sorted(got) == sorted(want):
        return True, 'none' if not want else ', '.join(f'{t} {a} -> {b}' for t, a, b in want)
    return False, f'expected {want}, checkpatch said {got}\n{p.stdout}{p.stderr}'


def main():
    src = sys.argv[1]
    fixtures = sorted(glob.glob(os.path.join(HERE, 'checkpatch', '*.c')))
    bad = 0
    for path in fixtures:
        ok, what = run(src, path)
        print(f'{"ok  " if ok else "FAIL"} {os.path.basename(path)}: {what}')
        bad += not ok
    print(f'{len(fixtures) - bad} of {len(fixtures)} checkpatch fixtures as expected')
    return 1 if bad or not fixtures else 0


if __name__ == '__main__':
    sys.exit(main())
