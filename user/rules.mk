# Rules shared by user/Makefile and bench/guest/Makefile for building freestanding RV64
# programs against the runtime in user/lib. The including Makefile sets, before including:
#   PROGRAMS     program names; NAME.c is in SRC_DIR
#   FLAVOURS     xv6 and/or linux (system-call numbers and how _start finds argc/argv)
#   SRC_DIR      where the programs' sources are
#   OBJ_DIR      objects go under $(OBJ_DIR)/FLAVOUR/
#   OUT_xv6, OUT_linux   where each flavour's binaries go
# and may set:
#   PROGRAMS_xv6, PROGRAMS_linux   the programs of one flavour (default: PROGRAMS)
#   LDFLAGS_NAME                   extra link flags of one program
#
# The runtime comes in layers (user/include/ulib.h and user.h say what each offers):
#   user/lib/*           both flavours: _start, string functions, printf, fenv and math, and
#                        the free-list heap under both runtimes' malloc (freelist.c)
#   user/lib/linux/*     linux only: write and exit by hand, with Linux's numbers
#   user/lib/xv6/*       xv6 only: malloc, gets, stat, the test helpers, statistics()
#   build/gen/*          xv6 only: syscall.h, abi.h and usys.S, generated from abi/*.tbl, and
#                        pebbles/syscall.h (the Pebbles personality's numbers, for the few
#                        Pebbles calls whose names xv6 has too: see user/lib/xv6/thread.S)
# Each flavour's runtime (all but _start) is an archive, so a program carries only the parts
# it uses.

OSPREY_ROOT := $(abspath $(dir $(lastword $(MAKEFILE_LIST)))..)
LIB_DIR := $(OSPREY_ROOT)/user/lib
INCLUDE_DIR := $(OSPREY_ROOT)/user/include
ABI_DIR := $(OSPREY_ROOT)/abi
GEN_DIR := $(OSPREY_ROOT)/build/gen
LDSCRIPT := $(OSPREY_ROOT)/user/user.ld
RULE_FILES := $(abspath $(MAKEFILE_LIST))

CC := riscv64-unknown-elf-gcc
AR := riscv64-unknown-elf-ar
ifeq ($(filter clean list,$(MAKECMDGOALS)),)
ifeq ($(shell command -v $(CC) 2>/dev/null),)
$(error $(CC) not found; install it with: sudo apt-get install gcc-riscv64-unknown-elf)
endif
endif

# RV64GC with hardware floating point (lp64d): the toolchain's default, which its default
# multilib (and so its libgcc) is built for. -nostdlib leaves libgcc out, so it is named at
# the end of each link: it has the soft-float helpers for long double (IEEE quad, which has no
# RISC-V instructions) and the 128-bit integer routines, pulled in only by programs using them.
CFLAGS := -march=rv64gc -mabi=lp64d -mcmodel=medany -static -nostdlib -ffreestanding \
          -fno-builtin -O2 -Wall -Werror -I$(INCLUDE_DIR)
DEPFLAGS := -MMD -MP

# Both flavours are linked at 0: xv6's exec expects that, and qemu-riscv64 accepts it too
# (it picks a host base for guest memory, so vm.mmap_min_addr does not apply). Should some
# qemu refuse, 0x10000 (Linux's usual mmap_min_addr) is the fallback for linux.
BASE_xv6 := 0
BASE_linux := 0

# Per flavour: the preprocessor flags (which syscall.h ulib.h finds), the runtime sources
# besides the common ones, and the files that must exist before anything compiles.
FLAGS_xv6 := -I$(GEN_DIR)/include
FLAGS_linux := -I$(LIB_DIR)/linux -DOSPREY_ABI_LINUX
GEN_HEADERS := $(GEN_DIR)/include/syscall.h $(GEN_DIR)/include/abi.h $(GEN_DIR)/include/systable.h $(GEN_DIR)/include/pebbles/syscall.h
RUNTIME_xv6 := $(GEN_DIR)/usys.S $(addprefix $(LIB_DIR)/xv6/,malloc.c fileio.c test.c grind.c statistics.c thread.S errno.c signal.S)
RUNTIME_linux := $(LIB_DIR)/linux/syscall.S
PREREQS_xv6 := $(GEN_HEADERS)
PREREQS_linux :=
RUNTIME_COMMON := $(LIB_DIR)/string.c $(LIB_DIR)/printf.c $(LIB_DIR)/fp.c $(LIB_DIR)/freelist.c

# The runtime's own memset and memcpy loops must not be "optimised" into calls to themselves.
CFLAGS_string := -fno-tree-loop-distribute-patterns

.SUFFIXES:
.DELETE_ON_ERROR:

$(foreach f,$(FLAVOURS),$(eval PROGRAMS_$(f) ?= $(PROGRAMS)))
BINARIES := $(foreach f,$(FLAVOURS),$(addprefix $(OUT_$(f))/,$(PROGRAMS_$(f))))

all: $(BINARIES)

# Prints the binaries this Makefile builds, one per line, so tools (the guest benchmark
# runner) need not keep their own copy of the program list.
list:
	@$(foreach b,$(BINARIES),echo '$(b)';)

# The xv6 flavour's system-call numbers, prototypes, stubs and constants, from the tables.
# Every xv6 object depends on the headers, so a change to a table rebuilds them all.
ABI_INPUTS := $(ABI_DIR)/syscalls.tbl $(ABI_DIR)/constants.tbl $(ABI_DIR)/gen.awk

# $(1) is the file to generate, $(2) what gen.awk should write, $(3) the personality (default xv6).
define gen_rule
$(1): $(ABI_INPUTS)
	@mkdir -p $$(@D)
	awk -v what=$(2) -v personality=$(or $(3),xv6) -f $(ABI_DIR)/gen.awk $(ABI_DIR)/syscalls.tbl $(ABI_DIR)/constants.tbl > $$@
endef

$(eval $(call gen_rule,$(GEN_DIR)/include/syscall.h,c-syscall))
$(eval $(call gen_rule,$(GEN_DIR)/include/pebbles/syscall.h,c-syscall,pebbles))
$(eval $(call gen_rule,$(GEN_DIR)/include/abi.h,c-abi))
$(eval $(call gen_rule,$(GEN_DIR)/include/systable.h,c-table))
$(eval $(call gen_rule,$(GEN_DIR)/usys.S,c-stubs))

# The object of runtime source $(2) in flavour $(1): sources have distinct base names.
lib_obj = $(OBJ_DIR)/$(1)/lib/$(basename $(notdir $(2))).o

# $(1) is the flavour, $(2) one runtime source (.c or .S).
define lib_rule
$(call lib_obj,$(1),$(2)): $(2) $(RULE_FILES) $(PREREQS_$(1))
	@mkdir -p $$(@D)
	$(CC) $(CFLAGS) $(CFLAGS_$(basename $(notdir $(2)))) $(FLAGS_$(1)) $(DEPFLAGS) -c -o $$@ $$<
endef

# $(1) is the flavour. Static pattern rules name every file, so make never guesses.
define flavour_rules
PROG_OBJS_$(1) := $(addprefix $(OBJ_DIR)/$(1)/,$(addsuffix .o,$(PROGRAMS_$(1))))
START_OBJ_$(1) := $(call lib_obj,$(1),start.S)
LIB_OBJS_$(1) := $(foreach s,$(RUNTIME_COMMON) $(RUNTIME_$(1)),$(call lib_obj,$(1),$(s)))
ARCHIVE_$(1) := $(OBJ_DIR)/$(1)/lib/libulib.a

$$(PROG_OBJS_$(1)): $(OBJ_DIR)/$(1)/%.o: $(SRC_DIR)/%.c $(RULE_FILES) $(PREREQS_$(1))
	@mkdir -p $$(@D)
	$(CC) $(CFLAGS) $(FLAGS_$(1)) $(DEPFLAGS) -c -o $$@ $$<

$(foreach s,$(LIB_DIR)/start.S $(RUNTIME_COMMON) $(RUNTIME_$(1)),$(eval $(call lib_rule,$(1),$(s))))

# Rebuilt from scratch so a runtime file that is gone leaves no stale member behind.
$$(ARCHIVE_$(1)): $$(LIB_OBJS_$(1))
	rm -f $$@
	$(AR) rcs $$@ $$^

# start.o comes first in every link, so _start sits at the lowest address.
$(addprefix $(OUT_$(1))/,$(PROGRAMS_$(1))): $(OUT_$(1))/%: $(OBJ_DIR)/$(1)/%.o $$(START_OBJ_$(1)) $$(ARCHIVE_$(1)) $(LDSCRIPT)
	@mkdir -p $$(@D)
	$(CC) $(CFLAGS) -T $(LDSCRIPT) -Wl,--defsym=OSPREY_BASE=$(BASE_$(1)) $$(LDFLAGS_$$*) \
		-o $$@ $$(START_OBJ_$(1)) $$< $$(ARCHIVE_$(1)) -lgcc

-include $$(PROG_OBJS_$(1):.o=.d) $$(START_OBJ_$(1):.o=.d) $$(LIB_OBJS_$(1):.o=.d)
endef

$(foreach f,$(FLAVOURS),$(eval $(call flavour_rules,$(f))))

clean:
	rm -rf $(OBJ_DIR) $(BINARIES) $(if $(filter xv6,$(FLAVOURS)),$(GEN_DIR))

.PHONY: all list clean
