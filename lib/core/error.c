/* error.c - last-error messages (per context, or per thread when there is no context yet) and logging.
 * Messages are formatted into fixed buffers so that reporting an out-of-memory error never needs memory.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "core.h"

static _Thread_local oclnn_errbuf thread_errbuf;

oclnn_errbuf *oclnn_thread_errbuf(void) { return &thread_errbuf; }

oclnn_status oclnn_fail(oclnn_errbuf *eb, oclnn_status status, const char *fmt, ...) {
    if (!eb) eb = &thread_errbuf;
    int n = snprintf(eb->msg, sizeof eb->msg, "%s: ", oclnn_status_name(status));
    if (n < 0) n = 0;
    va_list ap;
    va_start(ap, fmt);
    if ((size_t)n < sizeof eb->msg) vsnprintf(eb->msg + n, sizeof eb->msg - (size_t)n, fmt, ap);
    va_end(ap);
    return status;
}

void oclnn_err_append(oclnn_errbuf *eb, const char *fmt, ...) {
    if (!eb) eb = &thread_errbuf;
    size_t n = strlen(eb->msg);
    if (n + 1 >= sizeof eb->msg) return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(eb->msg + n, sizeof eb->msg - n, fmt, ap);
    va_end(ap);
}

int oclnn_log_level_from_env(int explicit_level) {
    if (explicit_level >= 0) return explicit_level;
    const char *e = getenv("OCLNN_LOG");
    if (!e || !*e) return OCLNN_LOG_WARN;
    static const char *const names[] = {"none", "error", "warn", "info", "debug"};
    for (int i = 0; i < 5; i++)
        if (strcasecmp(e, names[i]) == 0) return i;
    if (strcasecmp(e, "warning") == 0) return OCLNN_LOG_WARN;
    return OCLNN_LOG_WARN;
}

void oclnn_log(const oclnn_logger *lg, oclnn_log_level level, const char *fmt, ...) {
    int max = lg ? lg->level : oclnn_log_level_from_env(-1);
    if ((int)level > max || level == OCLNN_LOG_NONE) return;
    char line[2048];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    if (lg && lg->fn) {
        lg->fn(level, line, lg->user);
    } else {
        static const char *const tags[] = {"", "error", "warn", "info", "debug"};
        fprintf(stderr, "oclnn %s: %s\n", tags[level], line);
    }
}

double oclnn_now_ms(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1e3 + (double)t.tv_nsec * 1e-6;
}
