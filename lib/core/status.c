/* status.c - status strings, generated from the one X-macro list in oclnn.h. */
#include "core.h"

const char *oclnn_status_string(oclnn_status status) {
    static const char *const strings[] = {
#define X(name, str) str,
        OCLNN_STATUS_LIST(X)
#undef X
    };
    if ((unsigned)status >= sizeof strings / sizeof strings[0]) return "unknown status";
    return strings[status];
}

const char *oclnn_status_name(oclnn_status status) {
    static const char *const names[] = {
#define X(name, str) #name,
        OCLNN_STATUS_LIST(X)
#undef X
    };
    if ((unsigned)status >= sizeof names / sizeof names[0]) return "UNKNOWN";
    return names[status];
}
