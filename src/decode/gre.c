/*
 * gre.c - Generic Routing Encapsulation (IP protocol 47): RFC 2784 with RFC 2890's key and
 * sequence number, RFC 1701's routing field, and PPTP's enhanced GRE (version 1, RFC 2637).
 *
 *    0                   1                   2                   3
 *   +-+-+-+-+-+-----+-+---------+-----+-------------------------------+
 *   |C|R|K|S|s|Recur|A|  Flags  | Ver |         Protocol Type         |
 *   +-+-+-+-+-+-----+-+---------+-----+-------------------------------+
 *   |      Checksum (C or R)        |        Offset (C or R)        |
 *   +-------------------------------+-------------------------------+
 *   |      Key (K); version 1: payload length (16), call ID (16)    |
 *   +---------------------------------------------------------------+
 *   |                    Sequence Number (S)                        |
 *   +---------------------------------------------------------------+
 *   |          Acknowledgment Number (A, version 1 only)            |
 *   +---------------------------------------------------------------+
 *   |  Routing (R): entries up to one with address family 0 and length 0
 *
 * GRE has no length of its own: the payload is the rest of what IP declared (version 1 says
 * it). The protocol type is an ethertype: the types only GRE carries (PPP, ERSPAN) are in
 * gre_only below, the rest go through the ethertype table. ERSPAN type I is told from type
 * II by GRE's sequence number bit. Versions other than 0 and 1 are undefined and stop the
 * layer, as in tcpdump.
 */
#include "decode/dissector.h"

#define GRE_C       0x8000
#define GRE_R       0x4000
#define GRE_K       0x2000
#define GRE_S       0x1000
#define GRE_A       0x0080 /* acknowledgment present (version 1) */
#define GRE_VER     0x0007
#define GRE_MAX_SRE 16     /* routing entries walked before giving up (each is >= 4 bytes) */
#define GRE_ERSPAN  0x88be /* ERSPAN types I and II */

/* Protocol types that tshark, too, decodes only inside GRE. */
static const struct {
	uint16_t type;
	void (*fn)(struct dissection *d, struct cursor *c, uint32_t plen);
} gre_only[] = {
    {0x880b, ppp_dissect},
    {GRE_ERSPAN, erspan_dissect},
    {0x22eb, erspan_dissect}, /* ERSPAN type III */
};

/* What the summary needs from the optional fields. */
struct gre_hdr {
	uint16_t flags;
	uint16_t proto;
	uint32_t key;    /* version 1: the call ID */
	uint32_t paylen; /* version 1: the payload length field, else DISS_PLEN_UNKNOWN */
	uint32_t seq;
	uint32_t ack;
};

/* The sub-fields of the flags-and-version word, in tshark's order; the acknowledgment bit
 * exists in version 1 only, whose reserved flags are one bit fewer (gre_reserved). */
static const struct {
	uint16_t mask;
	uint8_t shift;
	bool v1_only;
	enum field_type type;
	enum field_key key;
	const char *label;
} gre_bits[] = {
    {GRE_C, 15, false, FT_BOOL, K_GRE_FLAGS_CHECKSUM, "Checksum bit"},
    {GRE_R, 14, false, FT_BOOL, K_GRE_FLAGS_ROUTING, "Routing bit"},
    {GRE_K, 13, false, FT_BOOL, K_GRE_FLAGS_KEY, "Key bit"},
    {GRE_S, 12, false, FT_BOOL, K_GRE_FLAGS_SEQUENCE_NUMBER, "Sequence number bit"},
    {0x0800, 11, false, FT_BOOL, K_GRE_FLAGS_STRICT_SOURCE_ROUTE, "Strict source route bit"},
    {0x0700, 8, false, FT_UINT, K_GRE_FLAGS_RECURSION_CONTROL, "Recursion control"},
    {GRE_A, 7, true, FT_BOOL, K_GRE_FLAGS_ACK, "Acknowledgment bit"},
    {0x00f8, 3, false, FT_UINT, K_GRE_FLAGS_RESERVED, "Flags (reserved)"},
    {0x0078, 3, true, FT_UINT, K_GRE_FLAGS_RESERVED, "Flags (reserved)"},
    {GRE_VER, 0, false, FT_UINT, K_GRE_FLAGS_VERSION, "Version"},
};

/* The flags-and-version word, its bits as sub-fields. */
static uint16_t gre_flags(struct dissection *d, struct cursor *c)
{
	uint32_t off = c->off;
	uint16_t w = (uint16_t)fld_hex(d, c, 2, 4, "Flags and version", K_GRE_FLAGS_AND_VERSION, 1);

	if (c->truncated)
		return 0;
	for (size_t i = 0; i < sizeof(gre_bits) / sizeof(gre_bits[0]); i++)
		if (gre_bits[i].key == K_GRE_FLAGS_RESERVED
		        ? gre_bits[i].v1_only == ((w & GRE_VER) == 1)
		        : !gre_bits[i].v1_only || (w & GRE_VER) == 1)
			fld_add(d, off, 2, gre_bits[i].label, gre_bits[i].key, gre_bits[i].type, 2,
			        (w & gre_bits[i].mask) >> gre_bits[i].shift);
	return w;
}

/* Checksum, key, sequence and acknowledgment numbers, each when its bit says so. */
static void gre_optional(struct dissection *d, struct cursor *c, struct gre_hdr *h)
{
	bool v1 = (h->flags & GRE_VER) == 1;

	if (h->flags & (GRE_C | GRE_R)) {
		fld_hex(d, c, 2, 4, "Checksum", K_GRE_CHECKSUM, 1);
		fld_u16(d, c, "Offset", K_GRE_OFFSET, 1);
	}
	if ((h->flags & GRE_K) && v1) {
		h->paylen = fld_u16(d, c, "Payload length", K_GRE_KEY_PAYLOAD_LENGTH, 1);
		h->key = fld_u16(d, c, "Call ID", K_GRE_CALL_ID, 1);
	} else if (h->flags & GRE_K) {
		h->key = fld_hex(d, c, 4, 8, "Key", K_GRE_KEY, 1);
	}
	if (h->flags & GRE_S)
		h->seq = fld_u32(d, c, "Sequence number", K_GRE_SEQUENCE_NUMBER, 1);
	if (v1 && (h->flags & GRE_A))
		h->ack = fld_u32(d, c, "Acknowledgment number", K_GRE_ACK_NUMBER, 1);
}

/* RFC 1701 routing: entries of family (2), offset (1), length (1) and that many bytes, up to
 * one with family 0 and length 0. Returns false after marking the layer. */
static bool gre_routing(struct dissection *d, struct cursor *c, uint16_t layer)
{
	for (int n = 0; n < GRE_MAX_SRE; n++) {
		uint32_t off = c->off;
		uint16_t af = cur_be16(c);
		uint8_t len;

		cur_u8(c); /* SRE offset */
		len = cur_u8(c);
		if (!cur_skip(c, len)) {
			diss_trunc(d, layer, c);
			return false;
		}
		fld_add(d, off, 4u + len, "Source route entry", K_GRE_ROUTING_ADDRESS_FAMILY,
		        FT_UINT, 1, af);
		if (af == 0 && len == 0)
			return true;
	}
	diss_invalid(d, layer, c->off, 0, "Too many source route entries", "gre.sre_count",
	             GRE_MAX_SRE + 1);
	return false;
}

/* After tcpdump: "GREv0, proto 0x0800, key 0x000003e8, seq 5, length 88". */
static void gre_summary(struct dissection *d, const struct gre_hdr *h, uint32_t plen)
{
	bool v1 = (h->flags & GRE_VER) == 1;
	struct sbuf b;

	if (!sum_begin(d, P_GRE))
		return;
	b = sum_info(d);
	sb_str(&b, v1 ? "GREv1" : "GREv0");
	sb_str(&b, ", proto ");
	sb_hex(&b, h->proto, 4);
	if ((h->flags & GRE_K) && v1) {
		sb_str(&b, ", call ");
		sb_u32(&b, h->key);
	} else if (h->flags & GRE_K) {
		sb_str(&b, ", key ");
		sb_hex(&b, h->key, 8);
	}
	if (h->flags & GRE_S) {
		sb_str(&b, ", seq ");
		sb_u32(&b, h->seq);
	}
	if (v1 && (h->flags & GRE_A)) {
		sb_str(&b, ", ack ");
		sb_u32(&b, h->ack);
	}
	if (plen != DISS_PLEN_UNKNOWN) {
		sb_str(&b, ", length ");
		sb_u32(&b, plen);
	}
}

/* The payload's declared length: version 1 says it (0 in an acknowledgment alone); version
 * 0 has the rest of what IP declared. */
static uint32_t gre_paylen(const struct gre_hdr *h, uint32_t plen, uint32_t hdr)
{
	return h->paylen != DISS_PLEN_UNKNOWN ? h->paylen : diss_plen_after(plen, hdr);
}

static void gre_payload(struct dissection *d, struct cursor *pay, const struct gre_hdr *h,
                        uint32_t len)
{
	if (h->proto == GRE_ERSPAN && !(h->flags & GRE_S)) {
		erspan_i_dissect(d, pay, len);
		return;
	}
	for (size_t i = 0; i < sizeof(gre_only) / sizeof(gre_only[0]); i++) {
		if (gre_only[i].type == h->proto) {
			gre_only[i].fn(d, pay, len);
			return;
		}
	}
	diss_ethertype(d, pay, h->proto, len);
}

void gre_dissect(struct dissection *d, struct cursor *c, uint32_t plen)
{
	uint16_t layer = diss_layer(d, c, P_GRE);
	struct gre_hdr h = {.paylen = DISS_PLEN_UNKNOWN};
	uint32_t start = c->off, len;
	struct cursor pay;

	h.flags = gre_flags(d, c);
	h.proto = (uint16_t)fld_hex(d, c, 2, 4, "Protocol type", K_GRE_PROTO, 1);
	if (!c->truncated && (h.flags & GRE_VER) > 1) {
		diss_invalid(d, layer, start, 2, "Unknown version", "gre.version",
		             h.flags & GRE_VER);
		return;
	}
	gre_optional(d, c, &h);
	if (c->truncated) {
		diss_trunc(d, layer, c);
		return;
	}
	if ((h.flags & GRE_R) && !gre_routing(d, c, layer))
		return;
	diss_layer_end(d, layer, c);
	gre_summary(d, &h, plen);
	len = gre_paylen(&h, plen, c->off - start);
	if (len == 0)
		return;
	pay = len == DISS_PLEN_UNKNOWN ? cur_rest(c) : diss_window(c, len);
	gre_payload(d, &pay, &h, len);
}
