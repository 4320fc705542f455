/*
 * names_dhcp.h - DHCP leases that name an address (for names.c only).
 *
 * A DHCP client sends its host name (option 12) or FQDN (option 81) in Discover and Request
 * from 0.0.0.0, before it has an address, so the name belongs to the client's hardware
 * address (chaddr), not to the packet's source. The server's ACK then gives that chaddr its
 * address (yiaddr): only then is "address = name" true. dhcp_leases remembers chaddr -> name
 * from Discover/Request (bounded, least recently used first out) and answers an ACK with the
 * address and name to learn. An ACK for a chaddr that sent no name teaches nothing.
 *
 * Owned by one struct names, on its owner's thread.
 */
#ifndef CAPSCOPE_NAMES_DHCP_H
#define CAPSCOPE_NAMES_DHCP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "decode/dissect.h"

#define DHCP_LEASES_MAX 64 /* clients remembered between their Request and the ACK */

struct dhcp_leases;

struct dhcp_leases *dhcp_leases_new(void);
void dhcp_leases_free(struct dhcp_leases *l);

/* Reads a DHCP message's fields (d with its full tree). A Discover or Request with a name
 * remembers it for its chaddr; a NAK forgets it; an ACK for a remembered chaddr returns true
 * with the leased address (addr, 4 bytes) and the name (*name, *n valid until the next call). */
bool dhcp_leases_learn(struct dhcp_leases *l, const struct dissection *d, uint8_t addr[4],
                       const char **name, size_t *n);

#endif
