/*
 * test_proc_comment.c - the process comment of a pcapng packet (proc_comment.h): every field
 * survives a round trip, hostile names cannot forge lines, and cut comments, garbage,
 * overlong lines and embedded NULs are parsed within their bytes, never guessed.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "procs/proc_comment.h"

static struct proc_info sample(void)
{
	struct proc_info p = {.pid = 4242, .uid = 1000, .start = 987654321ull, .how = AH_SOCKDIAG};

	snprintf(p.name, sizeof p.name, "curl");
	snprintf(p.user, sizeof p.user, "alice");
	snprintf(p.cmdline, sizeof p.cmdline, "curl -s http://198.18.0.2/");
	snprintf(p.cgroup, sizeof p.cgroup, "/system.slice/foo.service");
	return p;
}

static void same(const struct proc_info *a, const struct proc_info *b)
{
	CHECK_EQ_INT(a->pid, b->pid);
	CHECK_EQ_INT(a->uid, b->uid);
	CHECK_EQ_INT(a->start, b->start);
	CHECK_EQ_STR(a->name, b->name);
	CHECK_EQ_STR(a->user, b->user);
	CHECK_EQ_STR(a->cmdline, b->cmdline);
	CHECK_EQ_STR(a->cgroup, b->cgroup);
	CHECK_EQ_STR(a->container, b->container);
}

static void test_round_trip(void)
{
	struct proc_info p = sample(), q;
	char buf[2048];
	bool out = false;
	size_t n = proc_comment_format(&p, true, buf, sizeof buf);

	CHECK_EQ_INT(n, strlen(buf));
	const char *head = "Process: curl[4242]\nPID: 4242\nCommand: curl\nUser: alice (1000)\n";
	CHECK(strncmp(buf, head, strlen(head)) == 0);
	CHECK(strstr(buf, "Direction: out\n") != NULL);
	CHECK(proc_comment_parse(buf, n, &q, &out));
	CHECK(out);
	CHECK_EQ_INT(q.how, AH_COMMENT);
	same(&p, &q);
	proc_comment_format(&p, false, buf, sizeof buf);
	CHECK(proc_comment_parse(buf, strlen(buf), &q, &out));
	CHECK(!out);
}

/* A process names itself: newlines, brackets, backslashes and bytes >= 0x80 come back raw
 * and never make a line of their own; the text written is ASCII. */
static void test_hostile_name(void)
{
	struct proc_info p = sample(), q;
	char buf[4096];
	bool out;

	snprintf(p.name, sizeof p.name, "x\nPID: 1\n[7]\\\xff\xc3\xa9");
	snprintf(p.cmdline, sizeof p.cmdline, "a\r\nProcess: evil[1]\x1b[2J");
	snprintf(p.user, sizeof p.user, "bob (12)");
	size_t n = proc_comment_format(&p, true, buf, sizeof buf);
	for (size_t i = 0; i < n; i++)
		CHECK((unsigned char)buf[i] < 0x80 && (buf[i] >= 0x20 || buf[i] == '\n'));
	CHECK(proc_comment_parse(buf, n, &q, &out));
	same(&p, &q);
	/* a user name that ends like " (12)" and an unknown uid */
	p.uid = UINT32_MAX;
	n = proc_comment_format(&p, true, buf, sizeof buf);
	CHECK(proc_comment_parse(buf, n, &q, &out));
	CHECK_EQ_STR(q.user, "bob (12)");
	CHECK_EQ_INT(q.uid, UINT32_MAX);
}

/* Every prefix of a comment parses without reading past it; a cut comment gives what its
 * whole lines say. */
static void test_cut(void)
{
	struct proc_info p = sample(), q;
	char buf[2048], copy[2048];
	bool out;
	size_t n = proc_comment_format(&p, true, buf, sizeof buf);
	int ours = 0;

	for (size_t len = 0; len <= n; len++) {
		memcpy(copy, buf, len); /* the sanitizers see a read past len in the copy's tail */
		memset(copy + len, 'Z', sizeof copy - len);
		ours += proc_comment_parse(copy, len, &q, &out);
		CHECK(q.pid == 0 || q.pid == 4242 || q.pid == 424 || q.pid == 42 || q.pid == 4);
	}
	CHECK(ours > 0);
	CHECK(!proc_comment_parse(buf, 10, &q, &out)); /* "Process: " with no pid */
	/* a buffer too small for every line: whole lines only, still ours */
	n = proc_comment_format(&p, true, buf, 40);
	CHECK(n < 40);
	CHECK(buf[n - 1] == '\n');
	CHECK(proc_comment_parse(buf, n, &q, &out));
	CHECK_EQ_INT(q.pid, 4242);
	CHECK_EQ_INT(proc_comment_format(&p, true, buf, 5), 0);
	CHECK_EQ_STR(buf, "");
}

static void test_garbage(void)
{
	static const char *cases[] = {
	    "",
	    "hello world",
	    "Process: curl",
	    "Process: curl[]",
	    "Process: curl[12a]",
	    "PID: -5",
	    "PID: 99999999999999999999999",
	    "PID: 4294967296",
	    "PID:4242",
	    "pid: 4242",
	    ":::::\n\n\n: \n",
	    "Process: [",
	    "Process: ]",
	};
	struct proc_info q;
	bool out;

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		check_context(cases[i]);
		CHECK(!proc_comment_parse(cases[i], strlen(cases[i]), &q, &out));
		CHECK_EQ_INT(q.pid, 0);
	}
	check_context("");
	CHECK(proc_comment_parse("PID: 4294967295", 15, &q, &out));
	CHECK_EQ_INT(q.pid, 4294967295u);
	const char *t = "junk\r\nPID: 7\r\nCommand: a\\x41\\\\\\x0\\x00";
	CHECK(proc_comment_parse(t, strlen(t), &q, &out));
	CHECK_EQ_INT(q.pid, 7);
	CHECK_EQ_STR(q.name, "aA\\\\x0\\x00"); /* "\x00" and a cut escape stay as written */
}

/* Values longer than their fields are cut to fit; a 64 KiB line is walked once. */
static void test_overlong(void)
{
	static char text[70000];
	struct proc_info q;
	bool out;
	size_t n = (size_t)snprintf(text, sizeof text, "PID: 9\nCommand: ");

	memset(text + n, 'A', 60000);
	n += 60000;
	n += (size_t)snprintf(text + n, sizeof text - n, "\nCmdline: ");
	memset(text + n, '\\', 9000);
	n += 9000;
	CHECK(proc_comment_parse(text, n, &q, &out));
	CHECK_EQ_INT(q.pid, 9);
	CHECK_EQ_INT(strlen(q.name), PROC_NAME_MAX - 1);
	CHECK_EQ_INT(strlen(q.cmdline), PROC_CMDLINE_MAX - 1);
	CHECK_EQ_INT(q.cmdline[0], '\\');
}

/* A NUL inside a line makes the line unknown; the lines around it still count. */
static void test_nul(void)
{
	static const char text[] =
	    "PID: 5\nCommand: ab\0cd\nUser: u\0 (3)\nPID: 6\0\nDirection: out";
	struct proc_info q;
	bool out;

	CHECK(proc_comment_parse(text, sizeof text - 1, &q, &out));
	CHECK_EQ_INT(q.pid, 5);
	CHECK_EQ_STR(q.name, "");
	CHECK_EQ_STR(q.user, "");
	CHECK_EQ_INT(q.uid, UINT32_MAX);
	CHECK(out);
}

int main(void)
{
	test_round_trip();
	test_hostile_name();
	test_cut();
	test_garbage();
	test_overlong();
	test_nul();
	return check_done();
}
