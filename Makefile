# SPDX-License-Identifier: Apache-2.0
# Plain words for a newcomer; Meson + Ninja do the work.
#   make          build build/netkit and the build/bin/{ip,ss,route,mtr,nmap} links
#   make demo     install what is needed, build, bring up the lab, walk through it, tear down
#   make check    install what is needed, build (plain and ASan+UBSan), run every test
#   make deb      the Debian package in build-deb/ (make deb-test installs and tries it)
#   make install  PREFIX=/usr/local DESTDIR=...  [SETCAP=1: the file capability cap_net_raw,
#                 so that an ordinary user runs nmap -sS/-O and mtr without sudo]
PREFIX ?= /usr/local
BUILD ?= build
ASAN_BUILD ?= build-asan
TOOLS = ip ss route mtr nmap

.PHONY: all deps demo check asan install clean format format-check bench fuzz analyze deb deb-test

all: $(BUILD)/build.ninja
	ninja -C $(BUILD)
	@mkdir -p $(BUILD)/bin
	@for t in $(TOOLS); do ln -sf ../netkit $(BUILD)/bin/$$t; done

$(BUILD)/build.ninja:
	meson setup $(BUILD) --prefix=$(PREFIX)

$(ASAN_BUILD)/build.ninja:
	meson setup $(ASAN_BUILD) -Db_sanitize=address,undefined -Db_lundef=false --buildtype=debug

asan: $(ASAN_BUILD)/build.ninja
	ninja -C $(ASAN_BUILD)
	@mkdir -p $(ASAN_BUILD)/bin
	@for t in $(TOOLS); do ln -sf ../netkit $(ASAN_BUILD)/bin/$$t; done

deps:
	bash scripts/deps.sh

demo: deps all
	bash scripts/demo.sh

check: deps all asan
	bash scripts/check.sh

install: all
	meson install -C $(BUILD) $(if $(DESTDIR),--destdir $(DESTDIR))
ifeq ($(SETCAP),1)
	setcap cap_net_raw+ep $(DESTDIR)$(PREFIX)/bin/netkit
	getcap $(DESTDIR)$(PREFIX)/bin/netkit
endif

bench: all
	bash bench/run.sh

format:
	git ls-files '*.c' '*.h' | xargs clang-format -i

format-check:
	git ls-files '*.c' '*.h' | xargs clang-format --dry-run --Werror

fuzz:
	bash scripts/fuzz.sh 60

# cppcheck over src/, then clang's static analyzer (both also in make
# check); see scripts/cppcheck.sh and scripts/scan-build.sh
analyze:
	bash scripts/cppcheck.sh
	bash scripts/scan-build.sh

# the Debian package (debhelper, lintian) into build-deb/, and its test:
# installed into a throwaway copy-on-write view of this machine's root,
# run, purged (scripts/deb.sh, scripts/deb-test.sh; not in make check)
deb:
	bash scripts/deb.sh

deb-test: deb
	bash scripts/deb-test.sh

clean:
	rm -rf $(BUILD) $(ASAN_BUILD) build-fuzz build-scan build-deb
