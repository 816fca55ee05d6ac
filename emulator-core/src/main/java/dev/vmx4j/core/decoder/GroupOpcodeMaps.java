package dev.vmx4j.core.decoder;

/**
 * SDM "Opcode Extensions for One- and Two-byte Opcodes by Group Number" (Appendix A, Table A-6)
 * as data: the rows selected by ModRM.reg (and, for Grp7/Grp9/Grp15, by mod and r/m). Same row
 * syntax as {@link OneByteOpcodeMap}; {@link #ONE_BYTE} rows belong to the one-byte map,
 * {@link #TWO_BYTE} rows to the 0F map.
 */
final class GroupOpcodeMaps {
    private GroupOpcodeMaps() {
    }

    static final String[] ONE_BYTE = {
        // Grp1
        "80/0 ADD Eb,Ib lock", "80/1 OR Eb,Ib lock", "80/2 ADC Eb,Ib lock", "80/3 SBB Eb,Ib lock",
        "80/4 AND Eb,Ib lock", "80/5 SUB Eb,Ib lock", "80/6 XOR Eb,Ib lock", "80/7 CMP Eb,Ib",
        "81/0 ADD Ev,Iz lock", "81/1 OR Ev,Iz lock", "81/2 ADC Ev,Iz lock", "81/3 SBB Ev,Iz lock",
        "81/4 AND Ev,Iz lock", "81/5 SUB Ev,Iz lock", "81/6 XOR Ev,Iz lock", "81/7 CMP Ev,Iz",
        "82/0 ADD Eb,Ib lock i64", "82/1 OR Eb,Ib lock i64", "82/2 ADC Eb,Ib lock i64", "82/3 SBB Eb,Ib lock i64",
        "82/4 AND Eb,Ib lock i64", "82/5 SUB Eb,Ib lock i64", "82/6 XOR Eb,Ib lock i64", "82/7 CMP Eb,Ib i64",
        "83/0 ADD Ev,Ib lock", "83/1 OR Ev,Ib lock", "83/2 ADC Ev,Ib lock", "83/3 SBB Ev,Ib lock",
        "83/4 AND Ev,Ib lock", "83/5 SUB Ev,Ib lock", "83/6 XOR Ev,Ib lock", "83/7 CMP Ev,Ib",
        // Grp1A
        "8F/0 POP Ev d64",
        // Grp2
        "C0/0 ROL Eb,Ib uimm", "C0/1 ROR Eb,Ib uimm", "C0/2 RCL Eb,Ib uimm", "C0/3 RCR Eb,Ib uimm",
        "C0/4 SHL Eb,Ib uimm", "C0/5 SHR Eb,Ib uimm", "C0/6 SAL Eb,Ib uimm", "C0/7 SAR Eb,Ib uimm",
        "C1/0 ROL Ev,Ib uimm", "C1/1 ROR Ev,Ib uimm", "C1/2 RCL Ev,Ib uimm", "C1/3 RCR Ev,Ib uimm",
        "C1/4 SHL Ev,Ib uimm", "C1/5 SHR Ev,Ib uimm", "C1/6 SAL Ev,Ib uimm", "C1/7 SAR Ev,Ib uimm",
        "D0/0 ROL Eb,1", "D0/1 ROR Eb,1", "D0/2 RCL Eb,1", "D0/3 RCR Eb,1",
        "D0/4 SHL Eb,1", "D0/5 SHR Eb,1", "D0/6 SAL Eb,1", "D0/7 SAR Eb,1",
        "D1/0 ROL Ev,1", "D1/1 ROR Ev,1", "D1/2 RCL Ev,1", "D1/3 RCR Ev,1",
        "D1/4 SHL Ev,1", "D1/5 SHR Ev,1", "D1/6 SAL Ev,1", "D1/7 SAR Ev,1",
        "D2/0 ROL Eb,CL", "D2/1 ROR Eb,CL", "D2/2 RCL Eb,CL", "D2/3 RCR Eb,CL",
        "D2/4 SHL Eb,CL", "D2/5 SHR Eb,CL", "D2/6 SAL Eb,CL", "D2/7 SAR Eb,CL",
        "D3/0 ROL Ev,CL", "D3/1 ROR Ev,CL", "D3/2 RCL Ev,CL", "D3/3 RCR Ev,CL",
        "D3/4 SHL Ev,CL", "D3/5 SHR Ev,CL", "D3/6 SAL Ev,CL", "D3/7 SAR Ev,CL",
        // Grp11 (XABORT/XBEGIN at C6 F8 / C7 F8 are RTM, not decoded: #UD here)
        "C6/0 MOV Eb,Ib", "C7/0 MOV Ev,Iz",
        // Grp3. MANUAL: /1 is blank in the SDM's table; Intel hardware executes it as TEST.
        "F6/0 TEST Eb,Ib", "F6/1 TEST Eb,Ib", "F6/2 NOT Eb lock", "F6/3 NEG Eb lock",
        "F6/4 MUL Eb", "F6/5 IMUL Eb", "F6/6 DIV Eb", "F6/7 IDIV Eb",
        "F7/0 TEST Ev,Iz", "F7/1 TEST Ev,Iz", "F7/2 NOT Ev lock", "F7/3 NEG Ev lock",
        "F7/4 MUL Ev", "F7/5 IMUL Ev", "F7/6 DIV Ev", "F7/7 IDIV Ev",
        // Grp4, Grp5
        "FE/0 INC Eb lock", "FE/1 DEC Eb lock",
        "FF/0 INC Ev lock", "FF/1 DEC Ev lock", "FF/2 CALL Ev f64", "FF/3 CALL_FAR Mp",
        "FF/4 JMP Ev f64", "FF/5 JMP_FAR Mp", "FF/6 PUSH Ev d64",
    };

    static final String[] TWO_BYTE = {
        // Grp6
        "00/0 SLDT Ev memw", "00/1 STR Ev memw", "00/2 LLDT Ew", "00/3 LTR Ew", "00/4 VERR Ew", "00/5 VERW Ew",
        // Grp7: memory forms by reg, register forms by reg and r/m
        "01/0m SGDT Ms", "01/1m SIDT Ms", "01/2m LGDT Ms", "01/3m LIDT Ms",
        "01/4 SMSW Ev memw", "01/6 LMSW Ew", "01/7m INVLPG Mb",
        "01/0r.1 VMCALL -", "01/0r.2 VMLAUNCH -", "01/0r.3 VMRESUME -", "01/0r.4 VMXOFF -",
        "01/1r.0 MONITOR -", "01/1r.1 MWAIT -", "01/1r.2 CLAC -", "01/1r.3 STAC -",
        "01/2r.0 XGETBV -", "01/2r.1 XSETBV -", "01/2r.4 VMFUNC -", "01/2r.5 XEND -", "01/2r.6 XTEST -",
        "pNP:01/5r.0 SERIALIZE -", "pNP:01/5r.6 RDPKRU -", "pNP:01/5r.7 WRPKRU -",
        "01/7r.0 SWAPGS - o64", "01/7r.1 RDTSCP -",
        // Grp8
        "BA/4 BT Ev,Ib uimm", "BA/5 BTS Ev,Ib lock uimm", "BA/6 BTR Ev,Ib lock uimm", "BA/7 BTC Ev,Ib lock uimm",
        // Grp9
        "C7/1m CMPXCHG8B|CMPXCHG8B|CMPXCHG16B Mcx lock",
        "pNP:C7/3m XRSTORS M", "pNP:C7/4m XSAVEC M", "pNP:C7/5m XSAVES M",
        "pNP:C7/6m VMPTRLD Mq", "p66:C7/6m VMCLEAR Mq", "pF3:C7/6m VMXON Mq", "pNP:C7/7m VMPTRST Mq",
        "C7/6r RDRAND Rv", "pF3:C7/6r INVALID -", "pF2:C7/6r INVALID -",
        "C7/7r RDSEED Rv", "pF3:C7/7r RDPID Ry f64", "pF2:C7/7r INVALID -",
        // Grp12, Grp13, Grp14 (MMX and SSE2 shifts by an immediate)
        "pNP:71/2r PSRLW Nq,Ib uimm", "pNP:71/4r PSRAW Nq,Ib uimm", "pNP:71/6r PSLLW Nq,Ib uimm",
        "pNP:72/2r PSRLD Nq,Ib uimm", "pNP:72/4r PSRAD Nq,Ib uimm", "pNP:72/6r PSLLD Nq,Ib uimm",
        "pNP:73/2r PSRLQ Nq,Ib uimm", "pNP:73/6r PSLLQ Nq,Ib uimm",
        "p66:71/2r PSRLW Ux,Ib uimm", "p66:71/4r PSRAW Ux,Ib uimm", "p66:71/6r PSLLW Ux,Ib uimm",
        "p66:72/2r PSRLD Ux,Ib uimm", "p66:72/4r PSRAD Ux,Ib uimm", "p66:72/6r PSLLD Ux,Ib uimm",
        "p66:73/2r PSRLQ Ux,Ib uimm", "p66:73/6r PSLLQ Ux,Ib uimm",
        // Grp15
        "pNP:AE/0m FXSAVE M", "pNP:AE/1m FXRSTOR M", "pNP:AE/2m LDMXCSR Md", "pNP:AE/3m STMXCSR Md",
        "pNP:AE/4m XSAVE M", "pNP:AE/5m XRSTOR M", "pNP:AE/6m XSAVEOPT M", "pNP:AE/7m CLFLUSH Mb",
        "p66:AE/6m CLWB Mb", "p66:AE/7m CLFLUSHOPT Mb",
        // MANUAL: the SDM gives E8, F0, F8; binutils accepts any r/m for LFENCE only, and so do we.
        "pNP:AE/5r LFENCE -", "pNP:AE/6r.0 MFENCE -", "pNP:AE/7r.0 SFENCE -",
        // WAITPKG: the register operand is UMONITOR's address (of the address size) and
        // UMWAIT's/TPAUSE's 32-bit control word.
        "pF3:AE/6r UMONITOR Raddr", "pF2:AE/6r UMWAIT Ry", "p66:AE/6r TPAUSE Ry",
        "pF3:AE/0r RDFSBASE Ry o64", "pF3:AE/1r RDGSBASE Ry o64",
        "pF3:AE/2r WRFSBASE Ry o64", "pF3:AE/3r WRGSBASE Ry o64",
        // Grp16: PREFETCHh; the other encodings of 0F 18 are hint NOPs
        "18/0m PREFETCH Mb", "18/1m PREFETCH Mb", "18/2m PREFETCH Mb", "18/3m PREFETCH Mb",
        // 0F 0D: PREFETCHW (/1) and its reserved-hint neighbours
        "0Dm PREFETCH Mb",
        // 0F 1F /0 is the multi-byte NOP; F3 0F 1E FA/FB are ENDBR64/ENDBR32
        "1F/0 NOP Ev",
        "pF3:1E/7r.2 ENDBR64 -", "pF3:1E/7r.3 ENDBR32 -",
    };
}
