/* loader_test2: a large text segment (a 192 KiB table of constants, spanning many pages) is
 * loaded whole: its checksum matches the one computed at build time; exits 42. */
#include <report.h>
#include <syscall.h>

#define WORDS (48 * 1024)
#define V(i) ((unsigned)(i) * 2654435761u)
#define R4(i) V(i), V(i + 1), V(i + 2), V(i + 3)
#define R16(i) R4(i), R4(i + 4), R4(i + 8), R4(i + 12)
#define R64(i) R16(i), R16(i + 16), R16(i + 32), R16(i + 48)
#define R256(i) R64(i), R64(i + 64), R64(i + 128), R64(i + 192)
#define R1K(i) R256(i), R256(i + 256), R256(i + 512), R256(i + 768)
#define R4K(i) R1K(i), R1K(i + 1024), R1K(i + 2048), R1K(i + 3072)
#define R16K(i) R4K(i), R4K(i + 4096), R4K(i + 8192), R4K(i + 12288)

static const unsigned table[WORDS] = {R16K(0), R16K(16384), R16K(32768)};

int main(void)
{
    REPORT_LOCAL_INIT("loader_test2");
    REPORT_START_CMPLT;
    for (unsigned i = 0; i < WORDS; i++)
        REPORT_CHECK(table[i] == V(i), "table[%u] is 0x%x, not 0x%x", i, table[i], V(i));
    REPORT_END_SUCCESS;
    return 42;
}
