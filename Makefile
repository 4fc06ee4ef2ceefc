# motcua - one binary: JSON API, web UI, sweeper, PDF forms, Excel export.
#   make run     install what is missing, build, init the demo db, serve :8080
#   make test    install what is missing, build (normal + ASan/UBSan), test
#   make bench   benchmarks (bench/results/latest.md)
#   make asan    sanitizer build in build-asan/
#   make lint    clang-tidy + cppcheck

CC      ?= cc
PKGS    := libmicrohttpd jansson sqlite3 libargon2 libcrypto libutf8proc \
           pangocairo cairo libqrencode xlsxwriter libpq
CFLAGS_BASE := -std=c11 -D_DEFAULT_SOURCE -D_GNU_SOURCE -Isrc -Ibuild/gen \
           -include src/banned.h -Wall -Wextra -Wshadow -Wno-unused-parameter \
           -Wstrict-prototypes -Wmissing-prototypes -Werror -pthread \
           -fno-strict-aliasing $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
LIBS    := $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lm -pthread
OPT     ?= -O2 -g
BUILD   ?= build

SRCS     := $(shell find src -name '*.c' | sort)
LIB_SRCS := $(filter-out src/cli/main.c,$(SRCS))
MIGS     := $(sort $(wildcard src/db/migrations/*.sql))
DATA     := $(sort $(shell find data -type f -name '*.csv' 2>/dev/null)) docs/openapi.json
GEN      := $(BUILD)/gen/migrations.c $(BUILD)/gen/embedded_data.c
OBJS     := $(LIB_SRCS:%.c=$(BUILD)/%.o) $(GEN:%.c=%.o)
# Browser libraries from npm (web/package-lock.json), served from web/vendor/.
WEB_VENDOR := web/vendor/chart.umd.js
TESTS    := $(patsubst tests/unit/%.c,$(BUILD)/tests/%,$(sort $(wildcard tests/unit/test_*.c)))

CFLAGS  := $(CFLAGS_BASE) $(OPT) $(EXTRA_CFLAGS)

.PHONY: all asan test run bench deps deps-test lint clean check unit
all: $(BUILD)/motcua $(WEB_VENDOR)

deps:
	@scripts/install-deps.sh
deps-test:
	@scripts/install-deps.sh test

web/node_modules/.package-lock.json: web/package.json web/package-lock.json
	@echo "  NPM web"
	@cd web && npm ci --no-audit --no-fund --loglevel=error >/dev/null
	@touch $@

$(WEB_VENDOR): web/node_modules/.package-lock.json
	@mkdir -p $(dir $@)
	@cp web/node_modules/chart.js/dist/chart.umd.js $@

$(BUILD)/gen/migrations.c: $(MIGS) scripts/gen-migrations.sh
	@mkdir -p $(dir $@)
	@scripts/gen-migrations.sh $@ $(MIGS)

$(BUILD)/gen/embedded_data.c: $(DATA) scripts/embed.sh
	@mkdir -p $(dir $@)
	@scripts/embed.sh $@ mc_embedded_data $(DATA)

$(BUILD)/gen/%.o: $(BUILD)/gen/%.c
	@echo "  CC $<"
	@$(CC) $(CFLAGS) -Wno-missing-prototypes -c $< -o $@

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	@echo "  CC $<"
	@$(CC) $(CFLAGS) -MMD -MP -c $< -o $@

$(BUILD)/libmotcua.a: $(OBJS)
	@rm -f $@
	@ar rcs $@ $^

$(BUILD)/motcua: $(BUILD)/src/cli/main.o $(BUILD)/libmotcua.a
	@echo "  LD $@"
	@$(CC) $(CFLAGS) -o $@ $^ $(LIBS)

$(BUILD)/tests/%: tests/unit/%.c $(BUILD)/libmotcua.a
	@mkdir -p $(dir $@)
	@echo "  LD $@"
	@$(CC) $(CFLAGS) -Wno-missing-prototypes -Itests -o $@ $< \
	    $(BUILD)/libmotcua.a $(LIBS) $(shell pkg-config --libs cmocka)

unit: $(TESTS)

asan:
	$(MAKE) BUILD=build-asan OPT="-O1 -g -fno-omit-frame-pointer \
	    -fsanitize=address,undefined -fno-sanitize-recover=undefined" \
	    build-asan/motcua $(patsubst $(BUILD)/%,build-asan/%,$(TESTS))

test: deps-test
	$(MAKE) all unit
	$(MAKE) asan
	LSAN_OPTIONS=suppressions=$(CURDIR)/tests/lsan.supp:print_suppressions=0 \
	    tests/run-tests.sh

check: test

# The demo database: the demo units, accounts and catalog plus a year of
# generated history (so the dashboard and the scorecards have figures).
DEMO_DOSSIERS ?= 8000

run: deps all
	@mkdir -p var
	@test -f var/motcua.db || { rm -f var/new.db var/new.db-wal var/new.db-shm && \
	    $(BUILD)/motcua init --db var/new.db --demo && \
	    $(BUILD)/motcua gen --db var/new.db --dossiers $(DEMO_DOSSIERS) --years 1 && \
	    for x in "" -wal -shm; do [ ! -e var/new.db$$x ] || mv var/new.db$$x var/motcua.db$$x; done; }
	$(BUILD)/motcua serve --db var/motcua.db --listen 127.0.0.1:8080

bench: all
	@scripts/install-deps.sh bench
	bench/run.sh

lint:
	clang-tidy $(SRCS) -- $(CFLAGS_BASE)
	cppcheck --quiet --enable=warning,performance,portability \
	    --suppress=missingIncludeSystem -Isrc $(SRCS)

clean:
	rm -rf build build-asan web/vendor

-include $(OBJS:.o=.d) $(BUILD)/src/cli/main.d
