/*
 * privsep_files.h - the files a command names, opened by root before the drop (privsep.h's
 * privsep_file hands them out afterwards). Called by privsep_start.c only, before other
 * threads exist.
 */
#ifndef CAPSCOPE_PRIVSEP_FILES_H
#define CAPSCOPE_PRIVSEP_FILES_H

#include <stdbool.h>
#include <sys/types.h>

/* Opens read_path (-r) and write_path (-w: created if new and given to uid:gid), and each of
 * write_each (NULL, or a NULL-ended list: several -i write a pcap per source), when they are
 * regular files (or, for writing, new). Any may be NULL or "-". A file that cannot be opened
 * now is left to the command, which opens it as the user and reports the error. */
void files_preopen(const char *read_path, const char *write_path, const char *const *write_each,
                   uid_t uid, gid_t gid);

#endif
