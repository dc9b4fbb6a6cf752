#ifndef CANON_FUZZ_DRIVER_H
#define CANON_FUZZ_DRIVER_H

#include <stddef.h>
#include <stdint.h>

/// Runs libFuzzer with the process's arguments on `test`, which gets each input. SwiftPM gives executables their own
/// `main`, so they link libFuzzer without its `main` and start it through `LLVMFuzzerRunDriver`.
int canon_fuzz_main(int argc, char **argv, int (*test)(const uint8_t *data, size_t size));

#endif
