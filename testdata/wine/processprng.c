// Test-only stand-in for bcryptprimitives.dll under Wine 8.0, which lacks ProcessPrng; Go >= 1.24
// calls it for all randomness at start-up. Built by scripts/windows/smoke.sh with mingw-w64 into a
// private Wine prefix (with WINEDLLOVERRIDES=bcryptprimitives=n). Never shipped: real Windows 10/11
// has ProcessPrng.
#include <windows.h>

// RtlGenRandom, exported by advapi32 as SystemFunction036.
BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length);

BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T len) {
    while (len > 0) {
        ULONG n = len > 0x40000000 ? 0x40000000 : (ULONG)len;
        if (!SystemFunction036(data, n)) {
            return FALSE;
        }
        data += n;
        len -= n;
    }
    return TRUE;
}
