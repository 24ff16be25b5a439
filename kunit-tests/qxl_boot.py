#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Boot x86_64 with QEMU's qxl-vga and the qxl driver built in.

The series converts qxl's BO page mapping helpers to io_mapping_map_local_wc().
This builds an x86_64 kernel (kunit.py build, configs/qxl.config: qxl, fbdev
emulation, fbcon, kprobes, the matrix's debug options), boots it with a
busybox initramfs (qxl/init) that puts kprobes on the converted functions,
draws text on the fbdev console and prints the hit counts, and checks:

  - the driver bound and fbcon drew through it;
  - DRM_IOCTL_QXL_EXECBUFFER refuses draw commands longer than a drawable
    release slot (qxl/exec_size.c: 249 and 1024 bytes, EINVAL) and takes
    one that fits (248 bytes, up to the relocation copy, EFAULT);
  - every probed function ran at least once (the converted paths executed);
  - the console shows no splat (matrix.py's list) and the kernel is not
    tainted.

Prints one line per check and exits non-zero if any fails.
"""

import argparse
import os
import re
import shutil
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import matrix  # noqa: E402  (SPLAT, scan_console)

HERE = os.path.dirname(os.path.abspath(__file__))

# Functions whose calls prove the converted mapping code ran: the renamed
# helpers themselves and the paths of the fbdev flush that call them.
PROBES = ['qxl_bo_kmap_local_page', 'qxl_bo_kunmap_local_page',
          'qxl_image_init', 'qxl_release_map', 'qxl_release_unmap',
          'qxl_draw_dirty_fb']

QEMU = ['qemu-system-x86_64', '-nodefaults', '-no-reboot', '-machine', 'pc',
        '-m', '1024', '-smp', '2', '-display', 'none', '-device', 'qxl-vga']
CMDLINE = 'console=tty0 console=ttyS0 panic=-1 oops=panic loglevel=7'


# What /bin/qxl-exec (qxl/exec_size.c) must print: a command that fits a
# drawable release (248 bytes) reaches the relocation copy (EFAULT), longer
# ones are refused (EINVAL).
EXEC_EXPECT = {248: 'EFAULT', 249: 'EINVAL', 1024: 'EINVAL'}


def initramfs(out, src):
    """Write a newc initramfs with busybox, /init, /probes and
    /bin/qxl-exec (built static against the tree's uapi header); return it."""
    root = os.path.join(out, 'initramfs')
    shutil.rmtree(root, ignore_errors=True)
    for d in ('bin', 'proc', 'sys', 'dev'):
        os.makedirs(os.path.join(root, d))
    shutil.copy('/bin/busybox', os.path.join(root, 'bin', 'busybox'))
    # -D__user=: the tree's uapi headers as headers_install would give them.
    subprocess.run(['gcc', '-static', '-O2', '-Wall', '-Werror', '-D__user=',
                    '-I', os.path.join(src, 'include', 'uapi', 'drm'),
                    '-o', os.path.join(root, 'bin', 'qxl-exec'),
                    os.path.join(HERE, 'qxl', 'exec_size.c')], check=True)
    shutil.copy(os.path.join(HERE, 'qxl', 'init'), os.path.join(root, 'init'))
    os.chmod(os.path.join(root, 'init'), 0o755)
    with open(os.path.join(root, 'probes'), 'w') as f:
        f.write('\n'.join(PROBES) + '\n')
    img = os.path.join(out, 'initramfs.cpio')
    files = subprocess.run(['find', '.'], cwd=root, check=True,
                           capture_output=True, text=True).stdout
    with open(img, 'wb') as f:
        subprocess.run(['cpio', '--quiet', '-o', '-H', 'newc', '-R', '0:0'], cwd=root,
                       input=files.encode(), stdout=f, check=True)
    return img


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--src', required=True)
    ap.add_argument('--out', required=True, help='build directory of this kernel')
    ap.add_argument('--logs', required=True)
    ap.add_argument('--jobs', default=str(os.cpu_count()))
    ap.add_argument('--timeout', type=int, default=300)
    args = ap.parse_args()
    args.src, args.out, args.logs = (os.path.abspath(p) for p in (args.src, args.out, args.logs))
    os.makedirs(args.out, exist_ok=True)
    os.makedirs(args.logs, exist_ok=True)
    build_log = os.path.join(args.logs, 'qxl.build.log')
    console = os.path.join(args.logs, 'qxl.console.log')

    t0 = time.time()
    build = [sys.executable, 'tools/testing/kunit/kunit.py', 'build', '--arch=x86_64',
             f'--build_dir={args.out}', f'--jobs={args.jobs}',
             f'--kunitconfig={os.path.join(HERE, "configs", "qxl.config")}']
    with open(build_log, 'w') as log:
        log.write('$ ' + ' '.join(build) + '\n')
        log.flush()
        rc = subprocess.call(build, cwd=args.src, stdout=log, stderr=subprocess.STDOUT)
    build_s = time.time() - t0
    if rc:
        subprocess.call(['tail', '-30', build_log])
        print(f'FAIL build ({build_s:.0f}s, log: {build_log})')
        return 1
    print(f'ok   build ({build_s:.0f}s)')

    kernel = os.path.join(args.out, 'arch', 'x86', 'boot', 'bzImage')
    cmd = QEMU + ['-kernel', kernel, '-initrd', initramfs(args.out, args.src),
                  '-append', CMDLINE, '-serial', f'file:{console}']
    t1 = time.time()
    try:
        subprocess.run(cmd, timeout=args.timeout, stdin=subprocess.DEVNULL,
                       stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
        timed_out = False
    except subprocess.TimeoutExpired:
        timed_out = True
    run_s = time.time() - t1
    with open(console, errors='replace') as f:
        text = f.read()

    checks = []
    checks.append(('boot ran to the end of /init' + (' (timed out)' if timed_out else ''),
                   'qxl-boot: done' in text))
    checks.append(('qxl driver bound (Initialized qxl)', 'Initialized qxl' in text))
    checks.append(('fbcon on the qxl framebuffer',
                   re.search(r'fb\d+: qxldrmfb frame buffer device', text) is not None))
    hits = {m.group(1).split('/')[-1]: int(m.group(2))
            for m in re.finditer(r'qxl-boot: hits (\S+) (\d+)', text)}
    for p in PROBES:
        n = hits.get(p, 0)
        checks.append((f'{p} ran ({n} calls)', n > 0))
    for size, want in EXEC_EXPECT.items():
        m = re.search(rf'qxl-exec: command_size {size}: (\S+)', text)
        got = m.group(1) if m else 'nothing'
        checks.append((f'execbuffer command of {size} bytes: {got} (want {want})', got == want))
    splats = matrix.scan_console(console)[0]
    checks.append((f'no splat ({len(splats)} lines)', not splats))
    taint = re.search(r'qxl-boot: tainted (\d+)', text)
    checks.append((f'not tainted ({taint.group(1) if taint else "?"})',
                   taint is not None and taint.group(1) == '0'))

    bad = 0
    for what, ok in checks:
        print(('ok   ' if ok else 'FAIL ') + what)
        bad += not ok
    for s in splats[:20]:
        print(f'  splat: {s}')
    print(f'boot {run_s:.0f}s, console: {console}')
    return 1 if bad else 0


if __name__ == '__main__':
    sys.exit(main())
