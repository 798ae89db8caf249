# Every RV64GC (IMAFDC + Zicsr + Zifencei) instruction, for DisassemblerObjdumpTests: the test
# assembles this with riscv64-unknown-elf-as -march=rv64gc -mpriv-spec=1.12
# and checks that Disassembler prints each instruction exactly as objdump -d -M no-aliases does.
# Registers and immediates vary, with the extreme values of every immediate field.

    .text
    # Keep every field resolved by the assembler instead of left to relocations, and keep
    # 32-bit instructions from being compressed behind our back.
    .option norelax
    .option norvc

start:
    # ---- RV64I: upper immediates and jumps ----
    lui     a0, 0
    lui     ra, 1
    lui     t6, 0x7ffff
    lui     s11, 0x80000
    lui     zero, 0xfffff
    auipc   a0, 0
    auipc   sp, 0x12345
    auipc   t0, 0x80000
    auipc   gp, 0xfffff
    jal     ra, start
    jal     zero, forward
    jal     t0, .
    jal     s1, . + 0xffffe
    jal     s2, . - 0x100000
    jalr    ra, 0(a0)
    jalr    zero, 0(ra)
    jalr    t1, -2048(s3)
    jalr    a7, 2047(t6)
    jalr    zero, -1(zero)
forward:

    # ---- branches, forward, backward and at the ends of their range ----
    beq     a0, a1, forward
    bne     zero, t6, start
    blt     s0, s1, . + 4094
    bge     ra, sp, . - 4096
    bltu    gp, tp, .
    bgeu    t2, a6, later
    beq     zero, zero, . + 2
    bne     a5, a4, . - 2
later:

    # ---- loads and stores ----
    lb      a0, 0(a1)
    lh      t0, -2048(sp)
    lw      s1, 2047(s0)
    ld      ra, 8(sp)
    lbu     zero, -1(t6)
    lhu     a7, 100(gp)
    lwu     s11, -100(tp)
    sb      a0, 0(a1)
    sh      t0, -2048(sp)
    sw      s1, 2047(s0)
    sd      ra, 8(sp)
    sd      zero, -1(t6)

    # ---- register-immediate arithmetic ----
    addi    a0, a0, 1
    addi    zero, zero, 0
    addi    sp, sp, -2048
    addi    t6, s11, 2047
    slti    a1, a2, -1
    sltiu   a3, a4, 2047
    xori    a5, a6, -2048
    ori     s2, s3, 0x555
    andi    s4, s5, -16
    slli    a0, a1, 0
    slli    t0, t1, 1
    slli    s0, s1, 31
    slli    s2, s3, 32
    slli    t6, zero, 63
    srli    a0, a1, 0
    srli    ra, sp, 17
    srli    t3, t4, 63
    srai    a0, a1, 0
    srai    gp, tp, 45
    srai    t5, t6, 63

    # ---- register-register arithmetic ----
    add     a0, a0, a1
    sub     t0, t1, t2
    sll     s0, s1, a0
    slt     zero, ra, sp
    sltu    gp, tp, t0
    xor     a2, a3, a4
    srl     a5, a6, a7
    sra     s2, s3, s4
    or      s5, s6, s7
    and     s8, s9, s10

    # ---- RV64 word operations ----
    addiw   a0, a1, 0
    addiw   t0, t1, -2048
    addiw   s11, zero, 2047
    slliw   a0, a1, 0
    slliw   t2, s0, 31
    srliw   a2, a3, 1
    srliw   a4, a5, 31
    sraiw   a6, a7, 0
    sraiw   s2, s3, 31
    addw    a0, a1, a2
    subw    t3, t4, t5
    sllw    ra, sp, gp
    srlw    s4, s5, s6
    sraw    zero, t6, s11

    # ---- fences ----
    fence
    fence   iorw, iorw
    fence   r, r
    fence   w, w
    fence   rw, rw
    fence   i, o
    fence   io, rw
    fence   ir, ow
    fence   or, iw
    fence.tso
    fence.i
    .insn i 0x0f, 0, x0, x0, 0x010       # pause (Zihintpause): fence w,0

    # ---- system ----
    ecall
    ebreak
    mret
    sret
    uret
    dret
    wfi
    sfence.vma
    sfence.vma a0
    sfence.vma a0, a1
    sfence.vma zero, t6
    unimp                                # csrrw zero,cycle,zero

    # ---- Zicsr ----
    csrrw   a0, cycle, a1
    csrrs   t0, time, zero
    csrrc   zero, instret, s0
    csrrwi  ra, mstatus, 0
    csrrsi  sp, sstatus, 31
    csrrci  t6, satp, 17
    csrrw   a0, mepc, a0
    csrrs   a1, mhartid, zero
    csrrc   a2, fflags, a3
    csrrwi  a4, frm, 5
    csrrsi  a5, fcsr, 1
    csrrs   a6, mcause, zero
    csrrw   a7, sscratch, t0
    csrrs   s0, stvec, zero
    csrrs   s1, pmpaddr63, zero
    csrrs   s2, menvcfg, zero
    csrrs   s3, 0x7ff, zero
    csrrw   s4, 0x800, s5
    csrrc   s6, 0xfff, s7
    csrrwi  s8, 0, 0
    csrr    t0, cycle
    csrw    mscratch, t1
    csrs    mie, t2
    csrc    mip, t3
    csrwi   sie, 3
    csrsi   sip, 2
    csrci   sstatus, 1
    rdtime  a0
    rdcycle a1
    rdinstret a2

    # ---- M ----
    mul     a0, a1, a2
    mulh    t0, t1, t2
    mulhsu  s0, s1, zero
    mulhu   ra, sp, gp
    div     tp, t3, t4
    divu    t5, t6, a3
    rem     a4, a5, a6
    remu    a7, s2, s3
    mulw    s4, s5, s6
    divw    s7, s8, s9
    divuw   s10, s11, a0
    remw    zero, ra, sp
    remuw   a0, a0, a0

    # ---- A, with every aq/rl combination ----
	lr.w	a0, (a2)
	sc.w	a0, a1, (a2)
	lr.w.aq	t0, (sp)
	sc.w.aq	t0, s11, (sp)
	lr.w.rl	zero, (ra)
	sc.w.rl	zero, t6, (ra)
	lr.w.aqrl	s0, (gp)
	sc.w.aqrl	s0, a5, (gp)
	lr.d	a0, (a2)
	sc.d	a0, a1, (a2)
	lr.d.aq	t0, (sp)
	sc.d.aq	t0, s11, (sp)
	lr.d.rl	zero, (ra)
	sc.d.rl	zero, t6, (ra)
	lr.d.aqrl	s0, (gp)
	sc.d.aqrl	s0, a5, (gp)
	amoswap.w	a0, a1, (a2)
	amoswap.w.aq	t0, s11, (sp)
	amoswap.w.rl	zero, t6, (ra)
	amoswap.w.aqrl	s0, a5, (gp)
	amoswap.d	a0, a1, (a2)
	amoswap.d.aq	t0, s11, (sp)
	amoswap.d.rl	zero, t6, (ra)
	amoswap.d.aqrl	s0, a5, (gp)
	amoadd.w	a0, a1, (a2)
	amoadd.w.aq	t0, s11, (sp)
	amoadd.w.rl	zero, t6, (ra)
	amoadd.w.aqrl	s0, a5, (gp)
	amoadd.d	a0, a1, (a2)
	amoadd.d.aq	t0, s11, (sp)
	amoadd.d.rl	zero, t6, (ra)
	amoadd.d.aqrl	s0, a5, (gp)
	amoxor.w	a0, a1, (a2)
	amoxor.w.aq	t0, s11, (sp)
	amoxor.w.rl	zero, t6, (ra)
	amoxor.w.aqrl	s0, a5, (gp)
	amoxor.d	a0, a1, (a2)
	amoxor.d.aq	t0, s11, (sp)
	amoxor.d.rl	zero, t6, (ra)
	amoxor.d.aqrl	s0, a5, (gp)
	amoand.w	a0, a1, (a2)
	amoand.w.aq	t0, s11, (sp)
	amoand.w.rl	zero, t6, (ra)
	amoand.w.aqrl	s0, a5, (gp)
	amoand.d	a0, a1, (a2)
	amoand.d.aq	t0, s11, (sp)
	amoand.d.rl	zero, t6, (ra)
	amoand.d.aqrl	s0, a5, (gp)
	amoor.w	a0, a1, (a2)
	amoor.w.aq	t0, s11, (sp)
	amoor.w.rl	zero, t6, (ra)
	amoor.w.aqrl	s0, a5, (gp)
	amoor.d	a0, a1, (a2)
	amoor.d.aq	t0, s11, (sp)
	amoor.d.rl	zero, t6, (ra)
	amoor.d.aqrl	s0, a5, (gp)
	amomin.w	a0, a1, (a2)
	amomin.w.aq	t0, s11, (sp)
	amomin.w.rl	zero, t6, (ra)
	amomin.w.aqrl	s0, a5, (gp)
	amomin.d	a0, a1, (a2)
	amomin.d.aq	t0, s11, (sp)
	amomin.d.rl	zero, t6, (ra)
	amomin.d.aqrl	s0, a5, (gp)
	amomax.w	a0, a1, (a2)
	amomax.w.aq	t0, s11, (sp)
	amomax.w.rl	zero, t6, (ra)
	amomax.w.aqrl	s0, a5, (gp)
	amomax.d	a0, a1, (a2)
	amomax.d.aq	t0, s11, (sp)
	amomax.d.rl	zero, t6, (ra)
	amomax.d.aqrl	s0, a5, (gp)
	amominu.w	a0, a1, (a2)
	amominu.w.aq	t0, s11, (sp)
	amominu.w.rl	zero, t6, (ra)
	amominu.w.aqrl	s0, a5, (gp)
	amominu.d	a0, a1, (a2)
	amominu.d.aq	t0, s11, (sp)
	amominu.d.rl	zero, t6, (ra)
	amominu.d.aqrl	s0, a5, (gp)
	amomaxu.w	a0, a1, (a2)
	amomaxu.w.aq	t0, s11, (sp)
	amomaxu.w.rl	zero, t6, (ra)
	amomaxu.w.aqrl	s0, a5, (gp)
	amomaxu.d	a0, a1, (a2)
	amomaxu.d.aq	t0, s11, (sp)
	amomaxu.d.rl	zero, t6, (ra)
	amomaxu.d.aqrl	s0, a5, (gp)

    # ---- F and D: every instruction, every rounding-mode spelling ----
    flw     ft0, -2048(a0)
    flw     ft11, 2047(sp)
    fld     fa0, 0(zero)
    fld     fs11, -1(t6)
    fsw     fs0, -2048(s0)
    fsw     ft1, 2047(a7)
    fsd     fa7, 8(sp)
    fsd     ft10, -16(ra)
    fadd.s ft7, fs0, fs1
    fadd.s fa0, fa7, fs2, rne
    fadd.s fs11, ft8, ft11, rtz
    fadd.s ft0, ft7, fs0, rdn
    fadd.s fs1, fa0, fa7, rup
    fadd.s fs2, fs11, ft8, rmm
    fadd.s ft11, ft0, ft7, dyn
    fsub.s fs0, fs1, fa0
    fsub.s fa7, fs2, fs11, rne
    fsub.s ft8, ft11, ft0, rtz
    fsub.s ft7, fs0, fs1, rdn
    fsub.s fa0, fa7, fs2, rup
    fsub.s fs11, ft8, ft11, rmm
    fsub.s ft0, ft7, fs0, dyn
    fmul.s fs1, fa0, fa7
    fmul.s fs2, fs11, ft8, rne
    fmul.s ft11, ft0, ft7, rtz
    fmul.s fs0, fs1, fa0, rdn
    fmul.s fa7, fs2, fs11, rup
    fmul.s ft8, ft11, ft0, rmm
    fmul.s ft7, fs0, fs1, dyn
    fdiv.s fa0, fa7, fs2
    fdiv.s fs11, ft8, ft11, rne
    fdiv.s ft0, ft7, fs0, rtz
    fdiv.s fs1, fa0, fa7, rdn
    fdiv.s fs2, fs11, ft8, rup
    fdiv.s ft11, ft0, ft7, rmm
    fdiv.s fs0, fs1, fa0, dyn
    fsqrt.s fa7, fs2
    fsqrt.s fs11, ft8, rne
    fsqrt.s ft11, ft0, rtz
    fsqrt.s ft7, fs0, rdn
    fsqrt.s fs1, fa0, rup
    fsqrt.s fa7, fs2, rmm
    fsqrt.s fs11, ft8, dyn
    fmadd.s ft11, ft0, ft7, fs0
    fmadd.s fs1, fa0, fa7, fs2, rne
    fmadd.s fs11, ft8, ft11, ft0, rtz
    fmadd.s ft7, fs0, fs1, fa0, rdn
    fmadd.s fa7, fs2, fs11, ft8, rup
    fmadd.s ft11, ft0, ft7, fs0, rmm
    fmadd.s fs1, fa0, fa7, fs2, dyn
    fmsub.s fs11, ft8, ft11, ft0
    fmsub.s ft7, fs0, fs1, fa0, rne
    fmsub.s fa7, fs2, fs11, ft8, rtz
    fmsub.s ft11, ft0, ft7, fs0, rdn
    fmsub.s fs1, fa0, fa7, fs2, rup
    fmsub.s fs11, ft8, ft11, ft0, rmm
    fmsub.s ft7, fs0, fs1, fa0, dyn
    fnmsub.s fa7, fs2, fs11, ft8
    fnmsub.s ft11, ft0, ft7, fs0, rne
    fnmsub.s fs1, fa0, fa7, fs2, rtz
    fnmsub.s fs11, ft8, ft11, ft0, rdn
    fnmsub.s ft7, fs0, fs1, fa0, rup
    fnmsub.s fa7, fs2, fs11, ft8, rmm
    fnmsub.s ft11, ft0, ft7, fs0, dyn
    fnmadd.s fs1, fa0, fa7, fs2
    fnmadd.s fs11, ft8, ft11, ft0, rne
    fnmadd.s ft7, fs0, fs1, fa0, rtz
    fnmadd.s fa7, fs2, fs11, ft8, rdn
    fnmadd.s ft11, ft0, ft7, fs0, rup
    fnmadd.s fs1, fa0, fa7, fs2, rmm
    fnmadd.s fs11, ft8, ft11, ft0, dyn
    fsgnj.s ft7, fs0, fs1
    fsgnjn.s fa0, fa7, fs2
    fsgnjx.s fs11, ft8, ft11
    fmin.s ft0, ft7, fs0
    fmax.s fs1, fa0, fa7
    feq.s a0, fs2, fs11
    flt.s a0, ft8, ft11
    fle.s a0, ft0, ft7
    fclass.s t6, fs0
    fcvt.w.s a1, fs1
    fcvt.w.s a1, fa0, rne
    fcvt.w.s a1, fa7, rtz
    fcvt.w.s a1, fs2, rdn
    fcvt.w.s a1, fs11, rup
    fcvt.w.s a1, ft8, rmm
    fcvt.w.s a1, ft11, dyn
    fcvt.s.w ft0, s1
    fcvt.s.w ft7, s1, rne
    fcvt.s.w fs0, s1, rtz
    fcvt.s.w fs1, s1, rdn
    fcvt.s.w fa0, s1, rup
    fcvt.s.w fa7, s1, rmm
    fcvt.s.w fs2, s1, dyn
    fcvt.wu.s a1, fs11
    fcvt.wu.s a1, ft8, rne
    fcvt.wu.s a1, ft11, rtz
    fcvt.wu.s a1, ft0, rdn
    fcvt.wu.s a1, ft7, rup
    fcvt.wu.s a1, fs0, rmm
    fcvt.wu.s a1, fs1, dyn
    fcvt.s.wu fa0, s1
    fcvt.s.wu fa7, s1, rne
    fcvt.s.wu fs2, s1, rtz
    fcvt.s.wu fs11, s1, rdn
    fcvt.s.wu ft8, s1, rup
    fcvt.s.wu ft11, s1, rmm
    fcvt.s.wu ft0, s1, dyn
    fcvt.l.s a1, ft7
    fcvt.l.s a1, fs0, rne
    fcvt.l.s a1, fs1, rtz
    fcvt.l.s a1, fa0, rdn
    fcvt.l.s a1, fa7, rup
    fcvt.l.s a1, fs2, rmm
    fcvt.l.s a1, fs11, dyn
    fcvt.s.l ft8, s1
    fcvt.s.l ft11, s1, rne
    fcvt.s.l ft0, s1, rtz
    fcvt.s.l ft7, s1, rdn
    fcvt.s.l fs0, s1, rup
    fcvt.s.l fs1, s1, rmm
    fcvt.s.l fa0, s1, dyn
    fcvt.lu.s a1, fa7
    fcvt.lu.s a1, fs2, rne
    fcvt.lu.s a1, fs11, rtz
    fcvt.lu.s a1, ft8, rdn
    fcvt.lu.s a1, ft11, rup
    fcvt.lu.s a1, ft0, rmm
    fcvt.lu.s a1, ft7, dyn
    fcvt.s.lu fs0, s1
    fcvt.s.lu fs1, s1, rne
    fcvt.s.lu fa0, s1, rtz
    fcvt.s.lu fa7, s1, rdn
    fcvt.s.lu fs2, s1, rup
    fcvt.s.lu fs11, s1, rmm
    fcvt.s.lu ft8, s1, dyn
    fadd.d ft11, ft0, ft7
    fadd.d fs0, fs1, fa0, rne
    fadd.d fa7, fs2, fs11, rtz
    fadd.d ft8, ft11, ft0, rdn
    fadd.d ft7, fs0, fs1, rup
    fadd.d fa0, fa7, fs2, rmm
    fadd.d fs11, ft8, ft11, dyn
    fsub.d ft0, ft7, fs0
    fsub.d fs1, fa0, fa7, rne
    fsub.d fs2, fs11, ft8, rtz
    fsub.d ft11, ft0, ft7, rdn
    fsub.d fs0, fs1, fa0, rup
    fsub.d fa7, fs2, fs11, rmm
    fsub.d ft8, ft11, ft0, dyn
    fmul.d ft7, fs0, fs1
    fmul.d fa0, fa7, fs2, rne
    fmul.d fs11, ft8, ft11, rtz
    fmul.d ft0, ft7, fs0, rdn
    fmul.d fs1, fa0, fa7, rup
    fmul.d fs2, fs11, ft8, rmm
    fmul.d ft11, ft0, ft7, dyn
    fdiv.d fs0, fs1, fa0
    fdiv.d fa7, fs2, fs11, rne
    fdiv.d ft8, ft11, ft0, rtz
    fdiv.d ft7, fs0, fs1, rdn
    fdiv.d fa0, fa7, fs2, rup
    fdiv.d fs11, ft8, ft11, rmm
    fdiv.d ft0, ft7, fs0, dyn
    fsqrt.d fs1, fa0
    fsqrt.d fa7, fs2, rne
    fsqrt.d fs11, ft8, rtz
    fsqrt.d ft11, ft0, rdn
    fsqrt.d ft7, fs0, rup
    fsqrt.d fs1, fa0, rmm
    fsqrt.d fa7, fs2, dyn
    fmadd.d fs11, ft8, ft11, ft0
    fmadd.d ft7, fs0, fs1, fa0, rne
    fmadd.d fa7, fs2, fs11, ft8, rtz
    fmadd.d ft11, ft0, ft7, fs0, rdn
    fmadd.d fs1, fa0, fa7, fs2, rup
    fmadd.d fs11, ft8, ft11, ft0, rmm
    fmadd.d ft7, fs0, fs1, fa0, dyn
    fmsub.d fa7, fs2, fs11, ft8
    fmsub.d ft11, ft0, ft7, fs0, rne
    fmsub.d fs1, fa0, fa7, fs2, rtz
    fmsub.d fs11, ft8, ft11, ft0, rdn
    fmsub.d ft7, fs0, fs1, fa0, rup
    fmsub.d fa7, fs2, fs11, ft8, rmm
    fmsub.d ft11, ft0, ft7, fs0, dyn
    fnmsub.d fs1, fa0, fa7, fs2
    fnmsub.d fs11, ft8, ft11, ft0, rne
    fnmsub.d ft7, fs0, fs1, fa0, rtz
    fnmsub.d fa7, fs2, fs11, ft8, rdn
    fnmsub.d ft11, ft0, ft7, fs0, rup
    fnmsub.d fs1, fa0, fa7, fs2, rmm
    fnmsub.d fs11, ft8, ft11, ft0, dyn
    fnmadd.d ft7, fs0, fs1, fa0
    fnmadd.d fa7, fs2, fs11, ft8, rne
    fnmadd.d ft11, ft0, ft7, fs0, rtz
    fnmadd.d fs1, fa0, fa7, fs2, rdn
    fnmadd.d fs11, ft8, ft11, ft0, rup
    fnmadd.d ft7, fs0, fs1, fa0, rmm
    fnmadd.d fa7, fs2, fs11, ft8, dyn
    fsgnj.d ft11, ft0, ft7
    fsgnjn.d fs0, fs1, fa0
    fsgnjx.d fa7, fs2, fs11
    fmin.d ft8, ft11, ft0
    fmax.d ft7, fs0, fs1
    feq.d a0, fa0, fa7
    flt.d a0, fs2, fs11
    fle.d a0, ft8, ft11
    fclass.d t6, ft0
    fcvt.w.d a1, ft7
    fcvt.w.d a1, fs0, rne
    fcvt.w.d a1, fs1, rtz
    fcvt.w.d a1, fa0, rdn
    fcvt.w.d a1, fa7, rup
    fcvt.w.d a1, fs2, rmm
    fcvt.w.d a1, fs11, dyn
    fcvt.d.w ft8, s1
    fcvt.wu.d a1, ft11
    fcvt.wu.d a1, ft0, rne
    fcvt.wu.d a1, ft7, rtz
    fcvt.wu.d a1, fs0, rdn
    fcvt.wu.d a1, fs1, rup
    fcvt.wu.d a1, fa0, rmm
    fcvt.wu.d a1, fa7, dyn
    fcvt.d.wu fs2, s1
    fcvt.l.d a1, fs11
    fcvt.l.d a1, ft8, rne
    fcvt.l.d a1, ft11, rtz
    fcvt.l.d a1, ft0, rdn
    fcvt.l.d a1, ft7, rup
    fcvt.l.d a1, fs0, rmm
    fcvt.l.d a1, fs1, dyn
    fcvt.d.l fa0, s1
    fcvt.d.l fa7, s1, rne
    fcvt.d.l fs2, s1, rtz
    fcvt.d.l fs11, s1, rdn
    fcvt.d.l ft8, s1, rup
    fcvt.d.l ft11, s1, rmm
    fcvt.d.l ft0, s1, dyn
    fcvt.lu.d a1, ft7
    fcvt.lu.d a1, fs0, rne
    fcvt.lu.d a1, fs1, rtz
    fcvt.lu.d a1, fa0, rdn
    fcvt.lu.d a1, fa7, rup
    fcvt.lu.d a1, fs2, rmm
    fcvt.lu.d a1, fs11, dyn
    fcvt.d.lu ft8, s1
    fcvt.d.lu ft11, s1, rne
    fcvt.d.lu ft0, s1, rtz
    fcvt.d.lu ft7, s1, rdn
    fcvt.d.lu fs0, s1, rup
    fcvt.d.lu fs1, s1, rmm
    fcvt.d.lu fa0, s1, dyn
    fcvt.s.d fa7, fs2
    fcvt.s.d fs11, ft8, rne
    fcvt.s.d ft11, ft0, rtz
    fcvt.s.d ft7, fs0, rdn
    fcvt.s.d fs1, fa0, rup
    fcvt.s.d fa7, fs2, rmm
    fcvt.s.d fs11, ft8, dyn
    fcvt.d.s ft0, ft11
    fmv.x.w a0, ft0
    fmv.w.x ft11, zero
    fmv.x.d zero, fa0
    fmv.d.x fs0, t6
    frflags a0
    fsflags a1, a2
    frrm a3
    fsrm a4, a5
    fsrmi 4
    frcsr a6
    fscsr a7, s2
    csrrci zero, fflags, 31
    csrrsi a0, fcsr, 1

    # ---- C: every compressed form ----
    .option rvc
cstart:
    c.unimp
    c.addi4spn a0, sp, 4
    c.addi4spn s0, sp, 1020
    c.addi4spn a5, sp, 512
    c.lw    a0, 0(a1)
    c.lw    s0, 124(a5)
    c.lw    a2, 64(s1)
    c.ld    a0, 0(a1)
    c.ld    s1, 248(a4)
    c.ld    a3, 128(s0)
    c.sw    a0, 0(a1)
    c.sw    s0, 124(a5)
    c.sd    a0, 0(a1)
    c.sd    s1, 248(a4)
    c.nop
    c.addi  a0, 1
    c.addi  sp, -32
    c.addi  t6, 31
    c.addiw a0, -1
    c.addiw ra, 0
    c.addiw s11, 31
    c.addiw t0, -32
    c.li    a0, 0
    c.li    t6, -32
    c.li    s0, 31
    c.addi16sp sp, -512
    c.addi16sp sp, 496
    c.addi16sp sp, 16
    c.addi16sp sp, -32
    c.lui   a0, 1
    c.lui   t6, 0x1f
    c.lui   ra, 0xfffe0
    c.lui   s11, 0xfffff
    c.srli  a0, 1
    c.srli  s1, 63
    c.srli  a5, 32
    c.srai  a0, 1
    c.srai  s0, 63
    c.andi  a0, 0
    c.andi  a5, -32
    c.andi  s1, 31
    c.sub   a0, a1
    c.xor   s0, s1
    c.or    a4, a5
    c.and   a2, a3
    c.subw  a0, a5
    c.addw  s1, a4
    c.j     cstart
    c.j     cforward
    c.j     . + 2046
    c.j     . - 2048
    c.beqz  a0, cstart
    c.bnez  s1, cforward
    c.beqz  a5, . + 254
    c.bnez  s0, . - 256
cforward:
    c.slli  a0, 1
    c.slli  t6, 63
    c.slli  ra, 32
    c.lwsp  a0, 0(sp)
    c.lwsp  ra, 252(sp)
    c.lwsp  t6, 4(sp)
    c.ldsp  a0, 0(sp)
    c.ldsp  s11, 504(sp)
    c.ldsp  ra, 8(sp)
    c.jr    ra
    c.jr    t6
    c.mv    a0, a1
    c.mv    t6, ra
    c.ebreak
    c.jalr  ra
    c.jalr  a0
    c.add   a0, a1
    c.add   sp, t6
    c.swsp  a0, 0(sp)
    c.swsp  t6, 252(sp)
    c.sdsp  a0, 0(sp)
    c.sdsp  ra, 504(sp)

    # HINT encodings objdump still names (rd = zero, or a zero shift amount meaning 64).
    .insn 2, 0x0001 | (0 << 7) | (5 << 2)    # c.addi zero,5
    .insn 2, 0x4001 | (0 << 7) | (7 << 2)    # c.li zero,7
    .insn 2, 0x6001 | (0 << 7) | (1 << 2)    # c.lui zero,0x1
    .insn 2, 0x8002 | (0 << 7) | (10 << 2)   # c.mv zero,a0
    .insn 2, 0x9002 | (0 << 7) | (10 << 2)   # c.add zero,a0
    .insn 2, 0x0002 | (10 << 7)              # c.slli64 a0
    .insn 2, 0x8001 | (2 << 7)               # c.srli64 a0
    .insn 2, 0x8401 | (2 << 7)               # c.srai64 a0
    .insn 2, 0x6101                          # c.addi16sp sp,0 (reserved)

    c.fld   fs0, 0(s0)
    c.fld   fa5, 248(a5)
    c.fsd   fs1, 8(a0)
    c.fsd   fa4, 240(s1)
    c.fldsp ft0, 0(sp)
    c.fldsp ft11, 504(sp)
    c.fsdsp fs11, 0(sp)
    c.fsdsp fa0, 504(sp)

    # ---- words that are not instructions of this ISA, which print as .2byte/.4byte ----
    .insn 2, 0x4002                          # c.lwsp zero (reserved)
    .insn 2, 0x8002                          # c.jr zero (reserved)
    .insn 2, 0x0000 | (0 << 5) | (1 << 2)    # c.addi4spn with a zero immediate (reserved)
    .insn 2, 0x2001 | (0 << 7)               # c.addiw zero (reserved)
    .insn 2, 0x9c41                          # a reserved CA-format slot
    .insn 2, 0x8000                          # quadrant 0, funct3 100 (reserved)
    .insn 4, 0x04000053                      # fadd.h (Zfh)
    .insn 4, 0x06000053                      # fadd.q (Q)
    .insn 4, 0x00004007                      # flq (Q)
    .insn 4, 0x4205b553                      # fcvt.d.s with rm=3 (objdump knows only rm=0)
    .insn 4, 0x20c5b553                      # fsgnj funct3=3
    .insn 4, 0x5a158553                      # fsqrt.d with rs2 != 0
    .insn 4, 0x0000000b                      # custom-0
    .insn 4, 0x40004033                      # xor with funct7 0x20 (reserved)
    .insn 4, 0x8330050f                      # fence.tso with rs1 != 0
    .insn 4, 0x0000200f                      # misc-mem funct3 2
    .insn 4, 0x1010a52f                      # lr.w with rs2 != 0
    .insn 4, 0x00004073                      # system funct3 4
