/*
 * dfilter_int.h - the display filter's internals, shared by its files (not a public API).
 *
 * Pipeline: dfilter_lex.c cuts the text into tokens on demand; dfilter_parse.c builds a
 * tree of nodes in one array (children by index, set members chained by `next`);
 * dfilter_check.c resolves names to field keys and protocols, gives every value node its
 * type and converts literals (dfilter_literal.c) into constants; dfilter_eval.c walks the
 * tree per packet; dfilter_regex.c wraps PCRE2. Every stage reports its first error through
 * df_fail() with the byte offset it concerns.
 */
#ifndef CAPSCOPE_DFILTER_INT_H
#define CAPSCOPE_DFILTER_INT_H

#include <stdint.h>

#include "decode/dfilter.h"

#define DF_MAX_NODES 8192  /* nodes of one filter */
#define DF_MAX_POOL  65536 /* bytes of converted literals (byte strings, strings) */
#define DF_MAX_REGEX 16    /* `matches` operators in one filter */

enum df_tok {
	TK_END,
	TK_WORD,   /* a name or an unquoted literal: ip.src, 10.0.0.1, 02:00:00:00:00:01, 0x800 */
	TK_STRING, /* "text" with escapes */
	TK_RAW,    /* r"text" without escapes */
	TK_CHAR,   /* 'A' */
	TK_LPAREN,
	TK_RPAREN,
	TK_LBRACE,
	TK_RBRACE,
	TK_LBRACKET,
	TK_RBRACKET,
	TK_COMMA,
	TK_DOTDOT,
	TK_AND,
	TK_OR,
	TK_NOT,
	TK_CMP, /* `op` holds the enum df_op */
	TK_BITAND,
	TK_IN,
	TK_ANY,
	TK_ALL,
};

enum df_op {
	OP_EQ,     /* ==, any pair equal */
	OP_ALL_NE, /* != in tshark 4.0: no pair equal */
	OP_ALL_EQ, /* === */
	OP_ANY_NE, /* !== and ~= */
	OP_LT,
	OP_GT,
	OP_LE,
	OP_GE,
	OP_CONTAINS,
	OP_MATCHES,
};

struct df_token {
	enum df_tok kind;
	uint8_t op;   /* TK_CMP: enum df_op */
	uint32_t pos; /* byte offset in the text */
	uint32_t len;
};

struct df_lexer {
	const char *text;
	uint32_t n;
	uint32_t pos;
	struct df_token tok; /* the current token */
};

enum df_kind {
	DN_TRUE,  /* the empty filter */
	DN_AND,   /* a && b && ...: the children start at a and are chained by next */
	DN_OR,    /* a || b || ..., as DN_AND */
	DN_NOT,   /* !a */
	DN_TEST,  /* a alone: the value exists (a bitwise and: is not zero) */
	DN_CMP,   /* a op b */
	DN_IN,    /* a in {b...}: b is the first DN_MEMBER */
	DN_FIELD, /* a catalogue field (key), maybe sliced */
	DN_PROTO, /* a protocol's bytes (key = enum proto), maybe sliced */
	DN_FUNC,  /* fn(a) */
	DN_BITAND,
	DN_LIT,    /* a literal: text [pos, pos+len) as token lit_tok, converted by the check */
	DN_MEMBER, /* a set member: a, or the range a..b (b >= 0); next = the next member */
};

enum df_fn { FN_LEN, FN_LOWER, FN_UPPER, FN_COUNT };

enum df_quant { Q_DEFAULT, Q_ANY, Q_ALL };

/* A converted literal. Integers are sign and magnitude so every uint64 and int64 fits. */
struct df_const {
	bool neg;
	uint8_t prefix; /* IPv4/IPv6 network prefix length (32/128: the whole address) */
	uint64_t u;     /* integer magnitude, boolean */
	int64_t ns;     /* time in nanoseconds */
	uint32_t off;   /* bytes in the pool: addresses, byte strings, strings */
	uint32_t n;
	int16_t regex; /* OP_MATCHES: index into the filter's regex table */
};

struct df_slice {
	bool on;
	bool to_end;   /* [i:] */
	int32_t start; /* negative: from the end */
	uint32_t len;
};

struct df_node {
	uint8_t kind;  /* enum df_kind */
	uint8_t op;    /* DN_CMP: enum df_op; DN_FUNC: enum df_fn */
	uint8_t quant; /* DN_CMP, DN_IN: enum df_quant */
	uint8_t vtype; /* a value node's enum field_vtype, set by the check */
	uint8_t lit_tok;
	uint16_t key; /* DN_FIELD: enum field_key; DN_PROTO: enum proto */
	int32_t a, b, next;
	uint32_t pos, len; /* the source text this node came from */
	struct df_slice slice;
	struct df_const c;
};

struct df_regex;

struct dfilter {
	char *text;
	uint32_t ntext;
	struct df_node *nodes;
	uint32_t nn;
	uint8_t *pool;
	uint32_t npool;
	struct df_regex *regex[DF_MAX_REGEX];
	int nregex;
	int32_t root;
	/* the first error: column (byte offset) and message */
	bool failed;
	uint32_t err_pos;
	char err[DFILTER_ERRLEN];
};

/* Records the first error (printf format) at byte offset pos; returns -1 for the caller. */
int df_fail(struct dfilter *df, uint32_t pos, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* ---- dfilter_lex.c ---- */
void df_lex_init(struct df_lexer *lx, const char *text, uint32_t n);
/* Advances to the next token; -1 (and an error) on a character no token starts with. */
int df_lex_next(struct dfilter *df, struct df_lexer *lx);

/* ---- dfilter_parse.c ---- */
/* Parses the whole text into df->nodes; returns the root node or -1. */
int32_t df_parse(struct dfilter *df);
/* Appends a node of this kind for the source span; -1 when the filter has too many. */
int32_t df_node_new(struct dfilter *df, enum df_kind kind, uint32_t pos, uint32_t len);

/* ---- dfilter_check.c ---- */
/* Resolves names, types the values and converts the literals of the tree; 0 or -1. */
int df_check(struct dfilter *df, int32_t root);

/* ---- dfilter_literal.c: text of one token -> a constant of the wanted type ---- */
/* Each returns 0, or -1 after df_fail() naming the literal and the type. */
int df_lit_int(struct dfilter *df, const struct df_node *n, struct df_const *c);
int df_lit_bool(struct dfilter *df, const struct df_node *n, struct df_const *c);
int df_lit_time(struct dfilter *df, const struct df_node *n, struct df_const *c);
int df_lit_mac(struct dfilter *df, const struct df_node *n, struct df_const *c);
int df_lit_ipv4(struct dfilter *df, const struct df_node *n, struct df_const *c);
int df_lit_ipv6(struct dfilter *df, const struct df_node *n, struct df_const *c);
/* Bytes: a quoted string's bytes, or hex bytes separated by ':', '-' or '.' (or none). */
int df_lit_bytes(struct dfilter *df, const struct df_node *n, struct df_const *c);
/* A string: quoted (escapes processed), raw, or an unquoted word as written. */
int df_lit_string(struct dfilter *df, const struct df_node *n, struct df_const *c);
/* Parses a slice body ("0:3", "1-2", ":4", "-1", "2:") at [pos, pos+len). */
int df_lit_slice(struct dfilter *df, uint32_t pos, uint32_t len, struct df_slice *s);

/* ---- dfilter_regex.c ---- */
/* Compiles the regex text[0..n) into df's table; returns its index or -1 (error set). */
int df_regex_compile(struct dfilter *df, uint32_t pos, const uint8_t *text, uint32_t n);
/* True if subject[0..n) matches; a match that hits the limits is no match. */
bool df_regex_match(const struct df_regex *re, const uint8_t *subject, uint32_t n);
void df_regex_free(struct df_regex *re);

/* ---- dfilter_bpf_leaf.c: one relation's BPF approximations (dfilter_bpf.c combines) ---- */
#define DF_BPF_LEAF 1024 /* longest text of one relation's S or I */

enum df_bpf_kind { BK_FALSE, BK_TRUE, BK_TEXT };

/* S keeps every packet the relation keeps: s_text (or s), or T when `nested`; I keeps only
 * packets it keeps. `why`, when S is BK_TRUE, says why there is nothing tighter. */
struct df_bpf_leaf {
	uint8_t s, i; /* enum df_bpf_kind */
	bool nested;
	const char *why;
	char s_text[DF_BPF_LEAF];
	char i_text[DF_BPF_LEAF];
};

/* T: "capscope may decode a layer BPF's fixed offsets miss", parenthesized; NULL when the
 * link type has no prefilter beyond frame.len. */
const char *df_bpf_nested(int linktype);
/* frame.len - BPF's len lies in [0, slack] on this link type (VLAN tags, cooked headers). */
unsigned df_bpf_len_slack(int linktype);
/* The protocol a field key belongs to (P_NONE for frame.* and unknown keys). */
enum proto df_bpf_key_proto(unsigned key);
/* S and I of "left has an occurrence" (left: a field, a protocol, maybe sliced, or a
 * bitwise and of a field); I is false unless left is a whole protocol. */
void df_bpf_presence(const struct dfilter *df, const struct df_node *left, int linktype,
                     struct df_bpf_leaf *o);
/* S and I of "field f == lo" (or f in lo..hi when hi is not NULL) on fields BPF reads on the
 * outermost headers: addresses, ports, ip.proto, eth addresses. False for any other. */
bool df_bpf_field_eq(const struct dfilter *df, const struct df_node *f, const struct df_node *lo,
                     const struct df_node *hi, int linktype, struct df_bpf_leaf *o);

/* ---- dfilter_eval.c ---- */
bool df_eval(const struct dfilter *df, int32_t node, const struct dissection *d,
             const struct frame_meta *m);

#endif
