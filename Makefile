# SPDX-License-Identifier: GPL-2.0
# The kmap_local series.  See README.md.
#
#   make             set up, apply the series, run the KUnit matrix, print the table
#   make check       every gate (what CI runs); ends with "N passed, N failed"
#   make apply       (re)apply patches/ onto the base in build/
#   make sync        fold edits (in-tree copies here, or commits in the work
#                    tree) into the other side and rewrite patches/
#   make verify      check in-tree copies and patches/ against the work tree
#   make setup       install packages (apt-get, idempotent)
#   make send        the mails for each series (patches/), signed off by
#                    you: git send-email --dry-run unless SEND=1
#                    (SERIES="dir ...", V=2 PREV=<rev> for a v2)
#   make census      what is left of kmap() and the atomic mapping family,
#                    by subsystem (CSV=file.csv also writes every call site)
#   make bench       path lengths of the mapping APIs, base against series,
#                    under QEMU -icount (kunit-tests/bench/): table, JSON
#                    and plot in build/bench/ (BENCH_FILTER=glob: one
#                    figure's suite or case; BENCH_VARIANTS="nodebug")
#
# Variables: KSRC=/path/to/kernel (base tree; default Debian linux-source-6.12),
# ARCHES="i386 arm x86_64", VARIANTS="i386-nodebug arm-nodebug" or none (extra
# matrix kernels, kunit-tests/variants), JOBS=N, GATES="..." (subset of make check),
# FILTER=glob (kunit.py filter for make / make matrix).

SHELL := /bin/bash
T := kunit-tests
export KSRC ARCHES VARIANTS JOBS GATES SERIES V PREV SEND

.PHONY: all matrix check setup base apply export sync verify census bench send clean

all: setup apply matrix

setup:
	@$(T)/setup.sh

base: setup
	@$(T)/base.sh

apply: base
	@$(T)/series.sh apply

matrix:
	@. $(T)/lib.sh && python3 $(T)/matrix.py --src "$$SRC" --out "$$OUT" \
		--logs "$$LOGS" --arches "$$ARCHES" --variants "$$VARIANTS" --jobs "$$JOBS" \
		--filter '$(FILTER)' --cases

check:
	@$(T)/check.sh

send: setup
	@$(T)/send.sh

census: apply
	@. $(T)/lib.sh && python3 $(T)/census.py --src "$$SRC" --jobs "$$JOBS" $(if $(CSV),--csv "$(abspath $(CSV))")

bench: apply
	@. $(T)/lib.sh && python3 $(T)/bench.py --src "$$SRC" --build "$$BUILD/bench" \
		--logs "$$LOGS" --arches "$$ARCHES" --jobs "$$JOBS" --wall \
		--variants "$(or $(BENCH_VARIANTS),nodebug debug)" --filter '$(or $(BENCH_FILTER),*_bench)' \
		--json "$$BUILD/bench/bench.json" --svg "$$BUILD/bench/bench.svg"

sync verify export:
	@$(T)/series.sh $@

clean:
	rm -rf build
