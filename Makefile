# kubix — one non-recursive Makefile for libcommon, every tool, tests and install.
#   make            build libcommon.a and every tool into build/bin/
#   make test       unit tests (GoogleTest) + every bats suite, one summary line
#   make bench      run the benchmarks under bench/
#   make install    PREFIX=/usr/local DESTDIR= MANDIR=$(PREFIX)/share/man
#   make format     clang-format every source file
#   V=1             show full command lines;  WERROR=1  warnings are errors (CI)

CXX      ?= g++
AR       ?= ar
PREFIX   ?= /usr/local
BINDIR   ?= $(PREFIX)/bin
MANDIR   ?= $(PREFIX)/share/man
COMPDIR  ?= $(PREFIX)/share/bash-completion/completions
UNITDIR  ?= $(PREFIX)/lib/systemd/system
DESTDIR  ?=
OPT      ?= -O2

BUILD    := build
TOOLS    := $(notdir $(wildcard tools/*))

CPPFLAGS += -Ilibcommon/include -MMD -MP
# Designated initializers leave the other members at their defaults on purpose.
CXXFLAGS += -std=c++20 -Wall -Wextra -Wno-missing-field-initializers $(OPT) -g -pthread
ifeq ($(WERROR),1)
CXXFLAGS += -Werror
endif
LDLIBS   += -llmdb -lcurl -lssl -lcrypto -lyaml-cpp -lsystemd -pthread
# Per-tool extra libraries.
LDLIBS_proxyrules := -lip4tc

ifeq ($(V),1)
Q :=
else
Q := @
endif

rwildcard = $(foreach d,$(wildcard $(1:=/*)),$(call rwildcard,$d,$2) $(filter $(subst *,%,$2),$d))

LIB_ALL   := $(call rwildcard,libcommon/src,*.cpp)
LIB_TESTS := $(filter %_test.cpp,$(LIB_ALL))
LIB_SRCS  := $(filter-out %_test.cpp,$(LIB_ALL))
LIB_A     := $(BUILD)/libcommon.a

obj = $(patsubst %.cpp,$(BUILD)/obj/%.o,$(1))

BINS       := $(addprefix $(BUILD)/bin/,$(TOOLS))
TEST_BINS  := $(BUILD)/test/libcommon_test

.PHONY: all test unit bench install format clean deps tidy cluster cluster-down
all: $(BINS)

# Installs missing Debian packages; quiet and quick when nothing is missing.
deps:
	$(Q)scripts/install-deps

$(BUILD)/obj/%.o: %.cpp | deps
	@mkdir -p $(@D)
	@$(if $(Q),echo "  CXX     $<")
	$(Q)$(CXX) $(CPPFLAGS) $(CXXFLAGS) -c $< -o $@

$(LIB_A): $(call obj,$(LIB_SRCS))
	@mkdir -p $(@D)
	@$(if $(Q),echo "  AR      $@")
	$(Q)rm -f $@ && $(AR) rcs $@ $^

$(BUILD)/test/libcommon_test: $(call obj,$(LIB_TESTS)) $(LIB_A)
	@mkdir -p $(@D)
	@$(if $(Q),echo "  LINK    $@")
	$(Q)$(CXX) $(CXXFLAGS) -o $@ $^ -lgtest -lgtest_main $(LDLIBS)

# One block per tool: tools/<t>/main.cpp + the tool's modules (any depth) + its tests.
define TOOL_template
$(1)_ALL   := $$(call rwildcard,tools/$(1),*.cpp)
$(1)_TESTS := $$(filter %_test.cpp,$$($(1)_ALL))
$(1)_SRCS  := $$(filter-out %_test.cpp tools/$(1)/main.cpp,$$($(1)_ALL))
# A tool's modules include each other relative to the tool's directory.
$(BUILD)/obj/tools/$(1)/%.o: CPPFLAGS += -Itools/$(1)
$(BUILD)/lib$(1).a: $$(call obj,$$($(1)_SRCS))
	@mkdir -p $$(@D)
	$(Q)rm -f $$@ && $(AR) rcs $$@ $$^ $$(if $$^,,&& $(AR) rcs $$@)
$(BUILD)/bin/$(1): $(BUILD)/obj/tools/$(1)/main.o $(BUILD)/lib$(1).a $(LIB_A)
	@mkdir -p $$(@D)
	@$$(if $(Q),echo "  LINK    $$@")
	$(Q)$(CXX) $(CXXFLAGS) -o $$@ $$^ $$(LDLIBS_$(1)) $(LDLIBS)
ifneq ($$($(1)_TESTS),)
TEST_BINS += $(BUILD)/test/$(1)_test
$(BUILD)/test/$(1)_test: $$(call obj,$$($(1)_TESTS)) $(BUILD)/lib$(1).a $(LIB_A)
	@mkdir -p $$(@D)
	@$$(if $(Q),echo "  LINK    $$@")
	$(Q)$(CXX) $(CXXFLAGS) -o $$@ $$^ -lgtest -lgtest_main $$(LDLIBS_$(1)) $(LDLIBS)
endif
endef
$(foreach t,$(TOOLS),$(eval $(call TOOL_template,$(t))))

# `make test` runs everything and ends with "N passed, N failed, N skipped".
# SUITES=tests/kvstore limits the bats part; UNIT=0 skips the unit tests.
test: all $(TEST_BINS)
	$(Q)scripts/run-tests $(TEST_BINS)

unit: $(TEST_BINS)
	$(Q)BATS=0 scripts/run-tests $(TEST_BINS)

# A local cluster (apiserve with embedded storage for now) and its kubeconfig.
cluster: all
	$(Q)scripts/cluster-up

cluster-down:
	$(Q)scripts/cluster-down

bench: all
	$(Q)bench/run-all

install: all
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(MANDIR)/man7 \
		$(DESTDIR)$(COMPDIR) $(DESTDIR)$(UNITDIR)
	install -m 0755 $(BINS) $(DESTDIR)$(BINDIR)/
	install -m 0644 $(wildcard man/*.1) $(DESTDIR)$(MANDIR)/man1/
	install -m 0644 $(wildcard man/*.7) $(DESTDIR)$(MANDIR)/man7/
	install -m 0644 $(wildcard completions/*) $(DESTDIR)$(COMPDIR)/
	install -m 0644 $(wildcard examples/systemd/*.service) $(DESTDIR)$(UNITDIR)/

format:
	clang-format -i $(LIB_ALL) $(wildcard libcommon/include/common/*.h) \
		$(foreach t,$(TOOLS),$($(t)_ALL) $(call rwildcard,tools/$(t),*.h))

clean:
	rm -rf $(BUILD)

-include $(call rwildcard,$(BUILD)/obj,*.d)
