/*
 * adapter.h - the list of capture adapters with their flags and every address.
 *
 * A snapshot taken by adapter_list_load() (pcap_findalldevs); it owns copies of all strings
 * and addresses, so it stays valid after libpcap's list is freed. Strings come from the
 * system and are untrusted: escape them before display.
 */
#ifndef CAPSCOPE_ADAPTER_H
#define CAPSCOPE_ADAPTER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum adapter_flag {
	AD_LOOPBACK = 1 << 0,
	AD_UP = 1 << 1,
	AD_RUNNING = 1 << 2,
	AD_WIRELESS = 1 << 3,
};

enum adapter_conn { AD_CONN_UNKNOWN, AD_CONN_CONNECTED, AD_CONN_DISCONNECTED, AD_CONN_NA };

struct adapter_addr {
	int family;       /* 4, 6, or 0 for another family */
	uint8_t addr[16]; /* IPv4 uses the first 4 bytes */
	bool has_netmask, has_broadcast, has_dest;
	uint8_t netmask[16], broadcast[16], dest[16];
};

struct adapter {
	char *name;
	char *description; /* NULL when the system gives none */
	unsigned flags;    /* enum adapter_flag */
	enum adapter_conn conn;
	int linktype; /* DLT_ value, or -1 if it could not be read without opening */
	struct adapter_addr *addrs;
	size_t naddrs;
};

struct adapter_list {
	struct adapter *v;
	size_t n;
};

/* Returns 0, or -1 with err filled (no permission: which capability or sudo; no driver). An
 * empty list is not an error here: the caller decides what to say. */
int adapter_list_load(struct adapter_list *l, char *err, size_t errlen);
void adapter_list_free(struct adapter_list *l);
/* Finds an adapter by name or by its 1-based number in the list (on Windows also by its
 * description, when unique); NULL if none. */
const struct adapter *adapter_find(const struct adapter_list *l, const char *name_or_number);
/* What names the adapter for a person, into out: on Windows its description (Npcap's names
 * are GUIDs, \Device\NPF_{...}); elsewhere nothing (returns false at once: the name is the
 * label). False too when the adapter is not listed or has no description. */
bool adapter_person_label(const char *name, char *out, size_t n);
/* Writes address text (IPv4 dotted quad or RFC 5952 IPv6) into buf. */
void adapter_addr_text(int family, const uint8_t *addr, char *buf, size_t n);
const char *adapter_conn_name(enum adapter_conn c);
/* The adapter's IPv4 netmask in network byte order, or 0 (PCAP_NETMASK_UNKNOWN is then
 * used for filters). */
uint32_t adapter_ipv4_netmask(const struct adapter *a);
/* Opens the adapter briefly (pcap_open_live, snaplen 64, timeout 1 ms) to read its link
 * type. Returns the DLT_ value, or -1 if it cannot be opened (no permission, gone). Slow
 * (one open per call) and needs capture rights: call it on demand, not for every adapter. */
int adapter_linktype(const char *name);

#endif
