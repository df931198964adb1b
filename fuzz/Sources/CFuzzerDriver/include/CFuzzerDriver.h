// libFuzzer's driver entry (compiler-rt, LLVM 11 and later). SwiftPM links an executable's `main`
// to its module's own entry point, so each fuzzer's `@main` hands control to libFuzzer here.
#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size));
