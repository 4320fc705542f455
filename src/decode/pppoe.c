/*
 * pppoe.c - PPP over Ethernet (RFC 2516): discovery (ethertype 0x8863) and session
 * (0x8864) stages share one header.
 *
 *    0                   1                   2                   3
 *   +-------+-------+---------------+-------------------------------+
 *   |  VER  | TYPE  |     CODE      |          SESSION_ID           |
 *   +-------+-------+---------------+-------------------------------+
 *   |            LENGTH             |           payload ...         |
 *   +-------------------------------+-------------------------------+
 *
 * VER and TYPE must be 1. LENGTH counts the payload only; it narrows the window, so the
 * Ethernet padding of short frames is not payload. A LENGTH beyond the frame is marked and
 * the bytes that exist are decoded, as tshark does. A session carries one PPP frame
 * (ppp.c); discovery tags are left as data.
 */
#include "decode/dissector.h"

#define PPPOE_HDR_LEN 6

static const struct {
	uint8_t code;
	const char *name;
} pppoe_codes[] = {
    {0x09, "PADI"}, {0x07, "PADO"}, {0x19, "PADR"}, {0x65, "PADS"}, {0xa7, "PADT"},
};

static const char *code_name(uint8_t code)
{
	for (size_t i = 0; i < sizeof(pppoe_codes) / sizeof(pppoe_codes[0]); i++)
		if (pppoe_codes[i].code == code)
			return pppoe_codes[i].name;
	return NULL;
}

/* "PADI, session 0x0000" for discovery; "session 0x0011" for a session. */
static void pppoe_summary(struct dissection *d, enum proto p, uint8_t code, uint16_t session)
{
	const char *name = code_name(code);
	struct sbuf b;

	if (!sum_begin(d, p))
		return;
	b = sum_info(d);
	if (p == P_PPPOED) {
		if (name) {
			sb_str(&b, name);
		} else {
			sb_str(&b, "code ");
			sb_hex(&b, code, 2);
		}
		sb_str(&b, ", ");
	}
	sb_str(&b, "session ");
	sb_hex(&b, session, 4);
}

/*
 * Reads the header as protocol p; false after marking a truncated or invalid header, else
 * *pay is the payload window and *len its declared length.
 */
static bool pppoe_header(struct dissection *d, struct cursor *c, enum proto p, uint32_t plen,
                         struct cursor *pay, uint32_t *len)
{
	uint16_t layer = diss_layer(d, c, p);
	uint32_t start = c->off;
	uint16_t session;
	uint8_t vt, code;

	vt = cur_u8(c);
	if (!c->truncated) {
		fld_add(d, start, 1, "Version", K_PPPOE_VERSION, FT_UINT, 1, vt >> 4);
		fld_add(d, start, 1, "Type", K_PPPOE_TYPE, FT_UINT, 1, vt & 15);
	}
	code = (uint8_t)fld_hex(d, c, 1, 2, "Code", K_PPPOE_CODE, 1);
	session = (uint16_t)fld_hex(d, c, 2, 4, "Session ID", K_PPPOE_SESSION_ID, 1);
	*len = fld_u16(d, c, "Payload length", K_PPPOE_PAYLOAD_LENGTH, 1);
	if (c->truncated) {
		diss_trunc(d, layer, c);
		return false;
	}
	if (vt != 0x11) {
		diss_invalid(d, layer, start, 1, "Bad version or type", "pppoe.version_type", vt);
		return false;
	}
	diss_layer_end(d, layer, c);
	pppoe_summary(d, p, code, session);
	if (*len > diss_plen_after(plen, PPPOE_HDR_LEN))
		diss_invalid(d, layer, start + 4, 2, "Payload length beyond the frame",
		             "pppoe.payload_length", *len);
	*pay = diss_window(c, *len);
	return true;
}

void pppoed_dissect(struct dissection *d, struct cursor *c, uint32_t plen)
{
	struct cursor pay;
	uint32_t len;

	if (pppoe_header(d, c, P_PPPOED, plen, &pay, &len))
		diss_data(d, &pay);
}

void pppoes_dissect(struct dissection *d, struct cursor *c, uint32_t plen)
{
	struct cursor pay;
	uint32_t len;

	if (pppoe_header(d, c, P_PPPOES, plen, &pay, &len) && len > 0)
		ppp_dissect(d, &pay, len);
}
