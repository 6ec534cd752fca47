#!/usr/bin/env python3
"""Checks that a file is a well-formed executable for a platform, without running it.

    check-executable.py linux-x86_64|linux-aarch64|macos-x86_64|macos-arm64|windows-x86_64 FILE

Reads the ELF, Mach-O or PE headers: the magic, the CPU architecture, that it is an executable
(not a library or object), and the libraries it loads. Linux binaries must be static (no
program interpreter, no shared libraries), macOS and Windows ones load only the operating
system's own libraries. For arm64 macOS it also requires a code signature, without which Apple
Silicon refuses to start it, and checks it as the kernel does: every page hash of its code
directory must match the file (a binary changed after signing, e.g. stripped, is killed at
start). Also imported by check-vsix.py.
"""

import hashlib
import struct
import sys

MH_MAGIC_64 = 0xFEEDFACF
MH_EXECUTE = 2
CPU_TYPE = {"macos-x86_64": 0x01000007, "macos-arm64": 0x0100000C}
ELF_MACHINE = {"linux-x86_64": 62, "linux-aarch64": 183}
ET_EXEC, ET_DYN = 2, 3
PT_DYNAMIC, PT_INTERP = 2, 3
PLATFORMS = (*ELF_MACHINE, *CPU_TYPE, "windows-x86_64")
LC_LOAD_DYLIB = 0x0C
LC_CODE_SIGNATURE = 0x1D
LC_SYMTAB = 0x02
CSMAGIC_EMBEDDED_SIGNATURE = 0xFADE0CC0
CSMAGIC_CODEDIRECTORY = 0xFADE0C02
CS_HASHTYPE = {1: hashlib.sha1, 2: hashlib.sha256}
LC_MAIN = 0x80000028
IMAGE_FILE_MACHINE_AMD64 = 0x8664
PE32_PLUS = 0x20B
IMAGE_SUBSYSTEM_WINDOWS_CUI = 3
IMAGE_FILE_EXECUTABLE_IMAGE = 0x0002
IMAGE_FILE_DLL = 0x2000
# Windows DLLs every Rust program on the GNU target may import (the system and its C runtime).
WINDOWS_SYSTEM_DLLS = {
    "kernel32.dll", "ntdll.dll", "advapi32.dll", "ws2_32.dll", "userenv.dll", "bcrypt.dll",
    "msvcrt.dll", "api-ms-win-core-synch-l1-2-0.dll", "bcryptprimitives.dll", "shell32.dll",
    "user32.dll", "ole32.dll", "oleaut32.dll", "secur32.dll", "crypt32.dll", "iphlpapi.dll",
}


class Malformed(Exception):
    """The file is not a well-formed executable for the platform."""


def fail(message):
    raise Malformed(message)


def check_elf(data, platform):
    if data[:4] != b"\x7fELF":
        fail("not an ELF file")
    if data[4] != 2 or data[5] != 1:
        fail("not a 64-bit little-endian ELF file")
    e_type, e_machine = struct.unpack_from("<HH", data, 16)
    if e_machine != ELF_MACHINE[platform]:
        fail(f"ELF machine {e_machine}, expected {ELF_MACHINE[platform]}")
    if e_type not in (ET_EXEC, ET_DYN):
        fail(f"ELF type {e_type} is not an executable")
    (e_phoff,) = struct.unpack_from("<Q", data, 32)
    e_phentsize, e_phnum = struct.unpack_from("<HH", data, 54)
    kinds = {struct.unpack_from("<I", data, e_phoff + i * e_phentsize)[0] for i in range(e_phnum)}
    if PT_INTERP in kinds:
        fail("dynamically linked: it names a program interpreter")
    kind = "static-pie" if e_type == ET_DYN else "static"
    if e_type == ET_DYN and PT_DYNAMIC not in kinds:
        fail("a shared object without a dynamic section")
    return f"ELF 64-bit {kind} executable, no program interpreter"


def check_code_signature(data, offset, size):
    """Checks the page hashes of the signature's code directory; returns its page count."""
    blob = data[offset : offset + size]
    magic, _length, count = struct.unpack_from(">III", blob)
    if magic != CSMAGIC_EMBEDDED_SIGNATURE:
        fail(f"code signature magic {magic:#x}")
    for i in range(count):
        _slot, at = struct.unpack_from(">II", blob, 12 + 8 * i)
        if struct.unpack_from(">I", blob, at)[0] != CSMAGIC_CODEDIRECTORY:
            continue
        fields = struct.unpack_from(">IIIIIIIBBBB", blob, at + 8)
        _version, _flags, hash_offset, _ident, _special, n_code, code_limit, hash_size, hash_type = fields[:9]
        page_size = 1 << fields[10]
        if hash_type not in CS_HASHTYPE:
            fail(f"code directory hash type {hash_type}")
        if code_limit != offset:
            fail(f"the signature covers {code_limit} bytes, the code ends at {offset}")
        for page in range(n_code):
            start = at + hash_offset + page * hash_size
            expected = blob[start : start + hash_size]
            chunk = data[page * page_size : min((page + 1) * page_size, code_limit)]
            if CS_HASHTYPE[hash_type](chunk).digest()[:hash_size] != expected:
                fail(f"code signature: page {page} does not match its hash (changed after signing)")
        return n_code
    fail("code signature without a code directory")
    return 0


def check_macho(data, platform):
    magic, cputype, _sub, filetype, ncmds, _size, _flags, _res = struct.unpack_from("<IiiIIIII", data)
    if magic != MH_MAGIC_64:
        fail(f"not a 64-bit Mach-O file (magic {magic:#x})")
    if cputype & 0xFFFFFFFF != CPU_TYPE[platform]:
        fail(f"CPU type {cputype:#x}, expected {CPU_TYPE[platform]:#x}")
    if filetype != MH_EXECUTE:
        fail(f"Mach-O file type {filetype}, expected an executable ({MH_EXECUTE})")
    offset, commands, dylibs, signature = 32, set(), [], None
    for _ in range(ncmds):
        cmd, cmdsize = struct.unpack_from("<II", data, offset)
        commands.add(cmd)
        if cmd == LC_CODE_SIGNATURE:
            signature = struct.unpack_from("<II", data, offset + 8)
        if cmd == LC_LOAD_DYLIB:
            (name_offset,) = struct.unpack_from("<I", data, offset + 8)
            name = data[offset + name_offset : offset + cmdsize].split(b"\0", 1)[0].decode()
            dylibs.append(name)
        offset += cmdsize
    if LC_MAIN not in commands:
        fail("no entry point (LC_MAIN)")
    if platform == "macos-arm64" and LC_CODE_SIGNATURE not in commands:
        fail("no code signature: Apple Silicon refuses unsigned executables")
    foreign = [d for d in dylibs if not d.startswith(("/usr/lib/", "/System/Library/"))]
    if foreign:
        fail(f"loads libraries that are not part of macOS: {foreign}")
    signed = ""
    if signature is not None:
        signed = f"signed ({check_code_signature(data, *signature)} page hashes match), "
    return f"Mach-O 64-bit executable, {signed}{ncmds} load commands, links {', '.join(dylibs)}"


def rva_to_offset(sections, rva):
    for virtual_address, virtual_size, raw_pointer in sections:
        if virtual_address <= rva < virtual_address + virtual_size:
            return rva - virtual_address + raw_pointer
    fail(f"RVA {rva:#x} is in no section")
    return 0


def check_pe(data):
    if data[:2] != b"MZ":
        fail("no MZ header")
    (pe_offset,) = struct.unpack_from("<I", data, 0x3C)
    if data[pe_offset : pe_offset + 4] != b"PE\0\0":
        fail("no PE signature")
    machine, nsections, _t, _p, _n, opt_size, characteristics = struct.unpack_from("<HHIIIHH", data, pe_offset + 4)
    if machine != IMAGE_FILE_MACHINE_AMD64:
        fail(f"machine {machine:#x}, expected x86_64 ({IMAGE_FILE_MACHINE_AMD64:#x})")
    if not characteristics & IMAGE_FILE_EXECUTABLE_IMAGE or characteristics & IMAGE_FILE_DLL:
        fail(f"characteristics {characteristics:#x} do not make an executable")
    opt = pe_offset + 24
    (opt_magic,) = struct.unpack_from("<H", data, opt)
    if opt_magic != PE32_PLUS:
        fail(f"optional header magic {opt_magic:#x}, expected PE32+")
    (subsystem,) = struct.unpack_from("<H", data, opt + 68)
    if subsystem != IMAGE_SUBSYSTEM_WINDOWS_CUI:
        fail(f"subsystem {subsystem}, expected the console ({IMAGE_SUBSYSTEM_WINDOWS_CUI})")
    import_rva, _import_size = struct.unpack_from("<II", data, opt + 112 + 8)
    sections = []
    for i in range(nsections):
        base = opt + opt_size + 40 * i
        virtual_size, virtual_address, raw_size, raw_pointer = struct.unpack_from("<IIII", data, base + 8)
        sections.append((virtual_address, max(virtual_size, raw_size), raw_pointer))
    dlls, entry = [], rva_to_offset(sections, import_rva)
    while True:
        name_rva = struct.unpack_from("<5I", data, entry)[3]
        if name_rva == 0:
            break
        name_at = rva_to_offset(sections, name_rva)
        dlls.append(data[name_at : data.index(b"\0", name_at)].decode().lower())
        entry += 20
    foreign = [d for d in dlls if d not in WINDOWS_SYSTEM_DLLS and not d.startswith("api-ms-win-")]
    if foreign:
        fail(f"imports DLLs that are not part of Windows: {foreign}")
    return f"PE32+ x86_64 console executable, imports {', '.join(dlls)}"


def check(platform, data):
    """Returns a one-line summary of the executable `data`, or raises Malformed."""
    try:
        if platform in ELF_MACHINE:
            return check_elf(data, platform)
        if platform == "windows-x86_64":
            return check_pe(data)
        return check_macho(data, platform)
    except (struct.error, IndexError, ValueError, UnicodeDecodeError) as e:
        raise Malformed(f"truncated or corrupt headers ({e})") from e


def main():
    if len(sys.argv) != 3 or sys.argv[1] not in PLATFORMS:
        print(__doc__.strip().splitlines()[2].strip())
        sys.exit(2)
    platform, path = sys.argv[1], sys.argv[2]
    with open(path, "rb") as f:
        data = f.read()
    try:
        summary = check(platform, data)
    except Malformed as e:
        print(f"FAIL {platform}: {path}: {e}")
        sys.exit(1)
    print(f"OK {platform}: {path}: {summary}")


if __name__ == "__main__":
    main()
