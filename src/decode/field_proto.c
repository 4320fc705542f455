/*
 * field_proto.c - what the field catalogue says beyond one row (see field.h): the protocols
 * its fields belong to (tshark's "P" rows), tshark's type names, and the did-you-mean
 * suggestion for a field name that is not in the catalogue.
 */
#include <string.h>

#include "decode/dissect.h"

/* tshark's protocol names and descriptions (tshark -G fields, 4.0). sll also covers SLL2
 * (tshark has one protocol for both); pppoe is the header both PPPoE stages share. */
static const struct field_proto protos[] = {
    {"frame", "Frame", P_FRAME},
    {"eth", "Ethernet", P_ETH},
    {"vlan", "802.1Q Virtual LAN", P_VLAN},
    {"ieee8021ad", "IEEE 802.1ad", P_VLAN},
    {"sll", "Linux cooked-mode capture", P_SLL},
    {"null", "Null/Loopback", P_NULL},
    {"raw", "Raw packet data", P_RAW},
    {"mpls", "MultiProtocol Label Switching Header", P_MPLS},
    {"pppoe", "PPP-over-Ethernet", P_NONE},
    {"pppoed", "PPP-over-Ethernet Discovery", P_PPPOED},
    {"pppoes", "PPP-over-Ethernet Session", P_PPPOES},
    {"ppp", "Point-to-Point Protocol", P_PPP},
    {"arp", "Address Resolution Protocol", P_ARP},
    {"ip", "Internet Protocol Version 4", P_IPV4},
    {"ipv6", "Internet Protocol Version 6", P_IPV6},
    {"ipv6.hopopts", "IPv6 Hop-by-Hop Option", P_NONE},
    {"ipv6.routing", "Routing Header for IPv6", P_NONE},
    {"ipv6.fraghdr", "Fragment Header for IPv6", P_NONE},
    {"ipv6.dstopts", "Destination Options for IPv6", P_NONE},
    {"ah", "Authentication Header", P_NONE},
    {"gre", "Generic Routing Encapsulation", P_GRE},
    {"erspan", "Encapsulated Remote Switch Packet ANalysis", P_ERSPAN},
    {"udp", "User Datagram Protocol", P_UDP},
    {"vxlan", "Virtual eXtensible Local Area Network", P_VXLAN},
    {"tcp", "Transmission Control Protocol", P_TCP},
    {"icmp", "Internet Control Message Protocol", P_ICMP},
    {"icmpv6", "Internet Control Message Protocol v6", P_ICMPV6},
    {"dns", "Domain Name System", P_DNS},
    {"dhcp", "Dynamic Host Configuration Protocol", P_DHCP},
    {"dhcpv6", "DHCPv6", P_DHCPV6},
    {"ntp", "Network Time Protocol", P_NTP},
    {"http", "Hypertext Transfer Protocol", P_HTTP},
    {"ssdp", "Simple Service Discovery Protocol", P_SSDP},
    {"quic", "QUIC IETF", P_QUIC},
    {"tls", "Transport Layer Security", P_TLS},
    {"data", "Data", P_DATA},
    /* capscope's own: not a tshark protocol (decode/process.h) */
    {"process", "Local process (capscope)", P_PROCESS},
};

static const char *const ftype_names[TFT_COUNT] = {
    [TFT_NONE] = "FT_NONE",
    [TFT_BOOLEAN] = "FT_BOOLEAN",
    [TFT_UINT8] = "FT_UINT8",
    [TFT_UINT16] = "FT_UINT16",
    [TFT_UINT24] = "FT_UINT24",
    [TFT_UINT32] = "FT_UINT32",
    [TFT_INT32] = "FT_INT32",
    [TFT_ETHER] = "FT_ETHER",
    [TFT_IPV4] = "FT_IPv4",
    [TFT_IPV6] = "FT_IPv6",
    [TFT_STRING] = "FT_STRING",
    [TFT_BYTES] = "FT_BYTES",
    [TFT_RELATIVE_TIME] = "FT_RELATIVE_TIME",
    [TFT_FRAMENUM] = "FT_FRAMENUM",
    [TFT_STRINGZ] = "FT_STRINGZ",
    [TFT_UINT64] = "FT_UINT64",
    [TFT_ABSOLUTE_TIME] = "FT_ABSOLUTE_TIME",
    [TFT_DOUBLE] = "FT_DOUBLE",
};

const struct field_proto *field_proto_at(size_t i)
{
	return i < sizeof protos / sizeof protos[0] ? &protos[i] : NULL;
}

const struct field_proto *field_proto_of(const char *field_name)
{
	const struct field_proto *best = NULL;

	for (size_t i = 0; i < sizeof protos / sizeof protos[0]; i++) {
		size_t n = strlen(protos[i].name);
		if (strncmp(field_name, protos[i].name, n) == 0 &&
		    (field_name[n] == '.' || field_name[n] == '\0') &&
		    (!best || n > strlen(best->name)))
			best = &protos[i];
	}
	return best;
}

const char *field_ftype_name(enum field_ftype t)
{
	return (unsigned)t < TFT_COUNT && ftype_names[t] ? ftype_names[t] : "FT_NONE";
}

/* Levenshtein distance of a[0..na) and b[0..nb), one row at a time; 99 past 62 bytes. */
static unsigned edit_distance(const char *a, size_t na, const char *b, size_t nb)
{
	unsigned row[64];

	if (na >= 63 || nb >= 63)
		return 99;
	for (size_t j = 0; j <= nb; j++)
		row[j] = (unsigned)j;
	for (size_t i = 1; i <= na; i++) {
		unsigned diag = row[0];
		row[0] = (unsigned)i;
		for (size_t j = 1; j <= nb; j++) {
			unsigned up = row[j], best = diag + (a[i - 1] != b[j - 1]);
			if (up + 1 < best)
				best = up + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			diag = up;
			row[j] = best;
		}
	}
	return row[nb];
}

/* A likely typo: one edit in a short name, two in a middling one, three in a long one. */
enum field_key field_key_suggest(const char *name, size_t n)
{
	unsigned best_d = n < 6 ? 1 : n < 12 ? 2 : 3;
	enum field_key found = K_NONE;

	for (unsigned k = K_NONE + 1; k < K_COUNT; k++) {
		const struct field_info *fi = field_key_info((enum field_key)k);
		unsigned d;
		if (!fi || (d = edit_distance(name, n, fi->name, strlen(fi->name))) > best_d)
			continue;
		if (found == K_NONE || d < best_d)
			found = (enum field_key)k;
		best_d = d;
	}
	return found;
}

const char *field_vtype_name(unsigned vtype)
{
	static const char *const names[] = {
	    [FV_NONE] = "a label",
	    [FV_PROTOCOL] = "a protocol",
	    [FV_UINT] = "an unsigned integer",
	    [FV_INT] = "a signed integer",
	    [FV_BOOL] = "a boolean",
	    [FV_MAC] = "a MAC address",
	    [FV_IPV4] = "an IPv4 address",
	    [FV_IPV6] = "an IPv6 address",
	    [FV_STRING] = "a string",
	    [FV_BYTES] = "a byte string",
	    [FV_TIME] = "an absolute time",
	    [FV_RELTIME] = "a relative time",
	};

	return vtype < sizeof names / sizeof names[0] && names[vtype] ? names[vtype] : "a value";
}
