# Rules shared by user/Makefile and bench/guest/Makefile for building freestanding RV64
# programs against the runtime in user/lib. The including Makefile sets, before including:
#   PROGRAMS     program names; NAME.c is in SRC_DIR
#   FLAVOURS     xv6 and/or linux (system-call numbers and how _start finds argc/argv)
#   SRC_DIR      where the programs' sources are
#   OBJ_DIR      objects go under $(OBJ_DIR)/FLAVOUR/
#   OUT_xv6, OUT_linux   where each flavour's binaries go
# and may set LDFLAGS_NAME for extra link flags of one program.

OSPREY_ROOT := $(abspath $(dir $(lastword $(MAKEFILE_LIST)))..)
LIB_DIR := $(OSPREY_ROOT)/user/lib
LDSCRIPT := $(OSPREY_ROOT)/user/user.ld
RULE_FILES := $(abspath $(MAKEFILE_LIST))

CC := riscv64-unknown-elf-gcc
ifeq ($(filter clean list,$(MAKECMDGOALS)),)
ifeq ($(shell command -v $(CC) 2>/dev/null),)
$(error $(CC) not found; install it with: sudo apt-get install gcc-riscv64-unknown-elf)
endif
endif

CFLAGS := -march=rv64imac -mabi=lp64 -mcmodel=medany -static -nostdlib -ffreestanding \
          -fno-builtin -O2 -Wall -Werror -I$(LIB_DIR)
DEPFLAGS := -MMD -MP

# Both flavours are linked at 0: xv6's exec expects that, and qemu-riscv64 accepts it too
# (it picks a host base for guest memory, so vm.mmap_min_addr does not apply). Should some
# qemu refuse, 0x10000 (Linux's usual mmap_min_addr) is the fallback for linux.
DEFINES_xv6 :=
DEFINES_linux := -DOSPREY_ABI_LINUX
BASE_xv6 := 0
BASE_linux := 0

# The runtime's own memset and memcpy loops must not be "optimised" into calls to themselves.
CFLAGS_string := -fno-tree-loop-distribute-patterns

# start comes first in every link, so _start sits at the lowest address.
RUNTIME_S := start syscall
RUNTIME_C := string printf

.SUFFIXES:
.DELETE_ON_ERROR:

BINARIES := $(foreach f,$(FLAVOURS),$(addprefix $(OUT_$(f))/,$(PROGRAMS)))

all: $(BINARIES)

# Prints the binaries this Makefile builds, one per line, so tools (the guest benchmark
# runner) need not keep their own copy of the program list.
list:
	@$(foreach b,$(BINARIES),echo '$(b)';)

# $(1) is the flavour. Static pattern rules name every file, so make never guesses.
define flavour_rules
PROG_OBJS_$(1) := $(addprefix $(OBJ_DIR)/$(1)/,$(addsuffix .o,$(PROGRAMS)))
LIB_S_OBJS_$(1) := $(addprefix $(OBJ_DIR)/$(1)/lib/,$(addsuffix .o,$(RUNTIME_S)))
LIB_C_OBJS_$(1) := $(addprefix $(OBJ_DIR)/$(1)/lib/,$(addsuffix .o,$(RUNTIME_C)))
RUNTIME_OBJS_$(1) := $$(LIB_S_OBJS_$(1)) $$(LIB_C_OBJS_$(1))

$$(PROG_OBJS_$(1)): $(OBJ_DIR)/$(1)/%.o: $(SRC_DIR)/%.c $(RULE_FILES)
	@mkdir -p $$(@D)
	$(CC) $(CFLAGS) $(DEPFLAGS) $(DEFINES_$(1)) -c -o $$@ $$<

$$(LIB_C_OBJS_$(1)): $(OBJ_DIR)/$(1)/lib/%.o: $(LIB_DIR)/%.c $(RULE_FILES)
	@mkdir -p $$(@D)
	$(CC) $(CFLAGS) $$(CFLAGS_$$*) $(DEPFLAGS) $(DEFINES_$(1)) -c -o $$@ $$<

$$(LIB_S_OBJS_$(1)): $(OBJ_DIR)/$(1)/lib/%.o: $(LIB_DIR)/%.S $(RULE_FILES)
	@mkdir -p $$(@D)
	$(CC) $(CFLAGS) $(DEPFLAGS) $(DEFINES_$(1)) -c -o $$@ $$<

$(addprefix $(OUT_$(1))/,$(PROGRAMS)): $(OUT_$(1))/%: $(OBJ_DIR)/$(1)/%.o $$(RUNTIME_OBJS_$(1)) $(LDSCRIPT)
	@mkdir -p $$(@D)
	$(CC) $(CFLAGS) -T $(LDSCRIPT) -Wl,--defsym=OSPREY_BASE=$(BASE_$(1)) $$(LDFLAGS_$$*) \
		-o $$@ $$(RUNTIME_OBJS_$(1)) $$<

-include $$(PROG_OBJS_$(1):.o=.d) $$(RUNTIME_OBJS_$(1):.o=.d)
endef

$(foreach f,$(FLAVOURS),$(eval $(call flavour_rules,$(f))))

clean:
	rm -rf $(OBJ_DIR) $(BINARIES)

.PHONY: all list clean
