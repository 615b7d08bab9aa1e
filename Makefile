# git schemig — build, test, install.
#
#   make            build ./git-schemig
#   make test       build under ASan/UBSan and run the unit tests, every
#                   diff case and every suite on throwaway PostgreSQL
#                   servers, in parallel lanes (tests/run.sh, HACKING.md)
#   make fuzz       fuzz the SQL parser and linter (clang's libFuzzer) for
#                   FUZZ_TIME seconds (default 1200); finds go to build/fuzz
#   make fuzz-mysql the same for the MySQL/MariaDB parser
#   make bench      print the introspect / parse / diff figures
#   make demo       run the main job on the embedded sample repository
#   make demo-mysql the same on a throwaway MariaDB
#   make deps       install the Debian packages (needs root or sudo)
#   make install    install git-schemig into $(PREFIX)/bin

.DEFAULT_GOAL := all
PREFIX ?= /usr/local
CC ?= cc
PKG_CONFIG ?= pkg-config

PKGS := libpq libgit2 yaml-0.1 jansson libcurl libcrypto zlib libmariadb
PKG_CFLAGS := $(shell $(PKG_CONFIG) --cflags $(PKGS) 2>/dev/null)
PKG_LIBS := $(shell $(PKG_CONFIG) --libs $(PKGS) 2>/dev/null)
# Debian's libpg-query-dev ships no .pc file; use it when a build has one.
PGQ_LIBS := $(shell $(PKG_CONFIG) --libs libpg_query 2>/dev/null || echo -lpg_query)
CMOCKA_LIBS := $(shell $(PKG_CONFIG) --libs cmocka 2>/dev/null || echo -lcmocka)

WARN := -Wall -Wextra -Werror -Wno-missing-field-initializers
BASE_CFLAGS := -std=c11 -D_GNU_SOURCE $(WARN) $(PKG_CFLAGS) -I. -Ibuild/gen
CFLAGS ?= -O2 -g
LIBS := $(PKG_LIBS) $(PGQ_LIBS) -lm -pthread

# Every module folder is compiled into one library; cmd/ holds main and
# the commands, tests/ and bench/ their own programs.
MODULES := util config git source schema plan lint net llm draft report exec replica mcp emitters emitters/sql \
	emitters/flyway emitters/knex emitters/alembic dialects dialects/postgres \
	dialects/mysql
LIB_SRC := $(foreach d,$(MODULES),$(wildcard $(d)/*.c))
CMD_SRC := $(wildcard cmd/*.c)
UNIT_SRC := $(wildcard tests/unit/test_*.c)
# Programs the test suites drive (load generators, watchers).
TOOL_SRC := $(wildcard tests/tools/*.c)
HEADERS := $(foreach d,$(MODULES) cmd tests/unit,$(wildcard $(d)/*.h))

VERSION := $(shell cat VERSION 2>/dev/null || echo 0.1.0)

# Two build trees: build/release for the installed binary, build/test
# with AddressSanitizer and UBSan for the test suite.
REL := build/release
TST := build/test
SAN := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all

# The demo's sample schemas and its recorded model answer are compiled
# in, so that `git schemig demo` works from an installed binary with no
# source tree around: demo/NAME.EXT becomes demo_NAME_EXT[].
GEN := build/gen
DEMO_FILES := demo/v1.sql demo/v2.sql demo/rename.sql demo/rename_answer.json \
	demo/mysql_v1.sql demo/mysql_v2.sql demo/mysql_rows.sql
$(GEN)/demo_sql.h: $(DEMO_FILES)
	@mkdir -p $(GEN)
	{ for f in $(DEMO_FILES); do v=$$(basename $$f | tr . _); \
	  printf 'static const char demo_%s[] =\n' $$v; \
	  sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' -e 's/^/"/' -e 's/$$/\\n"/' $$f; \
	  printf ';\n'; done; } > $@

$(REL)/cmd/demo.o $(TST)/cmd/demo.o: $(GEN)/demo_sql.h

.PHONY: all test test-run bench demo demo-run demo-mysql deps install clean format fuzz fuzz-mysql

all: git-schemig

define objs
$(patsubst %.c,$(1)/%.o,$(2))
endef

$(REL)/%.o: %.c $(HEADERS)
	@mkdir -p $(dir $@)
	$(CC) $(BASE_CFLAGS) $(CFLAGS) -DSCHEMIG_VERSION='"$(VERSION)"' -c $< -o $@

$(TST)/%.o: %.c $(HEADERS)
	@mkdir -p $(dir $@)
	$(CC) $(BASE_CFLAGS) -O1 -g $(SAN) -DSCHEMIG_VERSION='"$(VERSION)"' -c $< -o $@

$(REL)/libschemig.a: $(call objs,$(REL),$(LIB_SRC))
	@rm -f $@
	ar rcs $@ $^

$(TST)/libschemig.a: $(call objs,$(TST),$(LIB_SRC))
	@rm -f $@
	ar rcs $@ $^

git-schemig: $(call objs,$(REL),$(CMD_SRC)) $(REL)/libschemig.a
	$(CC) $(CFLAGS) -o $@ $^ $(LIBS)

$(TST)/git-schemig: $(call objs,$(TST),$(CMD_SRC)) $(TST)/libschemig.a
	$(CC) $(SAN) -o $@ $^ $(LIBS)

$(TST)/unit/%: $(TST)/tests/unit/%.o $(TST)/libschemig.a
	@mkdir -p $(dir $@)
	$(CC) $(SAN) -o $@ $^ $(LIBS) $(CMOCKA_LIBS)

UNIT_BINS := $(patsubst tests/unit/%.c,$(TST)/unit/%,$(UNIT_SRC))

$(TST)/tools/%: $(TST)/tests/tools/%.o $(TST)/libschemig.a
	@mkdir -p $(dir $@)
	$(CC) $(SAN) -o $@ $^ $(LIBS)

TOOL_BINS := $(patsubst tests/tools/%.c,$(TST)/tools/%,$(TOOL_SRC))

# The fuzz target is built by clang with libFuzzer, in a tree of its own;
# only the modules the parser, the linter and the differ need are
# compiled, so the short run in `make test` costs little to build.
FUZZ := build/fuzz
FUZZ_CC ?= clang
FUZZ_SAN := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
FUZZ_TIME ?= 1200
FUZZ_LIB_SRC := $(wildcard util/*.c schema/*.c lint/*.c plan/*.c) \
	$(filter-out dialects/postgres/plan%.c dialects/postgres/introspect%.c \
	dialects/postgres/server%.c dialects/postgres/scratch.c dialects/postgres/devtemplate%.c,\
	$(wildcard dialects/postgres/*.c)) $(wildcard dialects/mysql/*.c) \
	dialects/journal.c

$(FUZZ)/%.o: %.c $(HEADERS)
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(BASE_CFLAGS) -O1 -g $(FUZZ_SAN) -fsanitize=fuzzer-no-link -c $< -o $@

$(FUZZ)/libschemig.a: $(call objs,$(FUZZ),$(FUZZ_LIB_SRC))
	@rm -f $@
	ar rcs $@ $^

$(FUZZ)/fuzz_parse: $(FUZZ)/tests/fuzz/fuzz_parse.o $(FUZZ)/libschemig.a
	$(FUZZ_CC) $(FUZZ_SAN) -fsanitize=fuzzer -o $@ $^ $(LIBS)

$(FUZZ)/fuzz_my_parse: $(FUZZ)/tests/fuzz/fuzz_my_parse.o $(FUZZ)/libschemig.a
	$(FUZZ_CC) $(FUZZ_SAN) -fsanitize=fuzzer -o $@ $^ $(LIBS)

# New inputs go to build/fuzz/corpus; tests/fuzz/corpus/parse holds the
# seeds (and every input that once crashed), read only.
fuzz: $(FUZZ)/fuzz_parse
	@mkdir -p $(FUZZ)/corpus $(FUZZ)/crashes
	$(FUZZ)/fuzz_parse -max_total_time=$(FUZZ_TIME) -max_len=8192 -timeout=30 \
		-rss_limit_mb=4096 -artifact_prefix=$(FUZZ)/crashes/ \
		$(FUZZ)/corpus tests/fuzz/corpus/parse

# The MySQL/MariaDB parser's target, likewise (seeds in
# tests/fuzz/corpus/my_parse).
fuzz-mysql: $(FUZZ)/fuzz_my_parse
	@mkdir -p $(FUZZ)/my_corpus $(FUZZ)/my_crashes
	$(FUZZ)/fuzz_my_parse -max_total_time=$(FUZZ_TIME) -max_len=8192 -timeout=30 \
		-rss_limit_mb=4096 -artifact_prefix=$(FUZZ)/my_crashes/ \
		$(FUZZ)/my_corpus tests/fuzz/corpus/my_parse

# `make test` and `make demo` are the README's two commands for a fresh
# machine: they install what is missing first, then run make again so that
# the pkg-config flags above are computed with the libraries present.
test:
	@ci/install-deps.sh --if-missing
	@$(MAKE) --no-print-directory test-run

test-run: $(TST)/git-schemig $(UNIT_BINS) $(TOOL_BINS) git-schemig
	SCHEMIG_TOOLS_DIR=$(TST)/tools tests/run.sh $(TST)/git-schemig $(UNIT_BINS)

# The throwaway server's start-to-ready timer (bench/devstart.sh).
$(REL)/bench/devstart: $(REL)/bench/devstart.o $(REL)/libschemig.a
	$(CC) $(CFLAGS) -o $@ $^ $(LIBS)

bench: git-schemig $(REL)/bench/devstart
	bench/devstart.sh $(REL)/bench/devstart
	bench/run.sh ./git-schemig
	BENCH_STALL_ROWS=$${BENCH_STALL_ROWS:-2000000} bench/stall.sh ./git-schemig
	bench/replica.sh ./git-schemig

demo:
	@ci/install-deps.sh --if-missing
	@$(MAKE) --no-print-directory demo-run

demo-run: git-schemig
	./git-schemig demo

# The same job on MySQL's side: a throwaway MariaDB (or MySQL) that
# schemig starts itself, the same shop in MySQL's DDL.
demo-mysql:
	@ci/install-deps.sh --if-missing
	@$(MAKE) --no-print-directory git-schemig
	./git-schemig demo --dialect mysql

deps:
	ci/install-deps.sh

install: git-schemig
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/man/man1
	install -m 755 git-schemig $(DESTDIR)$(PREFIX)/bin/git-schemig
	install -m 644 doc/git-schemig.1 $(DESTDIR)$(PREFIX)/share/man/man1/git-schemig.1

format:
	clang-format -i $(LIB_SRC) $(CMD_SRC) $(UNIT_SRC) $(TOOL_SRC) $(HEADERS)

clean:
	rm -rf build git-schemig
