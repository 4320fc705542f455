/*
 * sockowner.bpf.c - records, in the kernel, which process uses each TCP and UDP socket of
 * one network namespace, so that capscope can name the owner of a socket that lived 2 ms and
 * is gone by the time its packets are decoded (attrib_ebpf_linux.c loads it and reads the
 * tuples map).
 *
 * Why these hooks: this kernel has no kprobes and no fentry (measured), but cgroup programs
 * attached to the cgroup v2 root see every socket of every process:
 *   - process context (the caller is the process): cgroup/sock_create, connect4/6,
 *     sendmsg4/6 (unconnected UDP sends), post_bind4/6 record socket cookie -> owner. The
 *     holder at connect/send time wins: a socket passed to another process changes owner
 *     when that process connects or sends with an address.
 *   - packet context (often softirq, no process): cgroup_skb egress copies the socket's owner
 *     to its tuple {family, proto, local and remote address and port}, once per socket and
 *     again every REPUBLISH_NS (an evicted tuple comes back); one map lookup otherwise. No
 *     ingress program: a recorded socket sends before its tuple matters (a SYN, a query, an
 *     ACK), bound sockets are published at bind, and an accepted socket was never recorded
 *     (the listener's port entry names it); ingress would double the per-packet cost
 *     (bench/ebpf_cost.sh) for nothing.
 *   - cgroup/sock_release forgets the socket (its tuple stays: that is the point).
 * Only sockets of the network namespace named by netns_cookie are recorded. Every program
 * returns 1 ("allow"): nothing is ever dropped or changed.
 * Only UAPI context structs (linux/bpf.h) are used: no vmlinux.h, nothing kernel-specific.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

#include "sockowner.h"

#define AF_INET      2
#define AF_INET6     10
#define IPPROTO_TCP  6
#define IPPROTO_UDP  17
#define REPUBLISH_NS 1000000000ull
#define ALLOW        1

char LICENSE[] SEC("license") = "GPL";

/* Set by the loader before the programs are loaded: SO_NETNS_COOKIE of its own namespace. */
const volatile __u64 netns_cookie = 0;

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, SOCKOWNER_MAX_SOCKETS);
	__type(key, __u64); /* socket cookie */
	__type(value, struct so_sock);
} socks SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, SOCKOWNER_MAX_TUPLES);
	__type(key, struct so_tuple);
	__type(value, struct so_owner);
} tuples SEC(".maps");

static __always_inline __u8 short_family(__u32 family)
{
	return family == AF_INET ? 4 : family == AF_INET6 ? 6 : 0;
}

static __always_inline int wanted(__u8 family, __u32 proto)
{
	return family != 0 && (proto == IPPROTO_TCP || proto == IPPROTO_UDP);
}

static __always_inline void fill_owner(struct so_owner *o)
{
	o->tgid = bpf_get_current_pid_tgid() >> 32;
	o->uid = (__u32)bpf_get_current_uid_gid();
	o->ktime = bpf_ktime_get_ns();
	bpf_get_current_comm(o->comm, sizeof(o->comm));
}

/* Records the calling process as the holder of a socket, unless it already is. */
static __always_inline void record(__u64 cookie, __u8 family, __u8 proto)
{
	struct so_sock *old = bpf_map_lookup_elem(&socks, &cookie);
	__u32 tgid = bpf_get_current_pid_tgid() >> 32;
	struct so_sock s = {};

	if (old && old->owner.tgid == tgid)
		return;
	fill_owner(&s.owner);
	s.family = family;
	s.proto = proto;
	bpf_map_update_elem(&socks, &cookie, &s, BPF_ANY);
}

static __always_inline int same_netns(void *ctx)
{
	return bpf_get_netns_cookie(ctx) == netns_cookie;
}

SEC("cgroup/sock_create")
int cso_create(struct bpf_sock *sk)
{
	__u8 family = short_family(sk->family);

	if (wanted(family, sk->protocol) && same_netns(sk))
		record(bpf_get_socket_cookie(sk), family, sk->protocol);
	return ALLOW;
}

static __always_inline int on_addr(struct bpf_sock_addr *ctx)
{
	__u8 family = short_family(ctx->family);

	if (wanted(family, ctx->protocol) && same_netns(ctx))
		record(bpf_get_socket_cookie(ctx), family, ctx->protocol);
	return ALLOW;
}

SEC("cgroup/connect4")
int cso_connect4(struct bpf_sock_addr *ctx)
{
	return on_addr(ctx);
}

SEC("cgroup/connect6")
int cso_connect6(struct bpf_sock_addr *ctx)
{
	return on_addr(ctx);
}

SEC("cgroup/sendmsg4")
int cso_sendmsg4(struct bpf_sock_addr *ctx)
{
	return on_addr(ctx);
}

SEC("cgroup/sendmsg6")
int cso_sendmsg6(struct bpf_sock_addr *ctx)
{
	return on_addr(ctx);
}

static __always_inline int is_v4mapped(const __u32 *a)
{
	return a[0] == 0 && a[1] == 0 && a[2] == bpf_htonl(0xffff);
}

static __always_inline int is_any6(const __u32 *a)
{
	return (a[0] | a[1] | a[2] | a[3]) == 0;
}

/* Fills t's addresses from a socket's (IPv4-mapped IPv6 becomes IPv4). */
static __always_inline void tuple_addrs(struct so_tuple *t, __u32 family, __u32 src4, __u32 dst4,
                                        const __u32 *src6, const __u32 *dst6)
{
	if (family == AF_INET) {
		t->family = 4;
		__builtin_memcpy(t->laddr, &src4, 4);
		__builtin_memcpy(t->raddr, &dst4, 4);
	} else if (is_v4mapped(dst6) || (is_any6(dst6) && is_v4mapped(src6))) {
		t->family = 4;
		__builtin_memcpy(t->laddr, &src6[3], 4);
		__builtin_memcpy(t->raddr, &dst6[3], 4);
	} else {
		t->family = 6;
		__builtin_memcpy(t->laddr, src6, 16);
		__builtin_memcpy(t->raddr, dst6, 16);
	}
}

/* post_bind: the local end is known now, in the binder's context: publish the "local address
 * and port" and "local port alone" entries at once (a UDP server's first datagram, a TCP
 * listener's first SYN come in after the process may have gone). post_bind4 may read only
 * src_ip4 and post_bind6 only src_ip6 (the verifier says so), hence v6, a constant. */
static __always_inline int on_bind(struct bpf_sock *sk, int v6)
{
	__u8 family = short_family(sk->family);
	__u32 src6[4] = {}, zero6[4] = {};
	struct so_tuple t = {};
	struct so_owner o = {};

	if (!wanted(family, sk->protocol) || !same_netns(sk))
		return ALLOW;
	record(bpf_get_socket_cookie(sk), family, sk->protocol);
	if (v6) {
		src6[0] = sk->src_ip6[0];
		src6[1] = sk->src_ip6[1];
		src6[2] = sk->src_ip6[2];
		src6[3] = sk->src_ip6[3];
		tuple_addrs(&t, AF_INET6, 0, 0, src6, zero6);
	} else {
		tuple_addrs(&t, AF_INET, sk->src_ip4, 0, src6, zero6);
	}
	t.proto = sk->protocol;
	t.lport = sk->src_port;
	fill_owner(&o);
	bpf_map_update_elem(&tuples, &t, &o, BPF_ANY);
	__builtin_memset(t.laddr, 0, sizeof(t.laddr));
	bpf_map_update_elem(&tuples, &t, &o, BPF_ANY);
	return ALLOW;
}

SEC("cgroup/post_bind4")
int cso_post_bind4(struct bpf_sock *sk)
{
	return on_bind(sk, 0);
}

SEC("cgroup/post_bind6")
int cso_post_bind6(struct bpf_sock *sk)
{
	return on_bind(sk, 1);
}

SEC("cgroup/sock_release")
int cso_release(struct bpf_sock *sk)
{
	__u64 cookie = bpf_get_socket_cookie(sk);

	bpf_map_delete_elem(&socks, &cookie);
	return ALLOW;
}

/* Packet context: copy a known socket's owner to its tuple, unless done recently. */
static __always_inline void publish(struct __sk_buff *skb)
{
	__u64 cookie = bpf_get_socket_cookie(skb);
	struct so_sock *s;
	struct bpf_sock *sk;
	struct so_tuple t = {};
	__u32 src6[4], dst6[4];
	__u64 now;

	if (!cookie)
		return;
	s = bpf_map_lookup_elem(&socks, &cookie);
	if (!s)
		return;
	now = bpf_ktime_get_ns();
	if (s->published_ns && now - s->published_ns < REPUBLISH_NS)
		return;
	sk = skb->sk;
	if (!sk)
		return;
	src6[0] = sk->src_ip6[0];
	src6[1] = sk->src_ip6[1];
	src6[2] = sk->src_ip6[2];
	src6[3] = sk->src_ip6[3];
	dst6[0] = sk->dst_ip6[0];
	dst6[1] = sk->dst_ip6[1];
	dst6[2] = sk->dst_ip6[2];
	dst6[3] = sk->dst_ip6[3];
	tuple_addrs(&t, sk->family, sk->src_ip4, sk->dst_ip4, src6, dst6);
	t.proto = s->proto;
	t.lport = sk->src_port;
	t.rport = bpf_ntohs(sk->dst_port);
	bpf_map_update_elem(&tuples, &t, &s->owner, BPF_ANY);
	s->published_ns = now;
}

SEC("cgroup_skb/egress")
int cso_egress(struct __sk_buff *skb)
{
	publish(skb);
	return ALLOW;
}
