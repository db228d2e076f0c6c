#!/usr/bin/env python3
"""Mark chosen GLIBCXX version needs as weak in an ELF64 shared object.

libLibTorchSharp.so (TorchSharp 0.107) asks for GLIBCXX_3.4.32, which Debian 12's libstdc++ (3.4.30) lacks.
The only symbol behind that version is referenced but never called, so a *weak* version need lets the dynamic
loader accept the library. The edit sets VER_FLG_WEAK on the matching Vernaux entries of .gnu.version_r; it is
idempotent and touches nothing else.
"""
import struct
import sys

SHT_GNU_VERNEED = 0x6FFFFFFE
VER_FLG_WEAK = 0x2


def weaken(path: str, versions: set[bytes]) -> int:
    with open(path, "r+b") as f:
        data = bytearray(f.read())
        if data[:4] != b"\x7fELF" or data[4] != 2 or data[5] != 1:
            raise SystemExit(f"{path}: not a little-endian ELF64 file")
        shoff, = struct.unpack_from("<Q", data, 0x28)
        shentsize, shnum = struct.unpack_from("<HH", data, 0x3A)
        sections = []
        for i in range(shnum):
            off = shoff + i * shentsize
            _, sh_type, _, _, sh_offset, sh_size, sh_link, sh_info = struct.unpack_from("<IIQQQQII", data, off)
            sections.append((sh_type, sh_offset, sh_size, sh_link, sh_info))
        changed = 0
        for sh_type, sh_offset, _, sh_link, sh_info in sections:
            if sh_type != SHT_GNU_VERNEED:
                continue
            strtab = sections[sh_link][1]
            vn = sh_offset
            for _ in range(sh_info):
                _, vn_cnt, _, vn_aux, vn_next = struct.unpack_from("<HHIII", data, vn)
                aux = vn + vn_aux
                for _ in range(vn_cnt):
                    _, flags, _, name_off, vna_next = struct.unpack_from("<IHHII", data, aux)
                    end = data.index(b"\0", strtab + name_off)
                    name = bytes(data[strtab + name_off:end])
                    if name in versions and not flags & VER_FLG_WEAK:
                        struct.pack_into("<H", data, aux + 4, flags | VER_FLG_WEAK)
                        changed += 1
                    aux += vna_next
                    if vna_next == 0:
                        break
                vn += vn_next
                if vn_next == 0:
                    break
        if changed:
            f.seek(0)
            f.write(data)
        return changed


if __name__ == "__main__":
    if len(sys.argv) < 2:
        raise SystemExit("usage: weaken-glibcxx.py LIB.so [VERSION ...]")
    wanted = {v.encode() for v in (sys.argv[2:] or ["GLIBCXX_3.4.32"])}
    n = weaken(sys.argv[1], wanted)
    print(f"weaken-glibcxx: {sys.argv[1]}: {n} version need(s) marked weak")
