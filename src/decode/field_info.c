/*
 * field_info.c - the field catalogue (see field.h): tshark's name, description and value
 * type of every field capscope decodes, and the lookup from name to key that display
 * filters and `-T fields -e` use. Descriptions and types are those of `tshark -G fields`
 * (4.0); frame.time_epoch is an absolute time here, as display filters compare it.
 */
#include <string.h>

#include "decode/field.h"

static const struct field_info catalogue[K_COUNT] = {
    [K_ETH_DST] = {"eth.dst", "Destination", FV_MAC},
    [K_ETH_SRC] = {"eth.src", "Source", FV_MAC},
    [K_ETH_TYPE] = {"eth.type", "Type", FV_UINT},
    [K_VLAN_ID] = {"vlan.id", "ID", FV_UINT},
    [K_MPLS_LABEL] = {"mpls.label", "MPLS Label", FV_UINT},
    [K_MPLS_EXP] = {"mpls.exp", "MPLS Experimental Bits", FV_UINT},
    [K_MPLS_BOTTOM] = {"mpls.bottom", "MPLS Bottom Of Label Stack", FV_UINT},
    [K_MPLS_TTL] = {"mpls.ttl", "MPLS TTL", FV_UINT},
    [K_PPPOE_CODE] = {"pppoe.code", "Code", FV_UINT},
    [K_PPPOE_SESSION_ID] = {"pppoe.session_id", "Session ID", FV_UINT},
    [K_PPPOE_PAYLOAD_LENGTH] = {"pppoe.payload_length", "Payload Length", FV_UINT},
    [K_PPP_PROTOCOL] = {"ppp.protocol", "Protocol", FV_UINT},
    [K_ARP_OPCODE] = {"arp.opcode", "Opcode", FV_UINT},
    [K_IP_SRC] = {"ip.src", "Source Address", FV_IPV4},
    [K_IP_DST] = {"ip.dst", "Destination Address", FV_IPV4},
    [K_IP_PROTO] = {"ip.proto", "Protocol", FV_UINT},
    [K_IP_TTL] = {"ip.ttl", "Time to Live", FV_UINT},
    [K_IP_LEN] = {"ip.len", "Total Length", FV_UINT},
    [K_IP_FRAG_OFFSET] = {"ip.frag_offset", "Fragment Offset", FV_UINT},
    [K_IPV6_SRC] = {"ipv6.src", "Source Address", FV_IPV6},
    [K_IPV6_DST] = {"ipv6.dst", "Destination Address", FV_IPV6},
    [K_IPV6_NXT] = {"ipv6.nxt", "Next Header", FV_UINT},
    [K_GRE_FLAGS_AND_VERSION] = {"gre.flags_and_version", "Flags and Version", FV_UINT},
    [K_GRE_PROTO] = {"gre.proto", "Protocol Type", FV_UINT},
    [K_GRE_KEY] = {"gre.key", "Key", FV_UINT},
    [K_GRE_CALL_ID] = {"gre.key.call_id", "Call ID", FV_UINT},
    [K_GRE_SEQUENCE_NUMBER] = {"gre.sequence_number", "Sequence Number", FV_UINT},
    [K_GRE_ACK_NUMBER] = {"gre.ack_number", "Acknowledgment Number", FV_UINT},
    [K_ERSPAN_VERSION] = {"erspan.version", "Version", FV_UINT},
    [K_ERSPAN_VLAN] = {"erspan.vlan", "Vlan", FV_UINT},
    [K_ERSPAN_SPANID] = {"erspan.spanid", "SpanID", FV_UINT},
    [K_UDP_SRCPORT] = {"udp.srcport", "Source Port", FV_UINT},
    [K_UDP_DSTPORT] = {"udp.dstport", "Destination Port", FV_UINT},
    [K_UDP_LENGTH] = {"udp.length", "Length", FV_UINT},
    [K_VXLAN_FLAGS] = {"vxlan.flags", "Flags", FV_UINT},
    [K_VXLAN_VNI] = {"vxlan.vni", "VXLAN Network Identifier (VNI)", FV_UINT},
    [K_TCP_SRCPORT] = {"tcp.srcport", "Source Port", FV_UINT},
    [K_TCP_DSTPORT] = {"tcp.dstport", "Destination Port", FV_UINT},
    [K_TCP_FLAGS] = {"tcp.flags", "Flags", FV_UINT},
    [K_TCP_SEQ_RAW] = {"tcp.seq_raw", "Sequence Number (raw)", FV_UINT},
    [K_TCP_ACK_RAW] = {"tcp.ack_raw", "Acknowledgment number (raw)", FV_UINT},
    [K_ICMP_TYPE] = {"icmp.type", "Type", FV_UINT},
    [K_ICMP_CODE] = {"icmp.code", "Code", FV_UINT},
    [K_ICMPV6_TYPE] = {"icmpv6.type", "Type", FV_UINT},
    [K_ICMPV6_CODE] = {"icmpv6.code", "Code", FV_UINT},
    [K_DNS_ID] = {"dns.id", "Transaction ID", FV_UINT},
    [K_DNS_QRY_NAME] = {"dns.qry.name", "Name", FV_STRING},
    [K_DNS_QRY_TYPE] = {"dns.qry.type", "Type", FV_UINT},
    [K_FRAME_NUMBER] = {"frame.number", "Frame Number", FV_UINT},
    [K_FRAME_TIME_EPOCH] = {"frame.time_epoch", "Epoch Time", FV_TIME},
    [K_FRAME_TIME_RELATIVE] = {"frame.time_relative", "Time since reference or first frame",
                               FV_RELTIME},
    [K_FRAME_TIME_DELTA] = {"frame.time_delta", "Time delta from previous captured frame",
                            FV_RELTIME},
    [K_FRAME_LEN] = {"frame.len", "Frame length on the wire", FV_UINT},
    [K_FRAME_CAP_LEN] = {"frame.cap_len", "Frame length stored into the capture file", FV_UINT},
    [K_ETH_ADDR] = {"eth.addr", "Address", FV_MAC, 2, {K_ETH_SRC, K_ETH_DST}},
    [K_IP_ADDR] = {"ip.addr", "Source or Destination Address", FV_IPV4, 2, {K_IP_SRC, K_IP_DST}},
    [K_IPV6_ADDR] =
        {"ipv6.addr", "Source or Destination Address", FV_IPV6, 2, {K_IPV6_SRC, K_IPV6_DST}},
    [K_UDP_PORT] =
        {"udp.port", "Source or Destination Port", FV_UINT, 2, {K_UDP_SRCPORT, K_UDP_DSTPORT}},
    [K_TCP_PORT] =
        {"tcp.port", "Source or Destination Port", FV_UINT, 2, {K_TCP_SRCPORT, K_TCP_DSTPORT}},
};

const struct field_info *field_key_info(enum field_key k)
{
	if (k <= K_NONE || (unsigned)k >= K_COUNT || !catalogue[k].name)
		return NULL;
	return &catalogue[k];
}

/* Linear: about a hundred names, looked up when a filter or field list is compiled. */
enum field_key field_key_lookup(const char *name, size_t n)
{
	for (unsigned k = K_NONE + 1; k < K_COUNT; k++) {
		const char *s = catalogue[k].name;
		if (s && strlen(s) == n && memcmp(s, name, n) == 0)
			return (enum field_key)k;
	}
	return K_NONE;
}
