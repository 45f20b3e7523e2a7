/* disk_cache.h - the on-disk program-binary cache (file format and atomic writes). */
#ifndef OCLNN_DISK_CACHE_H
#define OCLNN_DISK_CACHE_H

#include "program/program.h"

typedef enum oclnn_disk_result { OCLNN_DISK_HIT, OCLNN_DISK_MISS, OCLNN_DISK_REJECTED } oclnn_disk_result;

void oclnn_disk_cache_path(const char *dir, const char *key, char *path, size_t cap);
/* On a hit, *bin is allocated with @p a. */
oclnn_disk_result oclnn_disk_cache_load(const oclnn_allocator *a, const char *dir, const char *key,
                                        unsigned char **bin, size_t *bin_len);
/* Reads the entry file at @p path whatever its key (tests and tools): a HIT fills *key (NUL-terminated) and *bin,
 * both allocated with @p a, after the same checks as oclnn_disk_cache_load. */
oclnn_disk_result oclnn_disk_cache_read_file(const oclnn_allocator *a, const char *path, char **key,
                                             unsigned char **bin, size_t *bin_len);
/* 0 on success. Failure to write is never an error for the caller: the cache is an optimisation. */
int oclnn_disk_cache_store(const char *dir, const char *key, const unsigned char *bin, size_t bin_len);

#endif
