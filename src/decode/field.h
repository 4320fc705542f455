/*
 * field.h - the decoded field tree of one packet.
 *
 * A dissection is a flat array of fields in reading order; `depth` makes it a tree
 * (a layer is depth 0, its fields depth 1, sub-fields such as TCP flag bits depth 2).
 * Every field records the byte range it was read from, so the hex pane can highlight
 * [off, off+len) with no protocol knowledge. Values that live in the packet (addresses,
 * raw bytes) are not copied: they are read from data+off when formatted. Text built while
 * decoding (DNS names, reasons) lives in the dissection's text arena.
 *
 * A dissection is owned by one thread; it is plain memory (no allocation) and can be reused
 * for the next packet by calling dissect() again.
 */
#ifndef CAPSCOPE_FIELD_H
#define CAPSCOPE_FIELD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Keys of the fields that have a tshark name: display filters, field output, --json and the
 * cross-check. The catalogue below gives each its name, type and description. */
enum field_key {
	K_NONE = 0,
	K_ETH_DST,
	K_ETH_SRC,
	K_ETH_TYPE,
	K_VLAN_ID,
	K_MPLS_LABEL,
	K_MPLS_EXP,
	K_MPLS_BOTTOM,
	K_MPLS_TTL,
	K_PPPOE_CODE,
	K_PPPOE_SESSION_ID,
	K_PPPOE_PAYLOAD_LENGTH,
	K_PPP_PROTOCOL,
	K_ARP_OPCODE,
	K_IP_SRC,
	K_IP_DST,
	K_IP_PROTO,
	K_IP_TTL,
	K_IP_LEN,
	K_IP_FRAG_OFFSET,
	K_IPV6_SRC,
	K_IPV6_DST,
	K_IPV6_NXT,
	K_GRE_FLAGS_AND_VERSION,
	K_GRE_PROTO,
	K_GRE_KEY,
	K_GRE_CALL_ID,
	K_GRE_SEQUENCE_NUMBER,
	K_GRE_ACK_NUMBER,
	K_ERSPAN_VERSION,
	K_ERSPAN_VLAN,
	K_ERSPAN_SPANID,
	K_UDP_SRCPORT,
	K_UDP_DSTPORT,
	K_UDP_LENGTH,
	K_VXLAN_FLAGS,
	K_VXLAN_VNI,
	K_TCP_SRCPORT,
	K_TCP_DSTPORT,
	K_TCP_FLAGS,
	K_TCP_SEQ_RAW,
	K_TCP_ACK_RAW,
	K_ICMP_TYPE,
	K_ICMP_CODE,
	K_ICMPV6_TYPE,
	K_ICMPV6_CODE,
	K_DNS_ID,
	K_DNS_QRY_NAME,
	K_DNS_QRY_TYPE,
	/* frame.*: from struct frame_meta, never in the tree */
	K_FRAME_NUMBER,
	K_FRAME_TIME_EPOCH,
	K_FRAME_TIME_RELATIVE,
	K_FRAME_TIME_DELTA,
	K_FRAME_LEN,
	K_FRAME_CAP_LEN,
	/* aliases: stand for their members (struct field_info), never in the tree */
	K_ETH_ADDR,
	K_IP_ADDR,
	K_IPV6_ADDR,
	K_UDP_PORT,
	K_TCP_PORT,
	K_COUNT
};

/* The tshark field name of a key ("ip.src"), or NULL for K_NONE. */
const char *field_key_name(enum field_key k);

enum field_type {
	FT_LAYER, /* a protocol layer node; value unused */
	FT_TEXT,  /* a label only (e.g. "[|udp]", "Options"); value unused */
	FT_UINT,  /* decimal unsigned integer in `u` */
	FT_HEX,   /* hexadecimal integer in `u`, printed with `width` digits: 0x0800 */
	FT_BOOL,  /* a flag bit, `u` 0 or 1 */
	FT_MAC,   /* 6 bytes at data+off */
	FT_IPV4,  /* 4 bytes at data+off */
	FT_IPV6,  /* 16 bytes at data+off */
	FT_BYTES, /* len bytes at data+off, shown as hex */
	FT_STR,   /* arena text at text+u (NUL-terminated; untrusted: escape before display) */
};

enum field_flags {
	FF_TRUNCATED = 1, /* this layer/field ran past caplen */
	FF_INVALID = 2,   /* a value contradicts the spec or another field */
};

struct field {
	uint32_t off;      /* first byte in the packet */
	uint32_t len;      /* number of bytes (0 for synthetic nodes) */
	uint64_t u;        /* integer value, or arena offset for FT_STR */
	const char *label; /* static string: "Source port" */
	uint16_t key;      /* enum field_key */
	uint8_t type;      /* enum field_type */
	uint8_t depth;     /* 0 = layer */
	uint8_t flags;     /* enum field_flags */
	uint8_t width;     /* FT_HEX: number of hex digits */
	uint16_t proto;    /* enum proto of the layer this field belongs to */
};

/*
 * The field catalogue (field_info.c): every field a display filter, `-T fields -e` and
 * `--list-fields` can name, with tshark's name, description and value type. Display filters
 * and field output look names up here; nothing else knows field names.
 */
enum field_vtype {
	FV_NONE = 0, /* a label without a value */
	FV_PROTOCOL, /* a protocol ("dns"): present or not */
	FV_UINT,     /* unsigned integer (also FT_HEX fields: tshark's FT_UINTn with BASE_HEX) */
	FV_INT,      /* signed integer */
	FV_BOOL,     /* a flag */
	FV_MAC,      /* Ethernet address */
	FV_IPV4,
	FV_IPV6,
	FV_STRING,
	FV_BYTES,
	FV_TIME,    /* absolute time (frame.time_epoch) */
	FV_RELTIME, /* time difference in seconds (frame.time_relative, tcp.ack_rtt) */
};

#define FIELD_MAX_MEMBERS 2

struct field_info {
	const char *name; /* tshark's name: "ip.src" */
	const char *desc; /* tshark's description (tshark -G fields): "Source Address" */
	uint8_t vtype;    /* enum field_vtype */
	/* An alias (ip.addr, tcp.port, eth.addr) has no fields of its own: it stands for every
	 * occurrence of its members, in tree order, as tshark's hidden ip.addr fields do. */
	uint8_t nmembers;
	uint16_t members[FIELD_MAX_MEMBERS]; /* enum field_key */
};

/* The catalogue row of k, or NULL for K_NONE and out-of-range keys. */
const struct field_info *field_key_info(enum field_key k);
/* The key named name[0..n) exactly (case-sensitive, as tshark), or K_NONE. */
enum field_key field_key_lookup(const char *name, size_t n);

/*
 * Per-packet facts that are not in the packet's bytes: tshark's frame.* fields. The
 * reader fills one per packet (numbers count from 1, as frame.number does) and hands it to
 * display filters and field output beside the dissection.
 */
struct frame_meta {
	uint64_t number; /* frame.number */
	int64_t ts_sec;  /* frame.time_epoch */
	uint32_t ts_nsec;
	int64_t rel_nsec;   /* frame.time_relative: since the first packet */
	int64_t delta_nsec; /* frame.time_delta: since the previous captured packet */
	uint32_t len;       /* frame.len */
	uint32_t caplen;    /* frame.cap_len */
	int tsprec;         /* 6 or 9: digits the capture really has */
};

#endif

struct dissection;

/*
 * Writes a field's value as text into buf (always NUL-terminated, cut to n-1 bytes) and
 * returns its length. Formats follow tshark's `-T fields` output so --json can be compared
 * with it: FT_UINT decimal ("17"), FT_HEX "0x" + width digits ("0x0800"), FT_MAC lowercase
 * with colons, FT_IPV4 dotted quad, FT_IPV6 RFC 5952, FT_BOOL "1"/"0", FT_BYTES hex pairs
 * with colons, FT_STR the arena text with control and non-ASCII bytes escaped as \xNN.
 * FT_LAYER and FT_TEXT give "".
 */
size_t field_value_text(const struct dissection *d, const struct field *f, char *buf, size_t n);
