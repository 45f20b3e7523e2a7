/* disk_cache.c - program binaries on disk, shared by processes.
 *
 * One file per key: a header (magic, format version, key length, binary length, checksum), the full key, then
 * the binary. Writes go to a temporary file that is renamed into place, so readers see a whole entry or none.
 * Anything that does not verify (truncated, corrupt, another key under the same name) is reported as rejected
 * and the caller rebuilds from source and overwrites it.
 */
#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <fcntl.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "disk_cache.h"

static const char magic[8] = {'O', 'C', 'L', 'N', 'N', 'P', 'C', '\n'};

typedef struct header {
    char magic[8];
    uint32_t version;
    uint32_t key_len;
    uint64_t bin_len;
    uint64_t checksum; /* over key and binary */
} header;

static uint64_t checksum(const char *key, size_t key_len, const unsigned char *bin, size_t bin_len) {
    return oclnn_hash64(bin, bin_len, oclnn_hash64(key, key_len, OCLNN_HASH_SEED));
}

void oclnn_disk_cache_path(const char *dir, const char *key, char *path, size_t cap) {
    size_t n = strlen(key);
    /* Two differently seeded hashes: a 128-bit name makes accidental collisions irrelevant, and the stored key is
     * compared anyway. */
    snprintf(path, cap, "%s/%016llx%016llx.bin", dir, (unsigned long long)oclnn_hash64(key, n, OCLNN_HASH_SEED),
             (unsigned long long)oclnn_hash64(key, n, 0x84222325cbf29ce4ull));
}

/* mkdir -p */
static int make_dirs(const char *dir) {
    char buf[4096];
    if (snprintf(buf, sizeof buf, "%s", dir) >= (int)sizeof buf) return -1;
    for (char *p = buf + 1; *p; p++) {
        if (*p != '/') continue;
        *p = 0;
        if (mkdir(buf, 0755) != 0 && errno != EEXIST) return -1;
        *p = '/';
    }
    if (mkdir(buf, 0755) != 0 && errno != EEXIST) return -1;
    return 0;
}

/* The folder part of @p path (a static buffer: tests only). */
static const char *dirname_of(const char *path) {
    static _Thread_local char dir[4200];
    snprintf(dir, sizeof dir, "%s", path);
    char *slash = strrchr(dir, '/');
    if (slash) *slash = 0;
    else snprintf(dir, sizeof dir, ".");
    return dir;
}

oclnn_disk_result oclnn_disk_cache_load(const oclnn_allocator *a, const char *dir, const char *key,
                                        unsigned char **bin, size_t *bin_len) {
    *bin = NULL;
    *bin_len = 0;
    char path[4200];
    oclnn_disk_cache_path(dir, key, path, sizeof path);
    FILE *f = fopen(path, "rb");
    if (!f) return OCLNN_DISK_MISS;
    oclnn_disk_result r = OCLNN_DISK_REJECTED;
    header h;
    size_t key_len = strlen(key);
    char *kbuf = NULL;
    unsigned char *data = NULL;
    struct stat sb;
    if (fstat(fileno(f), &sb) != 0 || fread(&h, sizeof h, 1, f) != 1) goto done;
    if (memcmp(h.magic, magic, sizeof magic) != 0 || h.version != OCLNN_CACHE_FORMAT_VERSION) goto done;
    if (h.key_len != key_len || h.bin_len == 0 ||
        (uint64_t)sb.st_size != sizeof h + (uint64_t)h.key_len + h.bin_len)
        goto done;
    kbuf = oclnn_malloc(a, key_len + 1);
    data = oclnn_malloc(a, (size_t)h.bin_len);
    if (!kbuf || !data) {
        r = OCLNN_DISK_MISS; /* out of memory is not the entry's fault: just build */
        goto done;
    }
    if (fread(kbuf, 1, key_len, f) != key_len || memcmp(kbuf, key, key_len) != 0) goto done;
    if (fread(data, 1, (size_t)h.bin_len, f) != h.bin_len) goto done;
    if (checksum(key, key_len, data, (size_t)h.bin_len) != h.checksum) goto done;
    *bin = data;
    *bin_len = (size_t)h.bin_len;
    data = NULL;
    r = OCLNN_DISK_HIT;
done:
    fclose(f);
    oclnn_free(a, kbuf);
    oclnn_free(a, data);
    return r;
}

oclnn_disk_result oclnn_disk_cache_read_file(const oclnn_allocator *a, const char *path, char **key,
                                             unsigned char **bin, size_t *bin_len) {
    *key = NULL;
    *bin = NULL;
    *bin_len = 0;
    FILE *f = fopen(path, "rb");
    if (!f) return OCLNN_DISK_MISS;
    header h;
    oclnn_disk_result r = OCLNN_DISK_REJECTED;
    if (fread(&h, sizeof h, 1, f) == 1 && memcmp(h.magic, magic, sizeof magic) == 0 && h.key_len < 65536) {
        char *k = oclnn_malloc(a, (size_t)h.key_len + 1);
        if (k && fread(k, 1, h.key_len, f) == h.key_len) {
            k[h.key_len] = 0;
            fclose(f);
            f = NULL;
            r = oclnn_disk_cache_load(a, dirname_of(path), k, bin, bin_len);
            /* the entry must also live under its key's name (load looked there) */
            if (r == OCLNN_DISK_HIT) *key = k, k = NULL;
        }
        oclnn_free(a, k);
    }
    if (f) fclose(f);
    return r;
}

static _Atomic unsigned tmp_counter;

/* Removes the temporary files of writers that died before their rename (killed, crashed): "<entry>.tmp.PID.N" whose
 * process no longer exists. Run at each store, which only follows a program build, so the scan is cheap by
 * comparison. */
static void remove_stale_tmp(const char *dir) {
    DIR *d = opendir(dir);
    if (!d) return;
    struct dirent *de;
    while ((de = readdir(d))) {
        const char *t = strstr(de->d_name, ".tmp.");
        if (!t) continue;
        char *end;
        long pid = strtol(t + 5, &end, 10);
        if (pid <= 0 || *end != '.' || pid == (long)getpid()) continue;
        if (kill((pid_t)pid, 0) == 0 || errno != ESRCH) continue; /* alive, or not ours to judge */
        char path[4200];
        if (snprintf(path, sizeof path, "%s/%s", dir, de->d_name) < (int)sizeof path) unlink(path);
    }
    closedir(d);
}

int oclnn_disk_cache_store(const char *dir, const char *key, const unsigned char *bin, size_t bin_len) {
    if (make_dirs(dir) != 0) return -1;
    remove_stale_tmp(dir);
    char path[4200], tmp[4300];
    oclnn_disk_cache_path(dir, key, path, sizeof path);
    /* pid + counter: unique among the processes and threads writing the same entry at once. */
    snprintf(tmp, sizeof tmp, "%s.tmp.%ld.%u", path, (long)getpid(), atomic_fetch_add(&tmp_counter, 1));
    int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL, 0644);
    if (fd < 0) return -1;
    FILE *f = fdopen(fd, "wb");
    if (!f) {
        close(fd);
        unlink(tmp);
        return -1;
    }
    size_t key_len = strlen(key);
    header h;
    memcpy(h.magic, magic, sizeof magic);
    h.version = OCLNN_CACHE_FORMAT_VERSION;
    h.key_len = (uint32_t)key_len;
    h.bin_len = bin_len;
    h.checksum = checksum(key, key_len, bin, bin_len);
    int ok = fwrite(&h, sizeof h, 1, f) == 1 && fwrite(key, 1, key_len, f) == key_len &&
             fwrite(bin, 1, bin_len, f) == bin_len;
    ok = (fclose(f) == 0) && ok;
    if (!ok || rename(tmp, path) != 0) {
        unlink(tmp);
        return -1;
    }
    return 0;
}
