/*
 * dns_int.h - what dns.c (header, questions, Info) and dns_rr.c (resource records) share;
 * internal to the DNS dissector.
 */
#ifndef CAPSCOPE_DNS_INT_H
#define CAPSCOPE_DNS_INT_H

#include "decode/dissector.h"

#define DNS_MAX_NAME 255

enum dns_name_status { NAME_OK, NAME_TRUNC, NAME_LOOP, NAME_LONG, NAME_LABEL };

struct dns_name {
	char text[DNS_MAX_NAME + 1];
	size_t len;
	unsigned labels;
};

/* One message being decoded: its window (pointers are offsets from its start), whether it
 * came on the mDNS port (the class's top bit is a flag there), and the Info line being built
 * (NULL for a quoted packet). */
struct dns_msg {
	struct cursor msg;
	uint16_t layer;
	bool mdns;
	struct sbuf *info;
};

/*
 * Reads the name at c's position; c ends after the name as stored in place (after the
 * first pointer). Pointers are followed in m->msg, bounded by a budget.
 */
enum dns_name_status dns_read_name(const struct cursor *msg, struct cursor *c, struct dns_name *n);
/* Marks a name that could not be read (truncated or invalid) at off; false for NAME_OK. */
bool dns_bad_name(struct dissection *d, const struct dns_msg *m, const struct cursor *c,
                  uint32_t off, enum dns_name_status st);
/* The name as an FT_STR field ("<Root>" for the root) */
void dns_name_field(struct dissection *d, uint32_t off, uint32_t len, const char *label,
                    enum field_key key, unsigned depth, const struct dns_name *n);
/* " " and the name, escaped, as tshark's Info shows it ("<Root>" for the root). */
void dns_info_name(struct sbuf *b, const struct dns_name *n);
/* " " and tshark's name of the type ("A", "Unknown (65280)"). */
void dns_info_type(struct sbuf *b, uint16_t type);

/* The class (FT_HEX "Class" as `key`); on mDNS its top bit is `bit`, the rest the class. */
void dns_class(struct dissection *d, const struct dns_msg *m, struct cursor *c, enum field_key key,
               enum field_key bit, const char *bit_label);

/* The answer, authority and additional sections: counts[i] records each, at most
 * DNS_MAX_RRS in all. Stops at the first record that cannot be read. */
void dns_records(struct dissection *d, struct dns_msg *m, struct cursor *c,
                 const uint16_t counts[3]);

#endif
