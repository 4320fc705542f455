/* test_cursor.c - the bounds-checked reader: reads, sticky truncation, windows. */
#include <stddef.h>
#include <stdint.h>

#include "check.h"
#include "decode/cursor.h"

static const uint8_t buf[] = {0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09};

static void test_reads(void)
{
	struct cursor c;

	cur_init(&c, buf, sizeof(buf));
	CHECK_EQ_INT(cur_u8(&c), 0x01);
	CHECK_EQ_INT(cur_be16(&c), 0x0203);
	CHECK_EQ_INT(cur_le16(&c), 0x0504);
	CHECK_EQ_INT(cur_left(&c), 4);
	CHECK_EQ_INT(cur_be32(&c), 0x06070809);
	CHECK(!c.truncated);
	cur_init(&c, buf, sizeof(buf));
	CHECK_EQ_INT(cur_le32(&c), 0x04030201);
	CHECK(cur_bytes(&c, 5) == buf + 4);
	CHECK(!c.truncated);
	CHECK_EQ_INT(cur_left(&c), 0);
}

static void test_truncation_is_sticky(void)
{
	struct cursor c;

	cur_init(&c, buf, 3);
	CHECK_EQ_INT(cur_be32(&c), 0); /* does not fit: reads nothing */
	CHECK(c.truncated);
	CHECK_EQ_INT(c.off, 0);
	/* every later read fails too: it would start at the offset the failed read left */
	CHECK_EQ_INT(cur_u8(&c), 0);
	CHECK(c.truncated); /* and the flag stays */
	CHECK(cur_bytes(&c, 1) == NULL);
	CHECK(!cur_skip(&c, 1));
	CHECK_EQ_INT(c.off, 0);
	cur_init(&c, buf, 3);
	CHECK(cur_skip(&c, 3));
	CHECK_EQ_INT(cur_u8(&c), 0);
	CHECK_EQ_INT(cur_be16(&c), 0);
	CHECK_EQ_INT(cur_le16(&c), 0);
	CHECK_EQ_INT(cur_le32(&c), 0);
	CHECK_EQ_INT(c.off, 3);
}

static void test_huge_lengths(void)
{
	struct cursor c;

	cur_init(&c, buf, sizeof(buf));
	cur_u8(&c);
	CHECK(!cur_has(&c, UINT32_MAX)); /* off + n would overflow */
	CHECK(cur_bytes(&c, UINT32_MAX) == NULL);
	CHECK(!cur_skip(&c, UINT32_MAX - 1));
	CHECK_EQ_INT(c.off, 1);
	cur_init(&c, buf, 0);
	CHECK(cur_has(&c, 0));
	CHECK(!cur_has(&c, 1));
	CHECK(cur_bytes(&c, 0) != NULL);
}

static void test_peek(void)
{
	struct cursor c;
	uint16_t v = 0;

	cur_init(&c, buf, sizeof(buf));
	CHECK(cur_peek_be16(&c, 7, &v));
	CHECK_EQ_INT(v, 0x0809);
	CHECK(!cur_peek_be16(&c, 8, &v));
	CHECK(!cur_peek_be16(&c, UINT32_MAX, &v));
	CHECK(!c.truncated);
	CHECK_EQ_INT(c.off, 0);
	cur_skip(&c, 4);
	CHECK(!cur_peek_be16(&c, 2, &v)); /* behind the cursor */
}

static void test_windows(void)
{
	struct cursor c, s, r;

	cur_init(&c, buf, sizeof(buf));
	cur_skip(&c, 2);
	s = cur_sub(&c, 3);
	CHECK(!s.truncated);
	CHECK_EQ_INT(s.off, 2);
	CHECK_EQ_INT(s.end, 5);
	CHECK_EQ_INT(cur_be16(&s), 0x0304);
	CHECK_EQ_INT(cur_be16(&s), 0); /* narrowed: the parent's bytes are out of reach */
	CHECK(s.truncated);
	CHECK_EQ_INT(c.off, 2); /* parent not advanced */
	CHECK(!c.truncated);

	s = cur_sub(&c, 100); /* more than captured: cut at the parent's end, marked */
	CHECK(s.truncated);
	CHECK_EQ_INT(s.end, sizeof(buf));

	cur_init(&c, buf, 4);
	cur_skip(&c, 1);
	c.truncated = true;
	r = cur_rest(&c);
	CHECK(!r.truncated);
	CHECK_EQ_INT(r.off, 1);
	CHECK_EQ_INT(r.end, 4);
	CHECK_EQ_INT(cur_left(&r), 3);
}

int main(void)
{
	test_reads();
	test_truncation_is_sticky();
	test_huge_lengths();
	test_peek();
	test_windows();
	return check_done();
}
