# The Pebbles personality's programs (included by user/Makefile, after user/rules.mk).
#   build/user/pebbles/NAME    linked at PEBBLES_USER_START (16 MiB), entered at _start with
#                              _main's arguments, carrying the Pebbles personality note
# A Pebbles program sees only Pebbles headers: user/pebbles/include (stdio.h, stdlib.h,
# string.h, report.h, ...) and the generated build/gen/include/pebbles/syscall.h (15-410's
# names and prototypes, ureg_t). The runtime (crt0 and libpebbles.a) is in user/pebbles/lib;
# it shares user/lib's string, printf and fp code, compiled with the Pebbles headers.
#
# A program's disk name is its name cut to 14 bytes (xv6's DIRSIZ: yield_desc_mkrun is
# yield_desc_mkr on the disk). Lookups compare only 14 bytes too, as xv6's do, so
# exec("yield_desc_mkrun") and `osprey run yield_desc_mkrun` find it; two names alike in
# their first 14 bytes are refused here.
#
# Lists (each NAME.c is in the directory named):
#   PEBBLES_KERNEL_TESTS   user/pebbles/tests: the tests of the kernel interface
#   PEBBLES_LIBRARY_TESTS  user/pebbles/tests: the tests of the thread library
#   PEBBLES_SYSTEM         user/pebbles/system: init, the shell and helpers
#   PEBBLES_THREAD_LIB     the thread library's sources (.c or .S, any directory), archived
#                          into libthread.a, which every program links before libpebbles.a

PEBBLES_DIR := $(ROOT)/user/pebbles
PEBBLES_OUT := $(ROOT)/build/user/pebbles
PEBBLES_OBJ := $(ROOT)/build/obj/user/pebbles
PEBBLES_BASE := 0x1000000

PEBBLES_KERNEL_TESTS := pebbles_hello fork_test1 fork_wait fork_exit_bomb fork_wait_bomb fork_bomb \
    wait_getpid actual_wait exec_basic exec_basic_helper exec_nonexist loader_test1 loader_test2 \
    wild_test1 mem_permissions mem_eat_test stack_test1 new_pages remove_pages1 remove_pages2 \
    sleep_test1 getpid_test1 print_basic readline_basic halt_test yield_desc_mkrun \
    deschedule_hang make_crash cho cho2 cho_variant swexn_basic_test swexn_cookie_monster \
    swexn_dispatch swexn_regs swexn_stands_for_swextensible swexn_uninstall_test console_test \
    readline_intr \
    new_pages_race print_atomic
PEBBLES_LIBRARY_TESTS := startle thr_exit_join join_specific cyclone agility_drill juggle paraguay \
                         racer rwlock_test rw_downgrade mutex_destroy largetest multitest \
                         thr_guard pebfault thr_exit_race
PEBBLES_SYSTEM := pebbles_init shell
# bench/pebbles: guest benchmarks of the thread library (bench/README.md).
PEBBLES_BENCH := thr_bench
PEBBLES_THREAD_LIB := $(addprefix $(PEBBLES_DIR)/thread/,thread.c thr_glue.S mutex.c cond.c sem.c rwlock.c panic.c)

PEBBLES_PROGRAMS := $(PEBBLES_KERNEL_TESTS) $(PEBBLES_LIBRARY_TESTS) $(PEBBLES_SYSTEM) $(PEBBLES_BENCH)
pebbles_disk_name = $(shell printf '%.14s' '$(1)')
PEBBLES_DISK_NAMES := $(foreach p,$(PEBBLES_PROGRAMS),$(call pebbles_disk_name,$(p)))
ifneq ($(words $(PEBBLES_DISK_NAMES)),$(words $(sort $(PEBBLES_DISK_NAMES))))
$(error Pebbles programs whose first 14 bytes agree: $(PEBBLES_DISK_NAMES))
endif
PEBBLES_BINARIES := $(addprefix $(PEBBLES_OUT)/,$(PEBBLES_DISK_NAMES))

# CFLAGS without user/include: its thread.h is the xv6 runtime's, and a Pebbles program's
# <thread.h> is the thread library's (user/pebbles/include).
PEBBLES_CFLAGS = $(filter-out -I$(INCLUDE_DIR),$(CFLAGS))
PEBBLES_FLAGS := -DOSPREY_PEBBLES -I$(PEBBLES_DIR)/include -I$(GEN_DIR)/include/pebbles
# The shared runtime sources (user/lib) also need user/include's ulib.h, after the Pebbles
# directories, so "syscall.h" is still the Pebbles one.
PEBBLES_SHARED_FLAGS := $(PEBBLES_FLAGS) -I$(INCLUDE_DIR)
PEBBLES_RUNTIME := $(addprefix $(PEBBLES_DIR)/lib/,main.c exit.c write.c strings.c report.c malloc.c autostack.c) \
                   $(ROOT)/user/lib/xv6/signal.S \
                   $(GEN_DIR)/pebbles/usys.S
PEBBLES_SHARED := $(RUNTIME_COMMON)
PEBBLES_PREREQS := $(GEN_HEADERS)

$(eval $(call gen_rule,$(GEN_DIR)/pebbles/usys.S,c-stubs,pebbles))

pebbles_obj = $(PEBBLES_OBJ)/$(1)/$(basename $(notdir $(2))).o

# $(1) the object directory (lib, thread), $(2) a source, $(3) its flags.
define pebbles_compile
$(call pebbles_obj,$(1),$(2)): $(2) $(RULE_FILES) $(PEBBLES_PREREQS)
	@mkdir -p $$(@D)
	$(CC) $(PEBBLES_CFLAGS) $(CFLAGS_$(basename $(notdir $(2)))) $(3) $(DEPFLAGS) -c -o $$@ $$<
endef

PEBBLES_CRT0 := $(call pebbles_obj,lib,$(PEBBLES_DIR)/lib/crt0.S)
PEBBLES_LIB_OBJS := $(foreach s,$(PEBBLES_RUNTIME) $(PEBBLES_SHARED),$(call pebbles_obj,lib,$(s)))
PEBBLES_THREAD_OBJS := $(foreach s,$(PEBBLES_THREAD_LIB),$(call pebbles_obj,thread,$(s)))
PEBBLES_LIBC := $(PEBBLES_OBJ)/lib/libpebbles.a
PEBBLES_LIBTHREAD := $(PEBBLES_OBJ)/thread/libthread.a

$(eval $(call pebbles_compile,lib,$(PEBBLES_DIR)/lib/crt0.S,$(PEBBLES_FLAGS)))
$(foreach s,$(PEBBLES_RUNTIME),$(eval $(call pebbles_compile,lib,$(s),$(PEBBLES_FLAGS))))
$(foreach s,$(PEBBLES_SHARED),$(eval $(call pebbles_compile,lib,$(s),$(PEBBLES_SHARED_FLAGS))))
$(foreach s,$(PEBBLES_THREAD_LIB),$(eval $(call pebbles_compile,thread,$(s),$(PEBBLES_FLAGS))))

$(PEBBLES_LIBC): $(PEBBLES_LIB_OBJS)
	rm -f $@
	$(AR) rcs $@ $^

$(PEBBLES_LIBTHREAD): $(PEBBLES_THREAD_OBJS)
	@mkdir -p $(@D)
	rm -f $@
	$(AR) rcs $@ $^

# $(1) the source directory, $(2) the programs in it.
define pebbles_programs
$(addprefix $(PEBBLES_OBJ)/prog/,$(addsuffix .o,$(2))): $(PEBBLES_OBJ)/prog/%.o: $(1)/%.c $(RULE_FILES) $(PEBBLES_PREREQS)
	@mkdir -p $$(@D)
	$(CC) $(PEBBLES_CFLAGS) $(PEBBLES_FLAGS) $(DEPFLAGS) -c -o $$@ $$<
endef
$(eval $(call pebbles_programs,$(PEBBLES_DIR)/tests,$(PEBBLES_KERNEL_TESTS) $(PEBBLES_LIBRARY_TESTS)))
$(eval $(call pebbles_programs,$(PEBBLES_DIR)/system,$(PEBBLES_SYSTEM)))
$(eval $(call pebbles_programs,$(ROOT)/bench/pebbles,$(PEBBLES_BENCH)))

# crt0 first, so _start is the lowest address; the thread library before the C library it uses.
# $(1) is the program.
define pebbles_link
$(PEBBLES_OUT)/$(call pebbles_disk_name,$(1)): $(PEBBLES_OBJ)/prog/$(1).o $(PEBBLES_CRT0) $(PEBBLES_LIBTHREAD) $(PEBBLES_LIBC) $(LDSCRIPT)
	@mkdir -p $$(@D)
	$(CC) $(CFLAGS) -T $(LDSCRIPT) -Wl,--defsym=OSPREY_BASE=$(PEBBLES_BASE) $(LDFLAGS_$(1)) \
		-o $$@ $(PEBBLES_CRT0) $$< $(PEBBLES_LIBTHREAD) $(PEBBLES_LIBC) -lgcc
endef
$(foreach p,$(PEBBLES_PROGRAMS),$(eval $(call pebbles_link,$(p))))

all: $(PEBBLES_BINARIES)

-include $(PEBBLES_CRT0:.o=.d) $(PEBBLES_LIB_OBJS:.o=.d) $(PEBBLES_THREAD_OBJS:.o=.d) \
         $(addprefix $(PEBBLES_OBJ)/prog/,$(addsuffix .d,$(PEBBLES_PROGRAMS)))
