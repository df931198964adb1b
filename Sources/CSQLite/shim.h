#pragma once
// The session extension (changesets), which cluster mode replicates transactions with; Debian's
// libsqlite3 is built with it, and these two macros only declare its API.
#ifndef SQLITE_ENABLE_SESSION
#define SQLITE_ENABLE_SESSION 1
#endif
#ifndef SQLITE_ENABLE_PREUPDATE_HOOK
#define SQLITE_ENABLE_PREUPDATE_HOOK 1
#endif
#include <sqlite3.h>
