# Thin wrapper over CMake/CTest. See README.md.
BUILD      ?= build
TESTBUILD  ?= build-test
TSANBUILD  ?= build-tsan
FUZZBUILD  ?= build-fuzz
FUZZ_SECONDS ?= 600
FUZZ_SMOKE_SECONDS ?= 20
PREFIX     ?= /usr/local
JOBS       ?= $(shell nproc)
CC         ?= cc

.PHONY: all run test test-asan test-tsan check-layers check-long bench bench-build bench-long install clean deps format \
	fuzz fuzz-smoke fuzz-build

all:
	@./scripts/install-deps.sh build
	@cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=Release >/dev/null
	@cmake --build $(BUILD) -j $(JOBS)

run: all
	./$(BUILD)/mmsim run

# make test: the layering rules, debug + ASan + UBSan for every test, then
# the threaded tests under TSan, then each fuzz target briefly.
test: deps check-layers test-asan test-tsan fuzz-smoke

# No include from arch/ into the kernel, none from mm/ into fs/proc/, no file
# over 1,500 lines (scripts/check-layers.sh; tests/test_layers.sh also
# checks that the checker catches each).
check-layers:
	@./scripts/check-layers.sh

test-asan:
	@cmake -S . -B $(TESTBUILD) -DCMAKE_BUILD_TYPE=Debug -DMMSIM_SANITIZE=address >/dev/null
	@cmake --build $(TESTBUILD) -j $(JOBS)
	cd $(TESTBUILD) && ctest --output-on-failure -j $(JOBS)

test-tsan:
	@cmake -S . -B $(TSANBUILD) -DCMAKE_BUILD_TYPE=Debug -DMMSIM_SANITIZE=thread >/dev/null
	@cmake --build $(TSANBUILD) -j $(JOBS)
	cd $(TSANBUILD) && ctest --output-on-failure -j $(JOBS) -L threaded

# The libFuzzer targets of fuzz/ (docs/fuzzing.md), built with clang, ASan and
# UBSan.  `make fuzz` runs each for FUZZ_SECONDS, two at once; `make
# fuzz-smoke` all four at once for FUZZ_SMOKE_SECONDS.  Runs work in
# fuzz-work/, never in the checked-in corpus; a finding fails the target.
fuzz-build:
	@cmake -S . -B $(FUZZBUILD) -DCMAKE_C_COMPILER=clang -DCMAKE_BUILD_TYPE=Debug \
		-DMMSIM_FUZZ=ON >/dev/null
	@cmake --build $(FUZZBUILD) -j $(JOBS) --target fuzz_targets

fuzz: fuzz-build
	./scripts/fuzz.sh $(FUZZBUILD) $(FUZZ_SECONDS)

fuzz-smoke: deps fuzz-build
	FUZZ_JOBS=4 ./scripts/fuzz.sh $(FUZZBUILD) $(FUZZ_SMOKE_SECONDS)

# Longer seeded runs of the page-cache stress (tests/pagecache_stress.h) and
# of the swap-integrity stress (tests/swap_stress.h) at 3x RAM, single (classic
# and MGLRU) and threaded, and of the determinism check, under ASan; and
# mmsim serve under 100 concurrent readers for 60 s (make test: 5 s).
check-long:
	@cmake -S . -B $(TESTBUILD) -DCMAKE_BUILD_TYPE=Debug -DMMSIM_SANITIZE=address >/dev/null
	@cmake --build $(TESTBUILD) -j $(JOBS) --target test_pagecache_stress test_swap_integrity \
		test_swap_integrity_mt test_reclaim_determinism test_serve_mt mmsim
	cd $(TESTBUILD) && for s in 1 2 3 4 5; do MMSIM_STRESS_SEED=$$s MMSIM_STRESS_STEPS=5000 ./test_pagecache_stress || exit 1; done
	cd $(TESTBUILD) && for s in 1 2 3; do MMSIM_STRESS_SEED=$$s MMSIM_STRESS_STEPS=4000 MMSIM_SWAP_RATIO=3 ./test_swap_integrity || exit 1; done
	cd $(TESTBUILD) && for s in 1 2; do MMSIM_STRESS_LRU=mglru MMSIM_STRESS_SEED=$$s MMSIM_STRESS_STEPS=3000 MMSIM_SWAP_RATIO=3 ./test_swap_integrity || exit 1; done
	cd $(TESTBUILD) && for s in 1 2 3; do MMSIM_STRESS_SEED=$$s MMSIM_STRESS_STEPS=2000 MMSIM_SWAP_RATIO=3 ./test_swap_integrity_mt || exit 1; done
	cd $(TESTBUILD) && MMSIM_STRESS_STEPS=3000 ./test_reclaim_determinism
	cd $(TESTBUILD) && MMSIM_TOOL=$$(pwd)/mmsim MMSIM_SERVE_SECONDS=60 ./test_serve_mt || [ $$? = 77 ]

# make bench: every bench/bench_*.c twice, in turn: the static build
# (build/bench/, linked against libmmsim.a as the tests are) and the build a
# user makes (scripts/bench-user.sh: the installed shared library through
# pkg-config).  Each prints medians of 7 runs with their ranges and ratios
# against references measured in the same run (docs/performance.md).
# Timed runs last 40 ms * MMSIM_BENCH_SCALE; make bench uses 0.5 so that
# both builds of every bench finish within 3 minutes on a 2-core host.
# make bench-long: the long presets (the full test_vmalloc preset, timed
# runs 4 times the default).
bench-build:
	@./scripts/install-deps.sh bench
	@cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=Release -DMMSIM_BENCH=ON >/dev/null
	@cmake --build $(BUILD) -j $(JOBS) --target mmsim mmsim_shared mmsim_benches
	@BENCH_USER_NORUN=1 ./scripts/bench-user.sh $(BUILD)

MMSIM_BENCH_SCALE ?= 0.5
bench: bench-build
	@for b in $(BUILD)/bench/bench_*; do n=$${b##*/}; \
		echo "== $$n (static: libmmsim.a, as mmsim-static.pc links it)"; \
		MMSIM_BENCH_SCALE=$(MMSIM_BENCH_SCALE) $$b || exit 1; \
		echo "== $$n (as users link it: libmmsim.so through mmsim.pc)"; \
		MMSIM_BENCH_SCALE=$(MMSIM_BENCH_SCALE) MMSIM_BENCH_LINK=shared \
			$(BUILD)/bench-user/$$n || exit 1; done

bench-long: bench-build
	@for b in $(BUILD)/bench/bench_*; do n=$${b##*/}; \
		echo "== $$n (static: libmmsim.a, long preset)"; \
		MMSIM_BENCH_LONG=1 MMSIM_BENCH_SCALE=4 $$b || exit 1; \
		echo "== $$n (as users link it, long preset)"; \
		MMSIM_BENCH_LONG=1 MMSIM_BENCH_SCALE=4 MMSIM_BENCH_LINK=shared \
			$(BUILD)/bench-user/$$n || exit 1; done

# The prefix is configured in (not just passed to --install) so mmsim.pc is right.
install:
	@cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=Release -DCMAKE_INSTALL_PREFIX=$(PREFIX) >/dev/null
	@cmake --build $(BUILD) -j $(JOBS)
	cmake --install $(BUILD)

deps:
	@./scripts/install-deps.sh test

format:
	clang-format -i $$(git ls-files '*.c' '*.h')

clean:
	rm -rf $(BUILD) $(TESTBUILD) $(TSANBUILD) $(FUZZBUILD) fuzz-work
