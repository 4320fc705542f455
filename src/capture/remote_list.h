/*
 * remote_list.h - a remote host's adapters (capscope -D ssh://host, the picker's "remote
 * host" entry): the far side runs its capscope -D (text), else `tcpdump -D` then `ip -o addr
 * show` (remote_list_cmd in remote_cmd.h), and remote_list_parse() reads either output into
 * an adapter list. The output
 * is hostile (the far side writes it): every line and field is bounded, and the names and
 * descriptions kept are only ever shown escaped.
 * remote_list_parse is pure (any thread); remote_adapters_load runs ssh (posix/remote_fetch.c;
 * win32/source_ssh_none.c: not available), blocking up to the start timeout.
 */
#ifndef CAPSCOPE_REMOTE_LIST_H
#define CAPSCOPE_REMOTE_LIST_H

#include <stdbool.h>
#include <stddef.h>

#include "capture/adapter.h"

#define REMOTE_LIST_MAX_ADAPTERS 1024
#define REMOTE_LIST_MAX_ADDRS    64 /* per adapter */
#define REMOTE_LIST_MAX_BYTES    (256u << 10)

/* Parses text[0..n) into l (empty first). Link types are unknown (-1 is the caller's). Returns
 * 0, or -1 when out of memory (l is then empty). */
int remote_list_parse(const char *text, size_t n, struct adapter_list *l);
/* Lists the adapters of host_url (ssh://[user@]host[:port]). Returns 0, or -1 with one line
 * in err (what ssh or the far side said). */
int remote_adapters_load(const char *host_url, bool sudo, struct adapter_list *l, char *err,
                         size_t n);

#endif
