/*
 * dfilter_parse.c - recursive-descent parser for display filters (see dfilter_int.h).
 *
 * The grammar, with tshark 4.0's precedence (! binds tightest, then &&, then ||):
 *   expr     = and { ("||" | "or") and }
 *   and      = unary { ("&&" | "and") unary }
 *   unary    = ("!" | "not") unary | "(" expr ")" | relation
 *   relation = ["any" | "all"] value [cmp value | ["not"] "in" set]
 *   value    = atom ["&" atom]
 *   atom     = word "(" value ")" | word ["[" slice "]"] | "string" | r"raw" | 'c'
 *   set      = "{" member {"," member} "}"      member = atom [".." atom]
 * Every nesting step (parentheses, negation, function) counts against DFILTER_MAX_DEPTH,
 * so hostile input ends in an error, never in a deep stack.
 */
#include <string.h>

#include "decode/dfilter_int.h"

struct parser {
	struct dfilter *df;
	struct df_lexer lx;
	int depth;
};

static int32_t parse_expr(struct parser *p);

int32_t df_node_new(struct dfilter *df, enum df_kind kind, uint32_t pos, uint32_t len)
{
	struct df_node *n;

	if (df->nn >= DF_MAX_NODES)
		return df_fail(df, pos, "the filter is too long (more than %d terms)",
		               DF_MAX_NODES);
	n = &df->nodes[df->nn];
	memset(n, 0, sizeof *n);
	n->kind = (uint8_t)kind;
	n->a = n->b = n->next = -1;
	n->pos = pos;
	n->len = len;
	n->c.regex = -1;
	return (int32_t)df->nn++;
}

static const struct df_token *tok(const struct parser *p)
{
	return &p->lx.tok;
}

static int advance(struct parser *p)
{
	return df_lex_next(p->df, &p->lx);
}

/* The end of what the parser has consumed so far: for node spans. */
static uint32_t consumed_end(const struct parser *p, uint32_t start)
{
	uint32_t end = p->lx.tok.pos;

	while (end > start && (p->lx.text[end - 1] == ' ' || p->lx.text[end - 1] == '\t'))
		end--;
	return end > start ? end - start : 0;
}

static int unexpected(struct parser *p, const char *wanted)
{
	const struct df_token *t = tok(p);

	if (t->kind == TK_END)
		return df_fail(p->df, t->pos, "unexpected end of filter (expected %s)", wanted);
	return df_fail(p->df, t->pos, "\"%.*s\" was unexpected here (expected %s)",
	               (int)(t->len > 40 ? 40 : t->len), p->lx.text + t->pos, wanted);
}

static int expect(struct parser *p, enum df_tok kind, const char *wanted)
{
	if (tok(p)->kind != kind)
		return unexpected(p, wanted);
	return advance(p);
}

static int enter(struct parser *p)
{
	if (++p->depth > DFILTER_MAX_DEPTH)
		return df_fail(p->df, tok(p)->pos, "nested more than %d levels deep",
		               DFILTER_MAX_DEPTH);
	return 0;
}

static int32_t binary(struct parser *p, enum df_kind kind, int32_t a, int32_t b, uint32_t pos)
{
	int32_t n;

	if (a < 0 || b < 0)
		return -1;
	n = df_node_new(p->df, kind, pos, consumed_end(p, pos));
	if (n >= 0) {
		p->df->nodes[n].a = a;
		p->df->nodes[n].b = b;
	}
	return n;
}

/* "[" slice "]" after a name; the slice body is one word ("0:3", "1-2", "-1", ":4"). */
static int parse_slice(struct parser *p, int32_t n)
{
	const struct df_token *t;

	if (advance(p) < 0)
		return -1;
	t = tok(p);
	if (t->kind != TK_WORD)
		return unexpected(p, "a byte range such as [0:3], [1-2], [:4] or [-1]");
	if (df_lit_slice(p->df, t->pos, t->len, &p->df->nodes[n].slice) < 0 || advance(p) < 0)
		return -1;
	return expect(p, TK_RBRACKET, "\"]\"");
}

static int32_t parse_value(struct parser *p);

static int32_t parse_call(struct parser *p, int32_t n)
{
	int32_t arg;

	if (enter(p) < 0 || advance(p) < 0)
		return -1;
	arg = parse_value(p);
	if (arg < 0 || expect(p, TK_RPAREN, "\")\" after the function's argument") < 0)
		return -1;
	p->depth--;
	p->df->nodes[n].kind = DN_FUNC;
	p->df->nodes[n].a = arg;
	p->df->nodes[n].len = consumed_end(p, p->df->nodes[n].pos);
	return n;
}

/* A word is a literal until the check finds it names a field or protocol. */
static int32_t parse_atom(struct parser *p)
{
	struct df_token t = *tok(p);
	int32_t n;

	if (t.kind != TK_WORD && t.kind != TK_STRING && t.kind != TK_RAW && t.kind != TK_CHAR)
		return unexpected(p, "a field, a protocol or a value");
	n = df_node_new(p->df, DN_LIT, t.pos, t.len);
	if (n < 0 || advance(p) < 0)
		return -1;
	p->df->nodes[n].lit_tok = (uint8_t)t.kind;
	if (t.kind == TK_WORD && tok(p)->kind == TK_LPAREN)
		return parse_call(p, n);
	if (t.kind == TK_WORD && tok(p)->kind == TK_LBRACKET && parse_slice(p, n) < 0)
		return -1;
	return n;
}

static int32_t parse_value(struct parser *p)
{
	uint32_t pos = tok(p)->pos;
	int32_t a = parse_atom(p);

	if (a < 0 || tok(p)->kind != TK_BITAND)
		return a;
	if (advance(p) < 0)
		return -1;
	return binary(p, DN_BITAND, a, parse_atom(p), pos);
}

static int32_t parse_member(struct parser *p)
{
	uint32_t pos = tok(p)->pos;
	int32_t lo = parse_atom(p), m;

	if (lo < 0)
		return -1;
	if (tok(p)->kind != TK_DOTDOT) {
		m = df_node_new(p->df, DN_MEMBER, pos, consumed_end(p, pos));
		if (m >= 0)
			p->df->nodes[m].a = lo;
		return m;
	}
	if (advance(p) < 0)
		return -1;
	return binary(p, DN_MEMBER, lo, parse_atom(p), pos);
}

static int32_t parse_set(struct parser *p)
{
	int32_t first = -1, last = -1, m;

	if (expect(p, TK_LBRACE, "\"{\" starting the set") < 0)
		return -1;
	for (;;) {
		if ((m = parse_member(p)) < 0)
			return -1;
		if (last >= 0)
			p->df->nodes[last].next = m;
		else
			first = m;
		last = m;
		if (tok(p)->kind == TK_RBRACE)
			break;
		if (expect(p, TK_COMMA,
		           "\",\" or \"}\" (tshark 4.0 separates members with commas)") < 0)
			return -1;
	}
	return advance(p) < 0 ? -1 : first;
}

static int32_t parse_in(struct parser *p, int32_t left, uint32_t pos, bool negate)
{
	int32_t n = binary(p, DN_IN, left, parse_set(p), pos), neg;

	if (n < 0 || !negate)
		return n;
	neg = df_node_new(p->df, DN_NOT, pos, p->df->nodes[n].len);
	if (neg >= 0)
		p->df->nodes[neg].a = n;
	return neg;
}

static int32_t parse_relation(struct parser *p)
{
	uint32_t pos = tok(p)->pos;
	uint8_t quant = tok(p)->kind == TK_ANY ? Q_ANY : tok(p)->kind == TK_ALL ? Q_ALL : Q_DEFAULT;
	int32_t left, n;
	enum df_op op;

	if (quant != Q_DEFAULT && advance(p) < 0)
		return -1;
	if ((left = parse_value(p)) < 0)
		return -1;
	if (tok(p)->kind == TK_IN || tok(p)->kind == TK_NOT) { /* "in", "not in" */
		bool negate = tok(p)->kind == TK_NOT;
		if (advance(p) < 0 || (negate && expect(p, TK_IN, "\"in\" after \"not\"") < 0))
			return -1;
		n = parse_in(p, left, pos, negate);
	} else if (tok(p)->kind == TK_CMP) {
		op = (enum df_op)tok(p)->op;
		if (advance(p) < 0)
			return -1;
		n = binary(p, DN_CMP, left, parse_value(p), pos);
		if (n >= 0)
			p->df->nodes[n].op = (uint8_t)op;
	} else {
		if (quant != Q_DEFAULT)
			return unexpected(p, "a comparison after \"any\"/\"all\"");
		n = df_node_new(p->df, DN_TEST, pos, consumed_end(p, pos));
		if (n >= 0)
			p->df->nodes[n].a = left;
	}
	if (n >= 0)
		p->df->nodes[n].quant = quant;
	return n;
}

static int32_t parse_unary(struct parser *p)
{
	uint32_t pos = tok(p)->pos;
	int32_t n, inner;

	if (tok(p)->kind != TK_NOT && tok(p)->kind != TK_LPAREN)
		return parse_relation(p);
	if (enter(p) < 0)
		return -1;
	if (tok(p)->kind == TK_LPAREN) {
		if (advance(p) < 0 || (n = parse_expr(p)) < 0 ||
		    expect(p, TK_RPAREN, "\")\" or an operator") < 0)
			return -1;
		p->depth--;
		return n;
	}
	if (advance(p) < 0 || (inner = parse_unary(p)) < 0)
		return -1;
	p->depth--;
	n = df_node_new(p->df, DN_NOT, pos, consumed_end(p, pos));
	if (n >= 0)
		p->df->nodes[n].a = inner;
	return n;
}

/* A run of operands joined by one operator becomes one node whose children are chained by
 * `next`, so evaluating "a && b && c ..." loops instead of recursing once per operand. */
static int32_t chain(struct parser *p, enum df_kind kind, enum df_tok op,
                     int32_t (*operand)(struct parser *))
{
	uint32_t pos = tok(p)->pos;
	int32_t first = operand(p), last = first, n;

	if (first < 0 || tok(p)->kind != op)
		return first;
	while (tok(p)->kind == op) {
		int32_t next;
		if (advance(p) < 0 || (next = operand(p)) < 0)
			return -1;
		p->df->nodes[last].next = next;
		last = next;
	}
	n = df_node_new(p->df, kind, pos, consumed_end(p, pos));
	if (n >= 0)
		p->df->nodes[n].a = first;
	return n;
}

static int32_t parse_and(struct parser *p)
{
	return chain(p, DN_AND, TK_AND, parse_unary);
}

static int32_t parse_expr(struct parser *p)
{
	return chain(p, DN_OR, TK_OR, parse_and);
}

int32_t df_parse(struct dfilter *df)
{
	struct parser p = {.df = df, .depth = 0};
	int32_t root;

	df_lex_init(&p.lx, df->text, df->ntext);
	if (advance(&p) < 0)
		return -1;
	if (tok(&p)->kind == TK_END)
		return df_node_new(df, DN_TRUE, 0, 0);
	root = parse_expr(&p);
	if (root >= 0 && tok(&p)->kind != TK_END)
		return unexpected(&p, "\"&&\", \"||\" or the end of the filter");
	return root;
}
