package dev.vmx4j.core.decoder;

/**
 * SDM "Two-byte Opcode Map: 00H - FFH (First Byte is 0FH)" (Appendix A, Table A-3) as data:
 * the general-purpose, system and VMX instructions and the SSE/MMX subset listed in
 * {@link Mnemonic}. Groups (Grp6..Grp9, Grp15, Grp16) are in {@link GroupOpcodeMaps#TWO_BYTE}.
 * Row syntax: see {@link OneByteOpcodeMap}. A {@code pNP:}/{@code p66:}/{@code pF3:}/{@code pF2:}
 * key selects by the mandatory prefix (F2/F3 take precedence over 66).
 */
final class TwoByteOpcodeMap {
    private TwoByteOpcodeMap() {
    }

    static final String[] ROWS = {
        "02 LAR Gv,Ev memw", "03 LSL Gv,Ev memw",
        // SYSCALL/SYSRET decode in every mode: outside 64-bit mode they are #UD on Intel processors
        // and execute on AMD processors, which the executor decides from the profile's vendor.
        "05 SYSCALL -", "06 CLTS -", "07 SYSRET -", "08 INVD -", "pNP:09 WBINVD -",
        "0B UD2 -",
        "pNP:10 MOVUPS Vx,Wx", "p66:10 MOVUPD Vx,Wx", "pF3:10 MOVSS_SSE Vx,Wss", "pF2:10 MOVSD_SSE Vx,Wsd",
        "pNP:11 MOVUPS Wx,Vx", "p66:11 MOVUPD Wx,Vx", "pF3:11 MOVSS_SSE Wss,Vx", "pF2:11 MOVSD_SSE Wsd,Vx",
        "pNP:12m MOVLPS Vx,Mq", "p66:12m MOVLPD Vx,Mq", "pNP:13m MOVLPS Mq,Vx", "p66:13m MOVLPD Mq,Vx",
        "pNP:16m MOVHPS Vx,Mq", "p66:16m MOVHPD Vx,Mq", "pNP:17m MOVHPS Mq,Vx", "p66:17m MOVHPD Mq,Vx",
        // SDM "NOP": 0F 18-1F without a defined meaning are hint NOPs taking Ev.
        "18 HINT_NOP Ev", "19 HINT_NOP Ev", "1A HINT_NOP Ev", "1B HINT_NOP Ev",
        "1C HINT_NOP Ev", "1D HINT_NOP Ev", "1E HINT_NOP Ev", "1F HINT_NOP Ev",
        // SDM "MOV-Move to/from Control Registers": the mod field is ignored.
        "20 MOV_CR Ry,Cy f64", "21 MOV_DR Ry,Dy f64", "22 MOV_CR Cy,Ry f64", "23 MOV_DR Dy,Ry f64",
        "pNP:28 MOVAPS Vx,Wx", "p66:28 MOVAPD Vx,Wx", "pNP:29 MOVAPS Wx,Vx", "p66:29 MOVAPD Wx,Vx",
        "30 WRMSR -", "31 RDTSC -", "32 RDMSR -", "33 RDPMC -", "34 SYSENTER -", "35 SYSEXIT -", "37 GETSEC -",
        "40 CMOVCC Gv,Ev cc", "41 CMOVCC Gv,Ev cc", "42 CMOVCC Gv,Ev cc", "43 CMOVCC Gv,Ev cc",
        "44 CMOVCC Gv,Ev cc", "45 CMOVCC Gv,Ev cc", "46 CMOVCC Gv,Ev cc", "47 CMOVCC Gv,Ev cc",
        "48 CMOVCC Gv,Ev cc", "49 CMOVCC Gv,Ev cc", "4A CMOVCC Gv,Ev cc", "4B CMOVCC Gv,Ev cc",
        "4C CMOVCC Gv,Ev cc", "4D CMOVCC Gv,Ev cc", "4E CMOVCC Gv,Ev cc", "4F CMOVCC Gv,Ev cc",
        "pNP:54 ANDPS Vx,Wx", "pNP:56 ORPS Vx,Wx", "pNP:57 XORPS Vx,Wx",
        "pNP:60 PUNPCKLBW Pq,Qd", "p66:60 PUNPCKLBW Vx,Wx", "p66:6C PUNPCKLQDQ Vx,Wx",
        "pNP:61 PUNPCKLWD Pq,Qd", "pNP:62 PUNPCKLDQ Pq,Qd", "pNP:63 PACKSSWB Pq,Qq",
        "pNP:64 PCMPGTB Pq,Qq", "pNP:65 PCMPGTW Pq,Qq", "pNP:66 PCMPGTD Pq,Qq", "pNP:67 PACKUSWB Pq,Qq",
        "pNP:68 PUNPCKHBW Pq,Qq", "pNP:69 PUNPCKHWD Pq,Qq", "pNP:6A PUNPCKHDQ Pq,Qq", "pNP:6B PACKSSDW Pq,Qq",
        "p66:61 PUNPCKLWD Vx,Wx", "p66:62 PUNPCKLDQ Vx,Wx", "p66:63 PACKSSWB Vx,Wx",
        "p66:64 PCMPGTB Vx,Wx", "p66:65 PCMPGTW Vx,Wx", "p66:66 PCMPGTD Vx,Wx", "p66:67 PACKUSWB Vx,Wx",
        "p66:68 PUNPCKHBW Vx,Wx", "p66:69 PUNPCKHWD Vx,Wx", "p66:6A PUNPCKHDQ Vx,Wx", "p66:6B PACKSSDW Vx,Wx",
        "pNP:6E MOVD|MOVD|MOVQ Pq,Ey", "p66:6E MOVD|MOVD|MOVQ Vx,Ey",
        "pNP:6F MOVQ Pq,Qq", "p66:6F MOVDQA Vx,Wx", "pF3:6F MOVDQU Vx,Wx",
        "p66:70 PSHUFD Vx,Wx,Ib uimm",
        "pNP:74 PCMPEQB Pq,Qq", "p66:74 PCMPEQB Vx,Wx", "pNP:75 PCMPEQW Pq,Qq", "p66:75 PCMPEQW Vx,Wx",
        "pNP:76 PCMPEQD Pq,Qq", "p66:76 PCMPEQD Vx,Wx", "pNP:77 EMMS -",
        "pNP:78 VMREAD Ey,Gy f64", "pNP:79 VMWRITE Gy,Ey f64",
        "pNP:7E MOVD|MOVD|MOVQ Ey,Pq", "p66:7E MOVD|MOVD|MOVQ Ey,Vx", "pF3:7E MOVQ Vx,Wq",
        "pNP:7F MOVQ Qq,Pq", "p66:7F MOVDQA Wx,Vx", "pF3:7F MOVDQU Wx,Vx",
        "80 JCC Jz cc f64", "81 JCC Jz cc f64", "82 JCC Jz cc f64", "83 JCC Jz cc f64",
        "84 JCC Jz cc f64", "85 JCC Jz cc f64", "86 JCC Jz cc f64", "87 JCC Jz cc f64",
        "88 JCC Jz cc f64", "89 JCC Jz cc f64", "8A JCC Jz cc f64", "8B JCC Jz cc f64",
        "8C JCC Jz cc f64", "8D JCC Jz cc f64", "8E JCC Jz cc f64", "8F JCC Jz cc f64",
        "90 SETCC Eb cc", "91 SETCC Eb cc", "92 SETCC Eb cc", "93 SETCC Eb cc",
        "94 SETCC Eb cc", "95 SETCC Eb cc", "96 SETCC Eb cc", "97 SETCC Eb cc",
        "98 SETCC Eb cc", "99 SETCC Eb cc", "9A SETCC Eb cc", "9B SETCC Eb cc",
        "9C SETCC Eb cc", "9D SETCC Eb cc", "9E SETCC Eb cc", "9F SETCC Eb cc",
        "A0 PUSH FS d64", "A1 POP FS d64", "A2 CPUID -", "A3 BT Ev,Gv",
        "A4 SHLD Ev,Gv,Ib uimm", "A5 SHLD Ev,Gv,CL",
        "A8 PUSH GS d64", "A9 POP GS d64", "AA RSM -", "AB BTS Ev,Gv lock",
        "AC SHRD Ev,Gv,Ib uimm", "AD SHRD Ev,Gv,CL", "AF IMUL Gv,Ev",
        "B0 CMPXCHG Eb,Gb lock", "B1 CMPXCHG Ev,Gv lock", "B2 LSS Gv,Mp", "B3 BTR Ev,Gv lock",
        "B4 LFS Gv,Mp", "B5 LGS Gv,Mp", "B6 MOVZX Gv,Eb", "B7 MOVZX Gv,Ew",
        "pF3:B8 POPCNT Gv,Ev", "B9 UD1 Gv,Ev", "BB BTC Ev,Gv lock",
        "BC BSF Gv,Ev", "pF3:BC TZCNT Gv,Ev", "BD BSR Gv,Ev", "pF3:BD LZCNT Gv,Ev",
        "BE MOVSX Gv,Eb", "BF MOVSX Gv,Ew",
        "C0 XADD Eb,Gb lock", "C1 XADD Ev,Gv lock", "pNP:C3m MOVNTI My,Gy",
        "C8 BSWAP Zv", "C9 BSWAP Zv", "CA BSWAP Zv", "CB BSWAP Zv",
        "CC BSWAP Zv", "CD BSWAP Zv", "CE BSWAP Zv", "CF BSWAP Zv",
        "pNP:D1 PSRLW Pq,Qq", "pNP:D2 PSRLD Pq,Qq", "pNP:D3 PSRLQ Pq,Qq", "pNP:D5 PMULLW Pq,Qq",
        "pNP:D8 PSUBUSB Pq,Qq", "pNP:D9 PSUBUSW Pq,Qq", "pNP:DC PADDUSB Pq,Qq", "pNP:DD PADDUSW Pq,Qq",
        "pNP:E1 PSRAW Pq,Qq", "pNP:E2 PSRAD Pq,Qq", "pNP:E5 PMULHW Pq,Qq",
        "pNP:E8 PSUBSB Pq,Qq", "pNP:E9 PSUBSW Pq,Qq", "pNP:EC PADDSB Pq,Qq", "pNP:ED PADDSW Pq,Qq",
        "pNP:F1 PSLLW Pq,Qq", "pNP:F2 PSLLD Pq,Qq", "pNP:F3 PSLLQ Pq,Qq", "pNP:F5 PMADDWD Pq,Qq",
        "p66:D1 PSRLW Vx,Wx", "p66:D2 PSRLD Vx,Wx", "p66:D3 PSRLQ Vx,Wx", "p66:D5 PMULLW Vx,Wx",
        "p66:D8 PSUBUSB Vx,Wx", "p66:D9 PSUBUSW Vx,Wx", "p66:DC PADDUSB Vx,Wx", "p66:DD PADDUSW Vx,Wx",
        "p66:E1 PSRAW Vx,Wx", "p66:E2 PSRAD Vx,Wx", "p66:E5 PMULHW Vx,Wx",
        "p66:E8 PSUBSB Vx,Wx", "p66:E9 PSUBSW Vx,Wx", "p66:EC PADDSB Vx,Wx", "p66:ED PADDSW Vx,Wx",
        "p66:F1 PSLLW Vx,Wx", "p66:F2 PSLLD Vx,Wx", "p66:F3 PSLLQ Vx,Wx", "p66:F5 PMADDWD Vx,Wx",
        "pNP:D4 PADDQ Pq,Qq", "p66:D4 PADDQ Vx,Wx", "p66:D6 MOVQ Wq,Vx",
        "pNP:D7r PMOVMSKB Gy,Nq", "p66:D7r PMOVMSKB Gy,Ux",
        "pNP:DB PAND Pq,Qq", "p66:DB PAND Vx,Wx", "pNP:DF PANDN Pq,Qq", "p66:DF PANDN Vx,Wx",
        "pNP:EB POR Pq,Qq", "p66:EB POR Vx,Wx", "pNP:EF PXOR Pq,Qq", "p66:EF PXOR Vx,Wx",
        "pNP:F8 PSUBB Pq,Qq", "p66:F8 PSUBB Vx,Wx", "pNP:F9 PSUBW Pq,Qq", "p66:F9 PSUBW Vx,Wx",
        "pNP:FA PSUBD Pq,Qq", "p66:FA PSUBD Vx,Wx", "pNP:FB PSUBQ Pq,Qq", "p66:FB PSUBQ Vx,Wx",
        "pNP:FC PADDB Pq,Qq", "p66:FC PADDB Vx,Wx", "pNP:FD PADDW Pq,Qq", "p66:FD PADDW Vx,Wx",
        "pNP:FE PADDD Pq,Qq", "p66:FE PADDD Vx,Wx",
        "FF UD0 Gv,Ev",
    };
}
