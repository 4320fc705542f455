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
 * cross-check. The catalogue below gives each its name, type and description. Keys of one
 * protocol are listed in the order its dissector adds them (--json prints in key order). */
enum field_key {
	K_NONE = 0,
	K_ETH_DST,
	K_ETH_DST_LG,
	K_ETH_DST_IG,
	K_ETH_SRC,
	K_ETH_SRC_LG,
	K_ETH_SRC_IG,
	K_ETH_TYPE,
	K_ETH_LEN,
	K_VLAN_PRIORITY,
	K_VLAN_DEI,
	K_VLAN_ID,
	K_VLAN_ETYPE,
	K_IEEE8021AD_PRIORITY,
	K_IEEE8021AD_DEI,
	K_IEEE8021AD_ID,
	K_SLL_PKTTYPE,
	K_SLL_HATYPE,
	K_SLL_HALEN,
	K_SLL_SRC_ETH,
	K_SLL_SRC_OTHER,
	K_SLL_UNUSED,
	K_SLL_ETYPE,
	K_SLL_GRETYPE,
	K_SLL_IFINDEX,
	K_NULL_FAMILY,
	K_NULL_TYPE,
	K_MPLS_LABEL,
	K_MPLS_EXP,
	K_MPLS_BOTTOM,
	K_MPLS_TTL,
	K_PPPOE_VERSION,
	K_PPPOE_TYPE,
	K_PPPOE_CODE,
	K_PPPOE_SESSION_ID,
	K_PPPOE_PAYLOAD_LENGTH,
	K_PPP_ADDRESS,
	K_PPP_CONTROL,
	K_PPP_PROTOCOL,
	K_ARP_HW_TYPE,
	K_ARP_PROTO_TYPE,
	K_ARP_HW_SIZE,
	K_ARP_PROTO_SIZE,
	K_ARP_OPCODE,
	K_ARP_SRC_HW_MAC,
	K_ARP_SRC_HW,
	K_ARP_SRC_PROTO_IPV4,
	K_ARP_SRC_PROTO,
	K_ARP_DST_HW_MAC,
	K_ARP_DST_HW,
	K_ARP_DST_PROTO_IPV4,
	K_ARP_DST_PROTO,
	K_IP_VERSION,
	K_IP_HDR_LEN,
	K_IP_DSFIELD,
	K_IP_DSFIELD_DSCP,
	K_IP_DSFIELD_ECN,
	K_IP_LEN,
	K_IP_ID,
	K_IP_FLAGS,
	K_IP_FLAGS_RB,
	K_IP_FLAGS_DF,
	K_IP_FLAGS_MF,
	K_IP_FRAG_OFFSET,
	K_IP_TTL,
	K_IP_PROTO,
	K_IP_CHECKSUM,
	K_IP_SRC,
	K_IP_DST,
	K_IP_OPT_TYPE,
	K_IP_OPT_LEN,
	K_IPV6_VERSION,
	K_IPV6_TCLASS,
	K_IPV6_TCLASS_DSCP,
	K_IPV6_TCLASS_ECN,
	K_IPV6_FLOW,
	K_IPV6_PLEN,
	K_IPV6_NXT,
	K_IPV6_HLIM,
	K_IPV6_SRC,
	K_IPV6_DST,
	K_IPV6_HOPOPTS_NXT,
	K_IPV6_HOPOPTS_LEN,
	K_IPV6_HOPOPTS_LEN_OCT,
	K_IPV6_ROUTING_NXT,
	K_IPV6_ROUTING_LEN,
	K_IPV6_ROUTING_LEN_OCT,
	K_IPV6_ROUTING_TYPE,
	K_IPV6_ROUTING_SEGLEFT,
	K_IPV6_FRAGHDR_NXT,
	K_IPV6_FRAGHDR_RESERVED_OCTET,
	K_IPV6_FRAGHDR_OFFSET,
	K_IPV6_FRAGHDR_RESERVED_BITS,
	K_IPV6_FRAGHDR_MORE,
	K_IPV6_FRAGHDR_IDENT,
	K_IPV6_DSTOPTS_NXT,
	K_IPV6_DSTOPTS_LEN,
	K_IPV6_DSTOPTS_LEN_OCT,
	K_AH_NEXT_HEADER,
	K_AH_LENGTH,
	K_GRE_FLAGS_AND_VERSION,
	K_GRE_FLAGS_CHECKSUM,
	K_GRE_FLAGS_ROUTING,
	K_GRE_FLAGS_KEY,
	K_GRE_FLAGS_SEQUENCE_NUMBER,
	K_GRE_FLAGS_STRICT_SOURCE_ROUTE,
	K_GRE_FLAGS_RECURSION_CONTROL,
	K_GRE_FLAGS_ACK,
	K_GRE_FLAGS_RESERVED,
	K_GRE_FLAGS_VERSION,
	K_GRE_PROTO,
	K_GRE_CHECKSUM,
	K_GRE_OFFSET,
	K_GRE_KEY,
	K_GRE_KEY_PAYLOAD_LENGTH,
	K_GRE_CALL_ID,
	K_GRE_SEQUENCE_NUMBER,
	K_GRE_ACK_NUMBER,
	K_GRE_ROUTING_ADDRESS_FAMILY,
	K_ERSPAN_VERSION,
	K_ERSPAN_VLAN,
	K_ERSPAN_COS,
	K_ERSPAN_TRUNCATED,
	K_ERSPAN_SPANID,
	K_ERSPAN_INDEX,
	K_ERSPAN_TIMESTAMP,
	K_ERSPAN_SGT,
	K_ERSPAN_FT,
	K_ERSPAN_HW,
	K_ERSPAN_DIRECTION,
	K_ERSPAN_O,
	K_UDP_SRCPORT,
	K_UDP_DSTPORT,
	K_UDP_LENGTH,
	K_UDP_CHECKSUM,
	K_UDP_PAYLOAD,
	K_UDP_STREAM, /* udp.stream and the tcp.* keys after K_TCP_PAYLOAD: decode/stream.h */
	K_VXLAN_FLAGS,
	K_VXLAN_FLAG_I,
	K_VXLAN_VNI,
	K_VXLAN_RESERVED8,
	K_TCP_SRCPORT,
	K_TCP_DSTPORT,
	K_TCP_SEQ_RAW,
	K_TCP_ACK_RAW,
	K_TCP_HDR_LEN,
	K_TCP_FLAGS,
	K_TCP_FLAGS_RES,
	K_TCP_FLAGS_AE,
	K_TCP_FLAGS_CWR,
	K_TCP_FLAGS_ECE,
	K_TCP_FLAGS_URG,
	K_TCP_FLAGS_ACK,
	K_TCP_FLAGS_PUSH,
	K_TCP_FLAGS_RESET,
	K_TCP_FLAGS_SYN,
	K_TCP_FLAGS_FIN,
	K_TCP_WINDOW_SIZE_VALUE,
	K_TCP_CHECKSUM,
	K_TCP_URGENT_POINTER,
	K_TCP_LEN,
	K_TCP_OPTIONS,
	K_TCP_OPTION_KIND,
	K_TCP_OPTION_LEN,
	K_TCP_OPTIONS_MSS_VAL,
	K_TCP_OPTIONS_WSCALE_SHIFT,
	K_TCP_OPTIONS_WSCALE_MULTIPLIER,
	K_TCP_OPTIONS_TIMESTAMP_TSVAL,
	K_TCP_OPTIONS_TIMESTAMP_TSECR,
	K_TCP_PAYLOAD,
	K_TCP_STREAM,
	K_TCP_SEQ,
	K_TCP_NXTSEQ,
	K_TCP_ACK,
	K_TCP_WINDOW_SIZE,
	K_TCP_TIME_RELATIVE,
	K_TCP_TIME_DELTA,
	K_TCP_ANALYSIS,
	K_TCP_ANALYSIS_ACKS_FRAME,
	K_TCP_ANALYSIS_ACK_RTT,
	K_TCP_ANALYSIS_INITIAL_RTT,
	K_TCP_ANALYSIS_BYTES_IN_FLIGHT,
	K_TCP_ANALYSIS_FLAGS,
	K_TCP_ANALYSIS_RETRANSMISSION,
	K_TCP_ANALYSIS_FAST_RETRANSMISSION,
	K_TCP_ANALYSIS_SPURIOUS_RETRANSMISSION,
	K_TCP_ANALYSIS_OUT_OF_ORDER,
	K_TCP_ANALYSIS_LOST_SEGMENT,
	K_TCP_ANALYSIS_ACK_LOST_SEGMENT,
	K_TCP_ANALYSIS_WINDOW_UPDATE,
	K_TCP_ANALYSIS_WINDOW_FULL,
	K_TCP_ANALYSIS_KEEP_ALIVE,
	K_TCP_ANALYSIS_KEEP_ALIVE_ACK,
	K_TCP_ANALYSIS_DUPLICATE_ACK,
	K_TCP_ANALYSIS_DUPLICATE_ACK_NUM,
	K_TCP_ANALYSIS_DUPLICATE_ACK_FRAME,
	K_TCP_ANALYSIS_ZERO_WINDOW_PROBE,
	K_TCP_ANALYSIS_ZERO_WINDOW,
	K_TCP_ANALYSIS_ZERO_WINDOW_PROBE_ACK,
	K_TCP_ANALYSIS_REUSED_PORTS,
	K_ICMP_TYPE,
	K_ICMP_CODE,
	K_ICMP_CHECKSUM,
	K_ICMP_IDENT,
	K_ICMP_IDENT_LE,
	K_ICMP_SEQ,
	K_ICMP_SEQ_LE,
	/* echo request/reply matching (decode/echo_match.c), synthetic like tcp.analysis */
	K_ICMP_RESP_IN,
	K_ICMP_RESP_TO,
	K_ICMP_RESPTIME,
	K_ICMP_NO_RESP,
	K_ICMPV6_TYPE,
	K_ICMPV6_CODE,
	K_ICMPV6_CHECKSUM,
	K_ICMPV6_ECHO_IDENTIFIER,
	K_ICMPV6_ECHO_SEQUENCE_NUMBER,
	K_ICMPV6_RESP_IN,
	K_ICMPV6_RESP_TO,
	K_ICMPV6_RESPTIME,
	K_ICMPV6_NO_RESP,
	K_ICMPV6_MTU,
	K_ICMPV6_POINTER,
	K_ICMPV6_RESERVED,
	K_ICMPV6_ND_NA_FLAG,
	K_ICMPV6_ND_NS_TARGET_ADDRESS,
	K_ICMPV6_ND_NA_TARGET_ADDRESS,
	K_ICMPV6_ND_RD_TARGET_ADDRESS,
	K_DNS_LENGTH,
	K_DNS_ID,
	K_DNS_FLAGS,
	K_DNS_FLAGS_RESPONSE,
	K_DNS_FLAGS_OPCODE,
	K_DNS_FLAGS_AUTHORITATIVE,
	K_DNS_FLAGS_TRUNCATED,
	K_DNS_FLAGS_RECDESIRED,
	K_DNS_FLAGS_RECAVAIL,
	K_DNS_FLAGS_Z,
	K_DNS_FLAGS_AUTHENTICATED,
	K_DNS_FLAGS_CHECKDISABLE,
	K_DNS_FLAGS_RCODE,
	K_DNS_COUNT_QUERIES,
	K_DNS_COUNT_ANSWERS,
	K_DNS_COUNT_AUTH_RR,
	K_DNS_COUNT_ADD_RR,
	K_DNS_QRY_NAME,
	K_DNS_QRY_NAME_LEN,
	K_DNS_COUNT_LABELS,
	K_DNS_QRY_TYPE,
	K_DNS_QRY_CLASS,
	K_DHCP_TYPE,
	K_DHCP_HW_TYPE,
	K_DHCP_HW_LEN,
	K_DHCP_HOPS,
	K_DHCP_ID,
	K_DHCP_SECS,
	K_DHCP_FLAGS,
	K_DHCP_FLAGS_BC,
	K_DHCP_FLAGS_RESERVED,
	K_DHCP_IP_CLIENT,
	K_DHCP_IP_YOUR,
	K_DHCP_IP_SERVER,
	K_DHCP_IP_RELAY,
	K_DHCP_HW_MAC_ADDR,
	K_DHCP_HW_ADDR,
	K_DHCP_HW_ADDR_PADDING,
	K_DHCP_SERVER,
	K_DHCP_FILE,
	K_DHCP_COOKIE,
	K_DHCP_OPTION_TYPE,
	K_DHCP_OPTION_LENGTH,
	K_DHCP_OPTION_PADDING,
	K_DHCP_OPTION_END,
	K_DHCP_OPTION_SUBNET_MASK,
	K_DHCP_OPTION_ROUTER,
	K_DHCP_OPTION_DOMAIN_NAME_SERVER,
	K_DHCP_OPTION_HOSTNAME, /* option 12: names.c may read a host's name from it */
	K_DHCP_OPTION_DOMAIN_NAME,
	K_DHCP_OPTION_BROADCAST_ADDRESS,
	K_DHCP_OPTION_REQUESTED_IP_ADDRESS,
	K_DHCP_OPTION_IP_ADDRESS_LEASE_TIME,
	K_DHCP_OPTION_DHCP,
	K_DHCP_OPTION_DHCP_SERVER_ID,
	K_DHCP_OPTION_REQUEST_LIST_ITEM,
	K_DHCP_OPTION_RENEWAL_TIME_VALUE,
	K_DHCP_OPTION_REBINDING_TIME_VALUE,
	K_DHCP_FQDN_FLAGS,
	K_DHCP_FQDN_MBZ,
	K_DHCP_FQDN_N,
	K_DHCP_FQDN_E,
	K_DHCP_FQDN_O,
	K_DHCP_FQDN_S,
	K_DHCP_FQDN_RCODE1,
	K_DHCP_FQDN_RCODE2,
	K_DHCP_FQDN_NAME, /* option 81: names.c names a leased address from it */
	K_DHCPV6_MSGTYPE,
	K_DHCPV6_HOPCOUNT,
	K_DHCPV6_LINKADDR,
	K_DHCPV6_PEERADDR,
	K_DHCPV6_XID,
	K_DHCPV6_OPTION_TYPE,
	K_DHCPV6_OPTION_LENGTH,
	K_DHCPV6_DUID_BYTES,
	K_DHCPV6_DUID_TYPE,
	K_DHCPV6_DUIDLLT_HWTYPE,
	K_DHCPV6_DUIDLLT_TIME,
	K_DHCPV6_DUIDLLT_LINK_LAYER_ADDR,
	K_DHCPV6_DUIDLL_HWTYPE,
	K_DHCPV6_DUIDLL_LINK_LAYER_ADDR,
	K_DHCPV6_IAID,
	K_DHCPV6_IAID_T1,
	K_DHCPV6_IAID_T2,
	K_DHCPV6_IAADDR_IP,
	K_DHCPV6_IAADDR_PREF_LIFETIME,
	K_DHCPV6_IAADDR_VALID_LIFETIME,
	K_DHCPV6_REQUESTED_OPTION_CODE,
	K_DHCPV6_ELAPSED_TIME,
	K_NTP_FLAGS,
	K_NTP_FLAGS_LI,
	K_NTP_FLAGS_VN,
	K_NTP_FLAGS_MODE,
	K_NTP_STRATUM,
	K_NTP_PPOLL,
	K_NTP_PRECISION,
	K_NTP_ROOTDELAY,
	K_NTP_ROOTDISPERSION,
	K_NTP_REFID,
	K_NTP_REFTIME,
	K_NTP_ORG,
	K_NTP_REC,
	K_NTP_XMT,
	K_HTTP_REQUEST,
	K_HTTP_RESPONSE,
	K_HTTP_REQUEST_METHOD,
	K_HTTP_REQUEST_URI,
	K_HTTP_REQUEST_VERSION,
	K_HTTP_RESPONSE_VERSION,
	K_HTTP_RESPONSE_CODE,
	K_HTTP_RESPONSE_PHRASE,
	K_HTTP_REQUEST_LINE,
	K_HTTP_RESPONSE_LINE,
	K_HTTP_HOST,
	K_HTTP_USER_AGENT,
	K_HTTP_CONTENT_TYPE,
	K_HTTP_CONTENT_LENGTH_HEADER,
	K_HTTP_CONTENT_LENGTH,
	K_HTTP_CHUNK_SIZE,
	K_HTTP_CHUNK_DATA,
	K_HTTP_CHUNK_BOUNDARY,
	K_HTTP_CHUNKED_TRAILER_PART,
	K_QUIC_PACKET_LENGTH,
	K_QUIC_HEADER_FORM,
	K_QUIC_VN_UNUSED,
	K_QUIC_FIXED_BIT,
	K_QUIC_SPIN_BIT,
	K_QUIC_LONG_PACKET_TYPE,
	K_QUIC_LONG_PACKET_TYPE_V2,
	K_QUIC_LONG_RESERVED,
	K_QUIC_PACKET_NUMBER_LENGTH,
	K_QUIC_VERSION,
	K_QUIC_DCIL,
	K_QUIC_DCID,
	K_QUIC_SCIL,
	K_QUIC_SCID,
	K_QUIC_SUPPORTED_VERSION,
	K_QUIC_TOKEN_LENGTH,
	K_QUIC_TOKEN,
	K_QUIC_LENGTH,
	K_QUIC_PACKET_NUMBER,
	K_QUIC_PAYLOAD,
	K_QUIC_REMAINING_PAYLOAD,
	K_QUIC_RETRY_TOKEN,
	K_QUIC_RETRY_INTEGRITY_TAG,
	K_QUIC_DECRYPTION_FAILED,
	K_QUIC_FRAME_TYPE,
	K_QUIC_PADDING_LENGTH,
	K_QUIC_ACK_LARGEST_ACKNOWLEDGED,
	K_QUIC_ACK_ACK_DELAY,
	K_QUIC_ACK_ACK_RANGE_COUNT,
	K_QUIC_ACK_FIRST_ACK_RANGE,
	K_QUIC_ACK_GAP,
	K_QUIC_ACK_ACK_RANGE,
	K_QUIC_ACK_ECT0_COUNT,
	K_QUIC_ACK_ECT1_COUNT,
	K_QUIC_ACK_ECN_CE_COUNT,
	K_QUIC_CRYPTO_OFFSET,
	K_QUIC_CRYPTO_LENGTH,
	K_QUIC_CC_ERROR_CODE,
	K_QUIC_CC_ERROR_CODE_APP,
	K_QUIC_CC_FRAME_TYPE,
	K_QUIC_CC_REASON_PHRASE_LENGTH,
	K_QUIC_CC_REASON_PHRASE,
	/* TCP PDU reassembly (reasm.c) and TLS (tls.c) */
	K_TCP_SEGMENT_DATA,
	K_TCP_SEGMENT,
	K_TCP_SEGMENT_COUNT,
	K_TCP_REASSEMBLED_LENGTH,
	K_TCP_REASSEMBLED_DATA,
	K_TLS_RECORD_CONTENT_TYPE,
	K_TLS_RECORD_OPAQUE_TYPE,
	K_TLS_RECORD_VERSION,
	K_TLS_RECORD_LENGTH,
	K_TLS_CHANGE_CIPHER_SPEC,
	K_TLS_ALERT_MESSAGE,
	K_TLS_ALERT_LEVEL,
	K_TLS_ALERT_DESC,
	K_TLS_APP_DATA,
	K_TLS_HS_TYPE,
	K_TLS_HS_LENGTH,
	K_TLS_HS_VERSION,
	K_TLS_HS_RANDOM,
	K_TLS_HS_SESSION_ID_LENGTH,
	K_TLS_HS_SESSION_ID,
	K_TLS_HS_CIPHER_SUITES_LENGTH,
	K_TLS_HS_CIPHERSUITE,
	K_TLS_HS_COMP_METHODS_LENGTH,
	K_TLS_HS_COMP_METHOD,
	K_TLS_HS_EXTENSIONS_LENGTH,
	K_TLS_HS_EXT_TYPE,
	K_TLS_HS_EXT_LEN,
	K_TLS_HS_SNI_LIST_LEN,
	K_TLS_HS_SNI_TYPE,
	K_TLS_HS_SNI_LEN,
	K_TLS_HS_SNI,
	K_TLS_HS_EC_POINT_FORMATS_LENGTH,
	K_TLS_HS_EC_POINT_FORMAT,
	K_TLS_HS_SUPPORTED_GROUPS_LENGTH,
	K_TLS_HS_SUPPORTED_GROUP,
	K_TLS_HS_ALPN_LEN,
	K_TLS_HS_ALPN_STR_LEN,
	K_TLS_HS_ALPN_STR,
	K_TLS_HS_SIG_HASH_ALG_LEN,
	K_TLS_HS_SIG_HASH_ALG,
	K_TLS_HS_SUPPORTED_VERSIONS_LEN,
	K_TLS_HS_SUPPORTED_VERSION,
	K_TLS_HS_KEY_SHARE_CLIENT_LENGTH,
	K_TLS_HS_KEY_SHARE_GROUP,
	K_TLS_HS_KEY_SHARE_KEX_LENGTH,
	K_TLS_HS_KEY_SHARE_SELECTED_GROUP,
	K_TLS_HS_JA4,
	K_TLS_HS_JA3_FULL,
	K_TLS_HS_JA3,
	K_TLS_HS_JA3S_FULL,
	K_TLS_HS_JA3S,
	K_TLS_HS_FRAGMENTS,
	K_TLS_HS_FRAGMENT,
	K_TLS_HS_FRAGMENT_COUNT,
	K_TLS_HS_CERTIFICATES_LENGTH,
	K_TLS_HS_CERTIFICATES,
	K_TLS_HS_CERTIFICATE_LENGTH,
	K_TLS_HS_CERTIFICATE,
	/* DNS resource records (dns_rr.c) and mDNS's split class bits */
	K_DNS_QRY_QU,
	K_DNS_FLAGS_CONFLICT,
	K_DNS_FLAGS_TENTATIVE,
	K_DNS_RESP_NAME,
	K_DNS_RESP_TYPE,
	K_DNS_RESP_CLASS,
	K_DNS_RESP_CACHE_FLUSH,
	K_DNS_RESP_TTL,
	K_DNS_RESP_LEN,
	K_DNS_RR_UDP_PAYLOAD_SIZE,
	K_DNS_A,
	K_DNS_AAAA,
	K_DNS_CNAME,
	K_DNS_PTR_DOMAIN_NAME,
	K_DNS_NS,
	K_DNS_MX_PREFERENCE,
	K_DNS_MX_MAIL_EXCHANGE,
	K_DNS_SOA_MNAME,
	K_DNS_SOA_RNAME,
	K_DATA_DATA,
	K_DATA_LEN,
	/* process.*: capscope's own, no tshark field (decode/process.h) */
	K_PROCESS_PID,
	K_PROCESS_NAME,
	K_PROCESS_USER,
	K_PROCESS_UID,
	K_PROCESS_CMDLINE,
	K_PROCESS_CGROUP,
	K_PROCESS_CONTAINER,
	K_PROCESS_DIRECTION,
	K_PROCESS_UNATTRIBUTED,
	/* frame.*: from struct frame_meta, never in the tree */
	K_FRAME_NUMBER,
	K_FRAME_TIME_EPOCH,
	K_FRAME_TIME_RELATIVE,
	K_FRAME_TIME_DELTA,
	K_FRAME_LEN,
	K_FRAME_CAP_LEN,
	K_FRAME_INTERFACE_ID,
	K_FRAME_INTERFACE_NAME,
	/* aliases: stand for their members (struct field_info), never in the tree */
	K_ETH_ADDR,
	K_IP_ADDR,
	K_IPV6_ADDR,
	K_UDP_PORT,
	K_TCP_PORT,
	K_ETH_LG,
	K_ETH_IG,
	K_COUNT
};

/* The tshark field name of a key ("ip.src"), or NULL for K_NONE. */
const char *field_key_name(enum field_key k);

enum field_type {
	FT_LAYER,   /* a protocol layer node; value unused */
	FT_TEXT,    /* a label only (e.g. "[|udp]", "Options"); value unused */
	FT_UINT,    /* decimal unsigned integer in `u` */
	FT_HEX,     /* hexadecimal integer in `u`, printed with `width` digits: 0x0800 */
	FT_BOOL,    /* a flag bit, `u` 0 or 1 */
	FT_MAC,     /* 6 bytes at data+off */
	FT_IPV4,    /* 4 bytes at data+off */
	FT_IPV6,    /* 16 bytes at data+off */
	FT_BYTES,   /* len bytes at data+off, shown as hex */
	FT_STR,     /* arena text at text+u (NUL-terminated; untrusted: escape before display) */
	FT_RELTIME, /* a time difference: signed nanoseconds in `u` (two's complement) */
	FT_PRESENT, /* tshark's FT_NONE with a name: present or not; its value prints as "1" */
	/* a time difference shown in milliseconds as tshark's FT_DOUBLE (icmp.resptime):
	 * nanoseconds in `u`, printed as tshark prints the double secs*1000 + nsecs/1e6 */
	FT_MSEC,
};

enum field_flags {
	FF_TRUNCATED = 1, /* this layer/field ran past caplen */
	FF_INVALID = 2,   /* a value contradicts the spec or another field */
	/* FT_STR with \t \n \r escaped as tshark -T fields writes them (HTTP strings) */
	FF_CESC = 0x80,
	FF_ALT = 4, /* off/len index the dissection's alt bytes, not the frame (dissect.h) */
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

/* tshark's own type of a field, as `tshark -G fields` and --list-fields name it (FT_UINT16):
 * the width of a BASE_HEX value and the column --list-fields prints. */
enum field_ftype {
	TFT_NONE = 0,
	TFT_BOOLEAN,
	TFT_UINT8,
	TFT_UINT16,
	TFT_UINT24,
	TFT_UINT32,
	TFT_INT32,
	TFT_ETHER,
	TFT_IPV4,
	TFT_IPV6,
	TFT_STRING,
	TFT_BYTES,
	TFT_RELATIVE_TIME,
	TFT_FRAMENUM,
	TFT_STRINGZ,
	TFT_UINT64,
	TFT_ABSOLUTE_TIME,
	TFT_DOUBLE,
	TFT_COUNT
};

struct field_info {
	const char *name; /* tshark's name: "ip.src" */
	const char *desc; /* tshark's description (tshark -G fields): "Source Address" */
	uint8_t vtype;    /* enum field_vtype */
	/* An alias (ip.addr, tcp.port, eth.addr) has no fields of its own: it stands for every
	 * occurrence of its members, in tree order, as tshark's hidden ip.addr fields do. */
	uint8_t nmembers;
	uint16_t members[FIELD_MAX_MEMBERS]; /* enum field_key */
	uint8_t ftype;                       /* enum field_ftype */
	uint8_t name_len;                    /* strlen(name), for output that writes it often */
};

/* The catalogue row of k, or NULL for K_NONE and out-of-range keys. */
const struct field_info *field_key_info(enum field_key k);
/* The key named name[0..n) exactly (case-sensitive, as tshark), or K_NONE. */
enum field_key field_key_lookup(const char *name, size_t n);
/* "FT_UINT16" for TFT_UINT16 ("FT_NONE" for anything unknown). */
const char *field_ftype_name(enum field_ftype t);
/* The key whose name is closest to name[0..n) (a did-you-mean for a typo), or K_NONE when
 * no name is near enough to be a likely typo. */
enum field_key field_key_suggest(const char *name, size_t n);
/* A value type in words, with its article ("an IPv4 address", "a string"). */
const char *field_vtype_name(unsigned vtype);

/*
 * The protocols of the catalogue, as `tshark -G fields` lists them ("P" rows): a display
 * filter may name one alone ("dns": present). `proto` is the enum proto (dissect.h) of the
 * layer node, or 0 where tshark's protocol has no layer of its own here (ipv6.hopopts).
 */
struct field_proto {
	const char *name; /* filter name: "ip", "ipv6.hopopts" */
	const char *desc; /* "Internet Protocol Version 4" */
	uint16_t proto;   /* enum proto */
};

/* The i-th protocol (i from 0), or NULL past the last. */
const struct field_proto *field_proto_at(size_t i);
/* The protocol a field name belongs to (the longest protocol name that prefixes it). */
const struct field_proto *field_proto_of(const char *field_name);

/*
 * Per-packet facts that are not in the packet's bytes: tshark's frame.* fields. The
 * reader fills one per packet (numbers count from 1, as frame.number does) and hands it to
 * display filters and field output beside the dissection.
 */
struct frame_meta {
	uint64_t number; /* frame.number */
	int64_t ts_sec;  /* frame.time_epoch */
	uint32_t ts_nsec;
	int64_t rel_nsec;    /* frame.time_relative: since the first packet */
	int64_t delta_nsec;  /* frame.time_delta: since the previous captured packet */
	uint32_t len;        /* frame.len */
	uint32_t caplen;     /* frame.cap_len */
	int tsprec;          /* 6 or 9: digits the capture really has */
	uint32_t if_id;      /* frame.interface_id: the packet's source (pkt_hdr.ifidx) */
	bool if_known;       /* the capture has interface ids: live, pcapng (not pcap: tshark
	                        then has no frame.interface_id) */
	const char *if_name; /* frame.interface_name (escaped), NULL when not known */
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
/* A time difference as tshark's FT_RELATIVE_TIME: signed seconds with 9 decimals. Writes at
 * most FIELD_RELTIME_MAX bytes (no NUL) and returns the length. */
#define FIELD_RELTIME_MAX 32
size_t field_reltime_text(char *out, int64_t ns);
/* An FT_MSEC value (nanoseconds) as tshark prints its millisecond double: "1.234567".
 * Writes at most n - 1 characters and a NUL; returns the length. */
size_t field_msec_text(char *out, size_t n, int64_t ns);
