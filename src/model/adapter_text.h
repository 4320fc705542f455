/*
 * adapter_text.h - an adapter's facts as short text for the picker: flags, the first
 * address, one address with its netmask/broadcast/destination, a packet rate. Plain text
 * only (escape names and descriptions separately). Pure functions; any thread. The picker's
 * view draws it; it holds no curses and calls no libpcap itself beyond link-type names.
 */
#ifndef CAPSCOPE_ADAPTER_TEXT_H
#define CAPSCOPE_ADAPTER_TEXT_H

#include <stdbool.h>
#include <stddef.h>

#include "capture/adapter.h"

/* "up, running, loopback" or, brief, "up,run,loop"; "down" for none. Returns buf. */
const char *adapter_text_flags(unsigned flags, bool brief, char *buf, size_t n);
/* The number of IPv4 and IPv6 addresses (other families are not shown). */
size_t adapter_text_ip_count(const struct adapter *ad);
/* The k-th IPv4/IPv6 address, or NULL. */
const struct adapter_addr *adapter_text_ip(const struct adapter *ad, size_t k);
/* The first IPv4 address, else the first IPv6 one, else "-". */
const char *adapter_text_first(const struct adapter *ad, char *buf, size_t n);
/* "inet  10.0.0.1  netmask 255.255.255.0  broadcast 10.0.0.255". Returns buf. */
const char *adapter_text_addr(const struct adapter_addr *ad, char *buf, size_t n);
/* A link type's name ("EN10MB"), or `none` for a negative (unknown) one. */
const char *adapter_text_link(int dlt, const char *none);
/* "connected", "disconnected"... of the adapter's connection status. */
const char *adapter_text_conn(enum adapter_conn c);
/* "812", "12k", "3M"; "" for a negative (unknown) rate. Returns buf. */
const char *adapter_text_rate(double pps, char *buf, size_t n);

#endif
