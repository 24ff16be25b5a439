# SPDX-License-Identifier: GPL-2.0
# kunit.py --qemu_config for the bench kernels, base and series alike:
# the series tree's tools/testing/kunit/qemu_configs/$KMAP_BENCH_ARCH.py
# (patch 05/1 gives it the bochs-display the io_mapping and TTM figures
# need), read from $KMAP_BENCH_QEMU_CONFIGS, so that both kernels boot on
# the same machine.  bench.py sets both variables and adds the -icount
# arguments with --qemu_args.
import importlib.util
import os

_path = os.path.join(os.environ['KMAP_BENCH_QEMU_CONFIGS'],
		     os.environ['KMAP_BENCH_ARCH'] + '.py')
# Loaded under the name kunit.py gives the tree's own files, so that their
# "from ..qemu_config import" resolves as it does there.
_spec = importlib.util.spec_from_file_location(
	'.qemu_configs/' + os.path.basename(_path), _path)
_mod = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_mod)

QEMU_ARCH = _mod.QEMU_ARCH
