/*
 * ntp.c - Network Time Protocol (RFC 5905), UDP port 123.
 *
 *    0 1 2 3 4 5 6 7 8 ...            16              24             31
 *   +---+-----+-----+---------------+---------------+---------------+
 *   |LI | VN  |Mode |    Stratum    |     Poll      |   Precision   |
 *   +---+-----+-----+---------------+---------------+---------------+
 *   | root delay (32) | root dispersion (32) | reference id (32)
 *   | reference, origin, receive, transmit timestamps (64 each)
 *
 * Modes 1-5 carry that header. Mode 6 (control, RFC 9327) and mode 7 (ntpd's private
 * requests) are decoded as far as the flags and, for mode 7, the request code of the Info
 * column; tshark decodes their bodies further (ntp.ctrl.*, ntp.priv.*), capscope does not.
 * Extension fields, key id and MAC after the header are not decoded.
 *
 * Timestamps are shown as tshark 4.0 shows them in -T fields ("Oct 15, 2016
 * 12:47:36.467834989 UTC", "NULL" for 0): seconds since 1900 when the top bit is set, else
 * since 2036 (RFC 4330 3), the fraction as tshark converts it, through a double.
 */
#include <string.h>

#include "decode/dissector.h"

#define NTP_1900_TO_1970 2208988800ll
#define NTP_1970_TO_2036 2085978496ll

static const char *const mode_names[8] = {
    "reserved", "symmetric active", "symmetric passive", "client",
    "server",   "broadcast",        "control",           "private",
};

/* ntpd's mode 7 request codes (ntp_request.h) that tshark names. */
static const char *const priv_codes[] = {
    "PEER_LIST",
    "PEER_LIST_SUM",
    "PEER_INFO",
    "PEER_STATS",
    "SYS_INFO",
    "SYS_STATS",
    "IO_STATS",
    "MEM_STATS",
    "LOOP_INFO",
    "TIMER_STATS",
    "CONFIG",
    "UNCONFIG",
    "SET_SYS_FLAG",
    "CLR_SYS_FLAG",
    "MONITOR",
    "NOMONITOR",
    "GET_RESTRICT",
    "RESADDFLAGS",
    "RESSUBFLAGS",
    "UNRESTRICT",
    "MON_GETLIST",
    "RESET_STATS",
    "RESET_PEER",
    "REREAD_KEYS",
    "DO_DIRTY_HACK",
    "DONT_DIRTY_HACK",
    "TRUSTKEY",
    "UNTRUSTKEY",
    "AUTHINFO",
    "TRAPS",
    "ADD_TRAP",
    "CLR_TRAP",
    "REQUEST_KEY",
    "CONTROL_KEY",
    "GET_CTLSTATS",
    "GET_LEAPINFO",
    "GET_CLOCKINFO",
    "SET_CLKFUDGE",
    "GET_KERNEL",
    "GET_CLKBUGINFO",
    NULL,
    "SET_PRECISION",
    "MON_GETLIST_1",
    "HOSTNAME_ASSOCID",
    "IF_STATS",
    "IF_RELOAD",
};

static const char months[12][4] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                   "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

/* Days since 1970-01-01 to a civil date (H. Hinnant's days_from_civil inverse). */
static void civil(int64_t z, int64_t *y, unsigned *m, unsigned *d)
{
	z += 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	unsigned doe = (unsigned)(z - era * 146097);
	unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	unsigned mp = (5 * doy + 2) / 153;

	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp < 10 ? mp + 3 : mp - 9;
	*y = (int64_t)yoe + era * 400 + (*m <= 2);
}

static size_t put_num(char *o, uint64_t v, unsigned width, char fill)
{
	char t[24];
	size_t n = 0, k = 0;

	do
		t[n++] = (char)('0' + v % 10);
	while ((v /= 10) != 0 && n < sizeof t);
	while (n + k < width)
		o[k++] = fill;
	while (n)
		o[k++] = t[--n];
	return k;
}

/* Writes tshark's absolute UTC time text for secs.nsecs since 1970 (out: 40 bytes). */
size_t ntp_abstime_text(char *o, int64_t secs, uint32_t nsecs)
{
	int64_t days = (secs >= 0 ? secs : secs - 86399) / 86400, y;
	int64_t sod = secs - days * 86400;
	unsigned m, dd;
	size_t n = 0;

	civil(days, &y, &m, &dd);
	for (int i = 0; i < 3; i++)
		o[n++] = months[m - 1][i];
	o[n++] = ' ';
	n += put_num(o + n, dd, 2, ' ');
	o[n++] = ',';
	o[n++] = ' ';
	if (y < 0)
		o[n++] = '-';
	n += put_num(o + n, (uint64_t)(y < 0 ? -y : y), 1, '0');
	o[n++] = ' ';
	n += put_num(o + n, (uint64_t)sod / 3600, 2, '0');
	o[n++] = ':';
	n += put_num(o + n, (uint64_t)sod / 60 % 60, 2, '0');
	o[n++] = ':';
	n += put_num(o + n, (uint64_t)sod % 60, 2, '0');
	o[n++] = '.';
	n += put_num(o + n, nsecs, 9, '0');
	for (const char *s = " UTC"; *s; s++)
		o[n++] = *s;
	return n;
}

/* One 64-bit NTP timestamp as tshark's text field. */
static void ntp_ts(struct dissection *d, struct cursor *c, const char *label, enum field_key key)
{
	uint32_t off = c->off, hi = cur_be32(c), lo = cur_be32(c);
	char t[48];
	size_t n;

	if (c->truncated || !d->tree) /* the text is only a field's: a summary keeps none */
		return;
	if (hi == 0 && lo == 0) {
		n = 4;
		memcpy(t, "NULL", 4);
	} else {
		int64_t secs = (hi & 0x80000000u) ? (int64_t)hi - NTP_1900_TO_1970
		                                  : (int64_t)hi + NTP_1970_TO_2036;
		n = ntp_abstime_text(t, secs, (uint32_t)(1000000000 * (lo / 4294967296.0)));
	}
	fld_add(d, off, 8, label, key, FT_STR, 1, diss_text(d, t, n));
}

/* "NTP Version 4, client", "NTP Version 2, private, Request, AUTHINFO". */
static void ntp_summary(struct dissection *d, uint8_t flags, const struct cursor *priv)
{
	unsigned mode = flags & 7;
	struct sbuf b;

	if (!sum_begin(d, P_NTP))
		return;
	b = sum_info(d);
	sb_str(&b, "NTP Version ");
	sb_u32(&b, (flags >> 3) & 7);
	sb_str(&b, ", ");
	sb_str(&b, mode_names[mode]);
	if (mode == 7 && priv && cur_has(priv, 4)) {
		uint8_t code = priv->base[priv->off + 3];
		const char *name =
		    code < sizeof priv_codes / sizeof priv_codes[0] ? priv_codes[code] : NULL;
		sb_str(&b, flags & 0x80 ? ", Response, " : ", Request, ");
		sb_str(&b, name ? name : "Unknown");
	}
}

static void ntp_header(struct dissection *d, struct cursor *c)
{
	fld_u8(d, c, "Peer Clock Stratum", K_NTP_STRATUM, 1);
	fld_u8(d, c, "Peer Polling Interval", K_NTP_PPOLL, 1);
	fld_u8(d, c, "Peer Clock Precision", K_NTP_PRECISION, 1);
	fld_u32(d, c, "Root Delay", K_NTP_ROOTDELAY, 1);
	fld_u32(d, c, "Root Dispersion", K_NTP_ROOTDISPERSION, 1);
	fld_bytes(d, c, 4, "Reference ID", K_NTP_REFID, 1);
	ntp_ts(d, c, "Reference Timestamp", K_NTP_REFTIME);
	ntp_ts(d, c, "Origin Timestamp", K_NTP_ORG);
	ntp_ts(d, c, "Receive Timestamp", K_NTP_REC);
	ntp_ts(d, c, "Transmit Timestamp", K_NTP_XMT);
}

void ntp_dissect(struct dissection *d, struct cursor *c, uint32_t plen)
{
	uint16_t layer = diss_layer(d, c, P_NTP);
	struct cursor start = *c;
	uint32_t off = c->off;
	uint8_t flags, mode;

	(void)plen;
	flags = (uint8_t)fld_hex(d, c, 1, 2, "Flags", K_NTP_FLAGS, 1);
	if (c->truncated) {
		diss_trunc(d, layer, c);
		return;
	}
	mode = flags & 7;
	if (mode != 7) /* tshark's private-mode flags have no leap indicator */
		fld_add(d, off, 1, "Leap Indicator", K_NTP_FLAGS_LI, FT_UINT, 2, flags >> 6);
	fld_add(d, off, 1, "Version number", K_NTP_FLAGS_VN, FT_UINT, 2, (flags >> 3) & 7);
	fld_add(d, off, 1, "Mode", K_NTP_FLAGS_MODE, FT_UINT, 2, mode);
	if (mode != 6 && mode != 7)
		ntp_header(d, c);
	if (c->truncated)
		diss_trunc(d, layer, c);
	else
		diss_layer_end(d, layer, c);
	ntp_summary(d, flags, &start);
}
