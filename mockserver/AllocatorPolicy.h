#pragma once
// How a mock asks the C allocator to give memory back. A mock holds one large generation of
// parsed pacts and replaces it whole on a reload, so what matters is that a replaced generation
// and the parse's temporaries leave the process instead of staying resident.

namespace pactmocks::mockserver {

// Once at startup: large blocks (a pact file's text, the interaction array) always get their own
// mapping, returned to the system when freed. glibc's default raises its mmap threshold to the
// largest block freed so far, so after the first 9 MiB file text was freed the next generation's
// large blocks came from the heap, and RSS grew by a third over a few reloads.
void configureAllocator();

// After a load or a swap: returns the pages freed by the previous generation and the parse.
void releaseFreedMemory();

}  // namespace pactmocks::mockserver
