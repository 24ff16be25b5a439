# SPDX-License-Identifier: GPL-2.0
# The tree's tools/testing/kunit/qemu_configs/x86_64.py without its
# "-device" arguments, for the runner's own test (check.sh gate "runner"):
# booted like this, the io_mapping suite skips every case and the matrix
# must fail.  kunit.py runs with the kernel tree as its working directory.
import dataclasses
import importlib.util
import os

# Loaded under the name kunit.py gives the tree's own file, so that its
# "from ..qemu_config import" resolves as it does there.
_spec = importlib.util.spec_from_file_location(
	'.qemu_configs/x86_64.py',
	os.path.join(os.getcwd(), 'tools/testing/kunit/qemu_configs/x86_64.py'))
_mod = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_mod)

_params = _mod.QEMU_ARCH.extra_qemu_params
QEMU_ARCH = dataclasses.replace(
	_mod.QEMU_ARCH,
	extra_qemu_params=[p for i, p in enumerate(_params)
			   if p != '-device' and (i == 0 or _params[i - 1] != '-device')])
