/*
 * names_dhcp.c - DHCP leases that name an address (see names_dhcp.h).
 *
 * RFC 2131 3.1: the client's DHCPREQUEST carries the options it wants known (12 host name,
 * RFC 4702's 81 FQDN), the server's DHCPACK carries yiaddr for the same chaddr. A renewal's
 * ACK names the address again; a NAK forgets the pending name. The requested address (option
 * 50) is only a wish (the server may give another or NAK it), so nothing is learned from it:
 * the ACK's yiaddr is the address the name belongs to.
 */
#include "decode/names_dhcp.h"

#include <stdlib.h>
#include <string.h>

#include "decode/dissector.h"
#include "decode/names.h"

enum { DHCP_DISCOVER = 1, DHCP_REQUEST = 3, DHCP_ACK = 5, DHCP_NAK = 6 };

struct pending {
	uint8_t mac[6];
	uint16_t len; /* 0: slot free */
	uint32_t used;
	char name[NAMES_NAME_MAX];
};

struct dhcp_leases {
	struct pending p[DHCP_LEASES_MAX];
	uint32_t clock;
};

/* What one DHCP message says, from its fields. */
struct dhcp_msg {
	int type; /* option 53, -1 if absent */
	const uint8_t *mac, *yiaddr;
	const char *host, *fqdn;
	size_t hlen, flen;
};

struct dhcp_leases *dhcp_leases_new(void)
{
	return calloc(1, sizeof(struct dhcp_leases));
}

void dhcp_leases_free(struct dhcp_leases *l)
{
	free(l);
}

static void read_msg(const struct dissection *d, struct dhcp_msg *m)
{
	memset(m, 0, sizeof *m);
	m->type = -1;
	for (uint16_t i = 0; i < d->nf; i++) {
		const struct field *f = &d->f[i];
		if (f->proto != P_DHCP)
			continue;
		if (f->key == K_DHCP_OPTION_DHCP && m->type < 0)
			m->type = (int)f->u;
		else if (f->key == K_DHCP_HW_MAC_ADDR && f->depth == 1 && f->len == 6)
			m->mac = d->data + f->off; /* chaddr, not option 61's copy (depth 3) */
		else if (f->key == K_DHCP_IP_YOUR && f->len == 4)
			m->yiaddr = d->data + f->off;
		else if (f->key == K_DHCP_OPTION_HOSTNAME && !m->host)
			m->host = d->text + f->u, m->hlen = diss_text_len(d, f->u);
		else if (f->key == K_DHCP_FQDN_NAME && !m->fqdn)
			m->fqdn = d->text + f->u, m->flen = diss_text_len(d, f->u);
	}
}

static struct pending *find(struct dhcp_leases *l, const uint8_t mac[6])
{
	for (size_t i = 0; i < DHCP_LEASES_MAX; i++)
		if (l->p[i].len && memcmp(l->p[i].mac, mac, 6) == 0)
			return &l->p[i];
	return NULL;
}

/* The slot for mac: its own, a free one, or the least recently used. */
static struct pending *slot(struct dhcp_leases *l, const uint8_t mac[6])
{
	struct pending *p = find(l, mac), *old = &l->p[0];

	for (size_t i = 0; !p && i < DHCP_LEASES_MAX; i++) {
		if (!l->p[i].len)
			return &l->p[i];
		if (l->p[i].used < old->used)
			old = &l->p[i];
	}
	return p ? p : old;
}

/* The FQDN (option 81) is preferred to the host name (option 12): it is the full name the
 * client asks DNS to give its address, as Wireshark shows the FQDN's "Client name". */
static void remember(struct dhcp_leases *l, const struct dhcp_msg *m)
{
	const char *name = m->flen ? m->fqdn : m->host;
	size_t n = m->flen ? m->flen : m->hlen;
	struct pending *p;

	if (n == 0)
		return;
	if (n > NAMES_NAME_MAX)
		n = NAMES_NAME_MAX;
	p = slot(l, m->mac);
	memcpy(p->mac, m->mac, 6);
	memcpy(p->name, name, n);
	p->len = (uint16_t)n;
	p->used = ++l->clock;
}

bool dhcp_leases_learn(struct dhcp_leases *l, const struct dissection *d, uint8_t addr[4],
                       const char **name, size_t *n)
{
	struct dhcp_msg m;
	struct pending *p;

	if (!l || d->sum.proto != P_DHCP)
		return false;
	read_msg(d, &m);
	if (!m.mac)
		return false;
	if (m.type == DHCP_DISCOVER || m.type == DHCP_REQUEST) {
		remember(l, &m);
		return false;
	}
	p = find(l, m.mac);
	if (p && m.type == DHCP_NAK)
		p->len = 0;
	if (!p || m.type != DHCP_ACK || !m.yiaddr ||
	    !(m.yiaddr[0] | m.yiaddr[1] | m.yiaddr[2] | m.yiaddr[3]))
		return false;
	memcpy(addr, m.yiaddr, 4);
	*name = p->name;
	*n = p->len;
	p->used = ++l->clock;
	return true;
}
