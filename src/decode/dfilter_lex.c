/*
 * dfilter_lex.c - cuts display filter text into tokens, one at a time (see dfilter_int.h).
 *
 * As in tshark 4.0, an unquoted word is one run of letters, digits and "_.:-/" (so field
 * names, numbers, addresses, MACs and byte strings are single words, and what a word means
 * is decided later against the field it is compared with); ".." ends a word, so ranges in
 * sets ("80..90") split. Keywords are the words below. Tokens keep their place in the text
 * and are converted later, so the lexer copies nothing and never allocates.
 */
#include <string.h>

#include "decode/dfilter_int.h"

struct keyword {
	const char *word;
	enum df_tok kind;
	enum df_op op;
};

static const struct keyword keywords[] = {
    {"and", TK_AND, OP_EQ},
    {"or", TK_OR, OP_EQ},
    {"not", TK_NOT, OP_EQ},
    {"in", TK_IN, OP_EQ},
    {"any", TK_ANY, OP_EQ},
    {"all", TK_ALL, OP_EQ},
    {"eq", TK_CMP, OP_EQ},
    {"any_eq", TK_CMP, OP_EQ},
    {"ne", TK_CMP, OP_ALL_NE},
    {"all_ne", TK_CMP, OP_ALL_NE},
    {"all_eq", TK_CMP, OP_ALL_EQ},
    {"any_ne", TK_CMP, OP_ANY_NE},
    {"lt", TK_CMP, OP_LT},
    {"gt", TK_CMP, OP_GT},
    {"le", TK_CMP, OP_LE},
    {"ge", TK_CMP, OP_GE},
    {"contains", TK_CMP, OP_CONTAINS},
    {"matches", TK_CMP, OP_MATCHES},
};

/* Operators made of punctuation, longest first so "===" wins over "==". */
static const struct keyword puncts[] = {
    {"===", TK_CMP, OP_ALL_EQ}, {"!==", TK_CMP, OP_ANY_NE}, {"==", TK_CMP, OP_EQ},
    {"!=", TK_CMP, OP_ALL_NE},  {"~=", TK_CMP, OP_ANY_NE},  {"<=", TK_CMP, OP_LE},
    {">=", TK_CMP, OP_GE},      {"&&", TK_AND, OP_EQ},      {"||", TK_OR, OP_EQ},
    {"..", TK_DOTDOT, OP_EQ},   {"<", TK_CMP, OP_LT},       {">", TK_CMP, OP_GT},
    {"!", TK_NOT, OP_EQ},       {"&", TK_BITAND, OP_EQ},    {"(", TK_LPAREN, OP_EQ},
    {")", TK_RPAREN, OP_EQ},    {"{", TK_LBRACE, OP_EQ},    {"}", TK_RBRACE, OP_EQ},
    {"[", TK_LBRACKET, OP_EQ},  {"]", TK_RBRACKET, OP_EQ},  {",", TK_COMMA, OP_EQ},
};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

void df_lex_init(struct df_lexer *lx, const char *text, uint32_t n)
{
	lx->text = text;
	lx->n = n;
	lx->pos = 0;
	lx->tok.kind = TK_END;
	lx->tok.pos = 0;
	lx->tok.len = 0;
}

static bool is_word_char(char ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
	       ch == '_' || ch == '.' || ch == ':' || ch == '-' || ch == '/';
}

static bool is_space(char ch)
{
	return ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r' || ch == '\f' || ch == '\v';
}

static void set_tok(struct df_lexer *lx, enum df_tok kind, enum df_op op, uint32_t len)
{
	lx->tok.kind = kind;
	lx->tok.op = (uint8_t)op;
	lx->tok.pos = lx->pos;
	lx->tok.len = len;
	lx->pos += len;
}

/* A word ends at a character outside the set or at "..". */
static uint32_t word_len(const struct df_lexer *lx)
{
	uint32_t i = lx->pos;

	while (i < lx->n && is_word_char(lx->text[i]) &&
	       !(lx->text[i] == '.' && i + 1 < lx->n && lx->text[i + 1] == '.'))
		i++;
	return i - lx->pos;
}

static void lex_word(struct df_lexer *lx, uint32_t len)
{
	const char *w = lx->text + lx->pos;

	for (size_t k = 0; k < COUNT(keywords); k++)
		if (strlen(keywords[k].word) == len && memcmp(keywords[k].word, w, len) == 0) {
			set_tok(lx, keywords[k].kind, keywords[k].op, len);
			return;
		}
	set_tok(lx, TK_WORD, OP_EQ, len);
}

/* A quoted run from `open` (the quote character's offset); -1 if it never closes. */
static int quoted_len(const struct df_lexer *lx, uint32_t open, char quote, uint32_t *len)
{
	for (uint32_t i = open + 1; i < lx->n; i++) {
		if (lx->text[i] == '\\')
			i++;
		else if (lx->text[i] == quote) {
			*len = i + 1 - lx->pos;
			return 0;
		}
	}
	return -1;
}

static int lex_quoted(struct dfilter *df, struct df_lexer *lx, enum df_tok kind, uint32_t open)
{
	char quote = lx->text[open];
	uint32_t len;

	if (quoted_len(lx, open, quote, &len) < 0)
		return df_fail(df, lx->pos, "%s never closes",
		               quote == '"' ? "this string" : "this character constant");
	set_tok(lx, kind, OP_EQ, len);
	return 0;
}

static int lex_punct(struct dfilter *df, struct df_lexer *lx)
{
	const char *s = lx->text + lx->pos;
	uint32_t left = lx->n - lx->pos;
	unsigned char ch = (unsigned char)*s;

	for (size_t k = 0; k < COUNT(puncts); k++) {
		uint32_t len = (uint32_t)strlen(puncts[k].word);
		if (len <= left && memcmp(puncts[k].word, s, len) == 0) {
			set_tok(lx, puncts[k].kind, puncts[k].op, len);
			return 0;
		}
	}
	if (ch >= 0x21 && ch < 0x7f)
		return df_fail(df, lx->pos, "unexpected character '%c'", ch);
	return df_fail(df, lx->pos, "unexpected byte 0x%02x", ch);
}

int df_lex_next(struct dfilter *df, struct df_lexer *lx)
{
	uint32_t len;

	while (lx->pos < lx->n && is_space(lx->text[lx->pos]))
		lx->pos++;
	if (lx->pos >= lx->n) {
		set_tok(lx, TK_END, OP_EQ, 0);
		return 0;
	}
	if (lx->text[lx->pos] == '"')
		return lex_quoted(df, lx, TK_STRING, lx->pos);
	if (lx->text[lx->pos] == '\'')
		return lex_quoted(df, lx, TK_CHAR, lx->pos);
	if (lx->text[lx->pos] == 'r' && lx->pos + 1 < lx->n && lx->text[lx->pos + 1] == '"')
		return lex_quoted(df, lx, TK_RAW, lx->pos + 1);
	len = word_len(lx);
	if (len > 0) {
		lex_word(lx, len);
		return 0;
	}
	return lex_punct(df, lx);
}
