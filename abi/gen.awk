#!/usr/bin/awk -f
# Generates the code that abi/syscalls.tbl and abi/constants.tbl describe.
#   awk -v what=WHAT [-v personality=P] -f abi/gen.awk abi/syscalls.tbl abi/constants.tbl > OUT
# WHAT is one of:
#   c-syscall   C header: SYS_name numbers and prototypes of the calls personality P (default
#               xv6) declares (build/gen/include/syscall.h for xv6); safe to include from
#               assembly, which sees only the numbers
#   c-stubs     RISC-V assembly: one ecall stub per call of personality P (build/gen/usys.S
#               for xv6); a call whose prototype says noreturn faults after its ecall rather
#               than return; a linux-family call's stub turns -errno into -1 and errno
#   c-abi       C header: the shared constants (build/gen/include/abi.h)
#   c-table     C header: every call of every personality with what its prototype says about
#               its arguments (build/gen/include/systable.h, for sysfuzz)
#   cs          C#: numbers, names, the dispatch switch and the constants, for the kernel, and
#               each call's signature for strace and traces (Insight/SyscallSignature.cs):
#               the kind of every argument read from its C prototype, by type and name:
#                 const char *        a string            char **, char *x[]  an argv list
#                 const void *p, n    n bytes from p      void *p        bytes the call fills (as many as it returns)
#                 int *fds            two ints filled     int *status..  one int filled
#                 any other pointer   an address          flags          open's O_ flags
#                 unsigned ...        unsigned            anything else  a signed int
# user/rules.mk runs the C outputs; the kernel's project (Osprey.Kernel.csproj) runs cs.
# Lines starting with # and blank lines are comments.

function pascal(name,    parts, n, i, out) {
    n = split(name, parts, "_")
    out = ""
    for (i = 1; i <= n; i++)
        out = out toupper(substr(parts[i], 1, 1)) substr(parts[i], 2)
    return out
}

/^[ \t]*(#|$)/ { next }

# swexn's types, from the UREG_ constants (byte offsets, 8 bytes a field): the named fields
# (UREG_CAUSE is cause), x1..x31 from UREG_X1 and f0..f31 from UREG_F0, checked to tile the
# UREG_BYTES exactly so the struct cannot drift from the kernel's layout (Trap/Upcall.cs).
function ureg(    i, field, at, offset, count, bytes, names, j, k, line) {
    for (i = 1; i <= consts; i++) {
        if (cname[i] !~ /^UREG_/ || cname[i] ~ /^UREG_STATUS_/)
            continue
        if (cname[i] == "UREG_BYTES") {
            bytes = cvalue[i] + 0
            continue
        }
        field = tolower(substr(cname[i], 6))
        at[cvalue[i] + 0] = field
    }
    print "/* What a swexn handler is given and swexn's newureg holds (abi/constants.tbl UREG_*). */"
    print "typedef struct ureg_t {"
    for (offset = 0; offset < bytes; ) {
        if (!(offset in at)) {
            printf "gen.awk: no UREG_ field at byte %d\n", offset > "/dev/stderr"
            exit 2
        }
        field = at[offset]
        if (field == "x1" || field == "f0") {
            k = field == "x1" ? 1 : 0
            count = field == "x1" ? 31 : 32
            line = ""
            for (j = 0; j < count; j++) {
                line = line (j % 16 == 0 ? (j > 0 ? ";\n    unsigned long " : "    unsigned long ") : ", ") substr(field, 1, 1) (k + j)
            }
            print line ";"
            offset += 8 * count
        } else {
            printf "    unsigned long %s;\n", field
            offset += 8
        }
    }
    print "} ureg_t;"
    print "_Static_assert(sizeof(ureg_t) == UREG_BYTES, \"ureg_t must match the kernel's layout\");"
    print "typedef void (*swexn_handler_t)(void *arg, ureg_t *ureg);"
    print ""
}

# Splits the parameter list of a C prototype into ptype[k] and pname[k] (k from 1) and
# returns how many there are: none for "(void)" or "()". An array parameter ("char
# *argvec[]") is the pointer C makes of it ("char **" named argvec). The one parser behind
# both readers of the prototypes: sysfuzz's masks (describe) and strace's kinds (argkinds).
function parameters(proto, ptype, pname,    inner, parts, n, k, p, count, array) {
    inner = proto
    sub(/^[^(]*\(/, "", inner)
    sub(/\).*$/, "", inner)
    if (inner ~ /^[ \t]*(void)?[ \t]*$/)
        return 0
    n = split(inner, parts, ",")
    count = 0
    for (k = 1; k <= n; k++) {
        p = parts[k]
        gsub(/^[ \t]+|[ \t]+$/, "", p)
        if (p == "")
            continue
        count++
        array = sub(/[ \t]*\[[^]]*\]$/, "", p)
        pname[count] = p
        sub(/^.*[^A-Za-z0-9_]/, "", pname[count])
        ptype[count] = substr(p, 1, length(p) - length(pname[count]))
        sub(/[ \t]+$/, "", ptype[count])
        if (array)
            ptype[count] = ptype[count] " *"
    }
    return count
}

# Describes the parameters of a C prototype as bit masks (bit k is parameter k): sets
# pargs, ppointers, preadonly (const pointers), plengths (integers named n, len, length,
# size or count), ppids (named pid or tid) and pfds (named fd or ending in fd). A pointer
# named addr, esp3 or arg is an address the kernel maps or keeps (new_pages, swexn), not
# memory it touches, so it is not counted as a pointer.
function describe(proto,    types, names, k, bit) {
    pargs = parameters(proto, types, names)
    ppointers = 0; preadonly = 0; plengths = 0; ppids = 0; pfds = 0
    for (k = 1; k <= pargs; k++) {
        bit = 2 ^ (k - 1)
        if (types[k] ~ /\*/ && names[k] !~ /^(addr|esp3|arg)$/) {
            ppointers += bit
            if (types[k] ~ /^const[ \t]/)
                preadonly += bit
        } else if (names[k] ~ /^(n|len|length|size|count)$/) {
            plengths += bit
        }
        if (names[k] ~ /^(pid|tid)$/)
            ppids += bit
        if (names[k] ~ /fd$/)
            pfds += bit
    }
}

# Whether call i is declared by personality p (its families list names p).
function declares(i, p) {
    return ("," families[i] ",") ~ ("," p ",")
}

# The kernel's name for call i: PascalCase, with the family's name in front when an xv6 call
# has the same name (Pebbles' sleep is PebblesSleep beside xv6's Sleep).
function method(i) {
    if (family[i] != "xv6" && (name[i] in xv6name))
        return pascal(family[i]) pascal(name[i])
    return pascal(name[i])
}

FILENAME ~ /syscalls\.tbl$/ {
    number[++calls] = $1; families[calls] = $2; name[calls] = $3
    family[calls] = $2
    sub(/,.*/, "", family[calls])
    if (family[calls] == "xv6")
        xv6name[$3] = 1
    proto = $0
    sub(/^[ \t]*[^ \t]+[ \t]+[^ \t]+[ \t]+[^ \t]+[ \t]+/, "", proto)
    prototype[calls] = proto
    next
}

# The argument kinds of a prototype (see the header): a C# list of ArgKind members.
function argkinds(proto,    types, names, n, i, t, k, kinds) {
    n = parameters(proto, types, names)
    kinds = ""
    for (i = 1; i <= n; i++) {
        t = types[i]
        if (t ~ /char[ \t]*\*[ \t]*\*/) k = "Argv"
        else if (t ~ /const[ \t]+char[ \t]*\*/) k = "String"
        else if (t ~ /const[ \t]+void[ \t]*\*/) k = "InBuffer"
        else if (t ~ /void[ \t]*\*/) k = "OutBuffer"
        else if (t ~ /int[ \t]*\*/ && names[i] == "fds") k = "IntPairOut"
        else if (t ~ /int[ \t]*\*/ && names[i] ~ /^status/) k = "IntOut"
        else if (t ~ /\*/) k = "Pointer"
        else if (names[i] == "flags") k = "OpenFlags"
        else if (t ~ /unsigned/) k = "Unsigned"
        else k = "Int"
        kinds = kinds (i > 1 ? ", " : "") "Insight.ArgKind." k
    }
    return kinds
}

# What a prototype's result is: Pointer, Unsigned, Int, or None for a call that never returns.
function resultkind(proto,    ret) {
    if (proto ~ /noreturn/)
        return "None"
    ret = proto
    sub(/[A-Za-z_0-9]+[ \t]*\(.*$/, "", ret)
    if (ret ~ /\*/) return "Pointer"
    if (ret ~ /unsigned/) return "Unsigned"
    return "Int"
}

FILENAME ~ /constants\.tbl$/ {
    cname[++consts] = $1; cvalue[consts] = $2
    text = $0
    sub(/^[ \t]*[^ \t]+[ \t]+[^ \t]+[ \t]*/, "", text)
    cmeaning[consts] = text
    next
}

END {
    if (personality == "")
        personality = "xv6"
    for (i = 1; i <= calls; i++) {
        if (number[i] in seenNumber) {
            printf "gen.awk: number %s is in the table twice\n", number[i] > "/dev/stderr"
            exit 2
        }
        seenNumber[number[i]] = 1
        if (!declares(i, personality))
            continue
        if (name[i] in declared) {
            printf "gen.awk: personality %s declares %s twice\n", personality, name[i] > "/dev/stderr"
            exit 2
        }
        declared[name[i]] = 1
    }
    banner = "Generated from abi/syscalls.tbl and abi/constants.tbl by abi/gen.awk; do not edit."
    if (what == "c-syscall") {
        print "/* " banner " */"
        print "#ifndef OSPREY_GEN_SYSCALL_H"
        print "#define OSPREY_GEN_SYSCALL_H"
        print ""
        for (i = 1; i <= calls; i++) if (declares(i, personality)) printf "#define SYS_%s %s\n", name[i], number[i]
        print ""
        # The Pebbles personality's programs see the shared constants (their error codes,
        # colors, PAGE_SIZE) through this one header, as 15-410's syscall.h gives them.
        if (personality == "pebbles") {
            print "#include \"../abi.h\""
            print "#define PAGE_SIZE PEBBLES_PAGE_SIZE"
            print ""
        }
        # Assembly (usys.S) includes this header for the numbers; C declarations would not assemble.
        print "#ifndef __ASSEMBLER__"
        if ("swexn" in declared)
            ureg()
        # Forward declarations of the structs the prototypes point at (struct stat, ...).
        for (i = 1; i <= calls; i++) {
            if (!declares(i, personality))
                continue
            rest = prototype[i]
            while (match(rest, /struct [A-Za-z_][A-Za-z_0-9]*/)) {
                tag = substr(rest, RSTART, RLENGTH)
                rest = substr(rest, RSTART + RLENGTH)
                if (!(tag in forward)) {
                    forward[tag] = 1
                    print tag ";"
                }
            }
        }
        for (i = 1; i <= calls; i++) if (declares(i, personality)) print prototype[i]
        print "#endif"
        print ""
        print "#endif"
    } else if (what == "c-stubs") {
        print "# " banner
        print "# Each stub finds its arguments already in a0..a5 (the C calling convention puts"
        print "# them there), loads its number into a7 and traps; the result comes back in a0."
        print "#include \"syscall.h\""
        print ""
        print "    .text"
        for (i = 1; i <= calls; i++) {
            if (!declares(i, personality))
                continue
            printf "\n    .globl %s\n    .type %s, @function\n%s:\n", name[i], name[i], name[i]
            printf "    li a7, SYS_%s\n    ecall\n", name[i]
            # A call that must not return (exit, halt) faults on an illegal instruction if a
            # broken kernel (or the wrong --abi under osprey emulate) lets it, rather than
            # run on or spin.
            if (prototype[i] ~ /noreturn/)
                print "    unimp"
            else if (family[i] == "linux") {
                # The Linux convention: a result in -4095..-1 is -errno. Store errno and
                # return -1, as libc's wrappers do; anything else is the result.
                print "    li t0, -4096"
                print "    bleu a0, t0, 1f"
                print "    neg a0, a0"
                print "    lla t0, errno"
                print "    sw a0, 0(t0)"
                print "    li a0, -1"
                print "1:  ret"
            } else
                print "    ret"
            printf "    .size %s, . - %s\n", name[i], name[i]
        }
    } else if (what == "c-abi") {
        print "/* " banner " */"
        print "#ifndef OSPREY_GEN_ABI_H"
        print "#define OSPREY_GEN_ABI_H"
        print ""
        for (i = 1; i <= consts; i++) printf "#define %-12s %-8s /* %s */\n", cname[i], cvalue[i], cmeaning[i]
        print ""
        print "#endif"
    } else if (what == "c-table") {
        print "/* " banner " */"
        print "#ifndef OSPREY_GEN_SYSTABLE_H"
        print "#define OSPREY_GEN_SYSTABLE_H"
        print ""
        print "/* Every call in abi/syscalls.tbl, whatever personalities declare it, and what its C"
        print " * prototype says about its arguments: bit k of a mask is argument k. For programs that"
        print " * must know every call (sysfuzz), so that a call added to the table reaches them. */"
        print "struct syscall_desc {"
        print "    long number;"
        print "    const char *name;"
        print "    const char *family;  /* the owner, whose error convention it has: xv6, pebbles, linux or osprey */"
        print "    int args;"
        print "    unsigned pointers;   /* pointer parameters */"
        print "    unsigned readonly;   /* of those, the const ones: the kernel only reads through them */"
        print "    unsigned lengths;    /* integer parameters named n, len, length, size or count */"
        print "    unsigned pids;       /* parameters named pid or tid */"
        print "    unsigned fds;        /* parameters named fd or ending in fd */"
        print "    int noreturn;        /* does not return when it succeeds */"
        print "};"
        print ""
        print "static const struct syscall_desc syscall_table[] = {"
        for (i = 1; i <= calls; i++) {
            describe(prototype[i])
            printf "    {%s, \"%s\", \"%s\", %d, 0x%x, 0x%x, 0x%x, 0x%x, 0x%x, %d},\n", number[i], name[i], family[i], \
                pargs, ppointers, preadonly, plengths, ppids, pfds, prototype[i] ~ /noreturn/ ? 1 : 0
        }
        print "};"
        print ""
        print "#define SYSCALL_COUNT ((int)(sizeof syscall_table / sizeof syscall_table[0]))"
        print ""
        print "#endif"
    } else if (what == "cs") {
        print "// <auto-generated>" banner "</auto-generated>"
        print "#nullable enable"
        print "namespace Osprey.Kernel.Syscalls;"
        print ""
        print "/// <summary>System-call numbers, from abi/syscalls.tbl.</summary>"
        print "public static class SyscallNumber"
        print "{"
        for (i = 1; i <= calls; i++) printf "    public const int %s = %s;\n", method(i), number[i]
        print ""
        print "    /// <summary>The call's name, or null for a number not in the table.</summary>"
        print "    public static string? NameOf(long number) => number switch"
        print "    {"
        for (i = 1; i <= calls; i++) printf "        %s => \"%s\",\n", number[i], name[i]
        print "        _ => null,"
        print "    };"
        print "}"
        print ""
        print "public sealed partial class SystemCalls"
        print "{"
        print "    /// <summary>Runs call <paramref name=\"number\"/>; a number not in the table returns -1.</summary>"
        print "    public long Dispatch(long number) => number switch"
        print "    {"
        for (i = 1; i <= calls; i++) printf "        %s => %s(),\n", number[i], method(i)
        print "        _ => -1,"
        print "    };"
        print "}"
        print ""
        print "/// <summary>Constants shared with user programs, from abi/constants.tbl.</summary>"
        print "public static class AbiConstants"
        print "{"
        for (i = 1; i <= consts; i++) {
            printf "    /// <summary>%s</summary>\n    public const int %s = %s;\n", cmeaning[i], cname[i], cvalue[i]
        }
        print "}"
        print ""
        print "/// <summary>Every call's signature (name, family, argument and result kinds), and the constants by name, for strace and traces.</summary>"
        print "public static class SyscallSignatures"
        print "{"
        print "    public static readonly Insight.SyscallSignature[] All ="
        print "    ["
        for (i = 1; i <= calls; i++)
            printf "        new(%s, \"%s\", \"%s\", Insight.ResultKind.%s, [%s]),\n", number[i], name[i], family[i], resultkind(prototype[i]), argkinds(prototype[i])
        print "    ];"
        print ""
        print "    public static readonly (string Name, int Value, string Meaning)[] Constants ="
        print "    ["
        for (i = 1; i <= consts; i++) {
            meaning = cmeaning[i]
            gsub(/\\/, "\\\\", meaning)
            gsub(/"/, "\\\"", meaning)
            printf "        (\"%s\", %s, \"%s\"),\n", cname[i], cvalue[i], meaning
        }
        print "    ];"
        print "}"
    } else {
        print "gen.awk: what must be c-syscall, c-stubs, c-abi, c-table or cs" > "/dev/stderr"
        exit 2
    }
}
