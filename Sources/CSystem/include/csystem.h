/*
 * csystem.h — the few libc calls Swift cannot import directly (GNU extensions hidden behind
 * _GNU_SOURCE in glibc's headers). Each is wrapped exactly once here.
 */
#ifndef CTPERF_CSYSTEM_H
#define CTPERF_CSYSTEM_H

#include <spawn.h>

/* posix_spawn_file_actions_addclosefrom_np (glibc >= 2.34): the child closes every descriptor
 * >= lowfd before exec. Returns 0 or an errno value. */
int csystem_spawn_addclosefrom(posix_spawn_file_actions_t *actions, int lowfd);

#endif
