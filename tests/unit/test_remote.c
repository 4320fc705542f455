/*
 * test_remote.c - the remote source's pure parts: ssh:// addresses (hostile ones refused),
 * shell quoting, the far command run by /bin/sh here with a fake tcpdump that records the
 * arguments it got (hostile adapter names and filters arrive as they were given, nothing of
 * them runs), CAPSCOPE_SSH_COMMAND's word splitting and ssh's argument vector, stderr turned
 * into one line, and the far adapter list parsed (bounded, escaped).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "capture/remote_cmd.h"
#include "capture/remote_explain.h"
#include "capture/remote_list.h"
#include "check.h"

static void test_urls(void)
{
	struct remote_url u;
	char err[300];
	static const char *bad[] = {
	    "ssh://-oProxyCommand=x/eth0",
	    "ssh://alice@-x/eth0",
	    "ssh://-l@h/eth0",
	    "ssh://h:0/eth0",
	    "ssh://h:99999/eth0",
	    "ssh://h x/eth0",
	    "ssh://h",
	    "ssh://h/",
	    "ssh://h/eth0\x1b[2J",
	    "ssh://h/ssh://x/eth0",
	    "ssh://h;rm/eth0",
	    "ssh://[zz]/eth0",
	    "ssh://h$(id)/eth0",
	    "ssh:///eth0",
	    "rpcap://h/eth0",
	};

	CHECK_EQ_INT(remote_url_parse("ssh://host/eth0", true, &u, err, sizeof err), 0);
	CHECK_EQ_STR(u.host, "host");
	CHECK_EQ_STR(u.user, "");
	CHECK_EQ_STR(u.adapter, "eth0");
	CHECK_EQ_INT(remote_url_parse("ssh://alice@h.example:2222/cs1", true, &u, err, sizeof err),
	             0);
	CHECK_EQ_STR(u.user, "alice");
	CHECK_EQ_STR(u.host, "h.example");
	CHECK_EQ_STR(u.port, "2222");
	CHECK_EQ_INT(
	    remote_url_parse("ssh://[fe80::1]:22/\\Device\\NPF_{X}", true, &u, err, sizeof err), 0);
	CHECK_EQ_STR(u.host, "fe80::1");
	CHECK_EQ_STR(u.adapter, "\\Device\\NPF_{X}");
	remote_url_host_text(&u, err, sizeof err);
	CHECK_EQ_STR(err, "ssh://[fe80::1]:22");
	CHECK_EQ_INT(remote_url_parse("ssh://h/a b'c", true, &u, err, sizeof err), 0);
	CHECK_EQ_STR(u.adapter, "a b'c");
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		check_context(bad[i]);
		CHECK_EQ_INT(remote_url_parse(bad[i], true, &u, err, sizeof err), -1);
		CHECK(strlen(err) > 10 && !strchr(err, '\x1b'));
	}
	/* a host alone (-D ssh://host) */
	CHECK_EQ_INT(remote_url_parse("ssh://bob@far:2200", false, &u, err, sizeof err), 0);
	CHECK_EQ_INT(remote_url_parse("ssh://far/", false, &u, err, sizeof err), 0);
	CHECK_EQ_INT(remote_url_parse("ssh://far/eth0", false, &u, err, sizeof err), -1);
	CHECK(remote_url_is("ssh://x") && !remote_url_is("cs1") && !remote_url_is(NULL));
}

static void test_quote(void)
{
	char out[64] = "x=";

	CHECK(remote_quote(out, sizeof out, "a'b $c"));
	CHECK_EQ_STR(out, "x='a'\\''b $c'");
	CHECK(!remote_quote(out, 16, "far too long for this"));
	CHECK_EQ_STR(out, "x='a'\\''b $c'"); /* unchanged */
}

/* Runs the far command with /bin/sh (as the far login shell would) in dir, with a fake tool
 * that writes each argument on a line of dir/args; returns the args file's text. */
static char *run_far(const char *dir, const char *tool, const char *cmd, const char *conn)
{
	static char text[8192];
	char path[512];
	FILE *f;
	size_t n;
	pid_t pid;
	int st;

	snprintf(path, sizeof path, "%s/%s", dir, tool);
	f = fopen(path, "w");
	if (!f)
		return NULL;
	fprintf(f, "#!/bin/sh\nfor a in \"$@\"; do printf '%%s\\n' \"$a\"; done > '%s/args'\n",
	        dir);
	fclose(f);
	chmod(path, 0755);
	pid = fork();
	if (pid == 0) {
		setenv("PATH", dir, 1); /* the fake tool, and neither capscope nor tcpdump else */
		if (conn)
			setenv("SSH_CONNECTION", conn, 1);
		else
			unsetenv("SSH_CONNECTION");
		execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
		_exit(126);
	}
	waitpid(pid, &st, 0);
	remove(path);
	snprintf(path, sizeof path, "%s/args", dir);
	f = fopen(path, "r");
	if (!f)
		return NULL;
	n = fread(text, 1, sizeof text - 1, f);
	text[n] = '\0';
	fclose(f);
	remove(path);
	return text;
}

static void test_far_command(void)
{
	char dir[] = "/tmp/capscope-remote-XXXXXX", cmd[REMOTE_CMD_MAX], err[200], pwn[600];
	const char *hostile = "x'$(touch PWN)'`touch PWN`;\"touch PWN\"\\";
	struct remote_url u = {0};
	struct remote_capture c = {.filter = "tcp and port 80", .snaplen = 100, .promisc = true};
	char *got;

	if (!mkdtemp(dir)) {
		check_skip("no temporary folder for the far command's run");
		return;
	}
	snprintf(u.adapter, sizeof u.adapter, "%s", hostile);
	snprintf(pwn, sizeof pwn, "%s/PWN", dir);
	CHECK_EQ_INT(chdir(dir), 0);
	CHECK_EQ_INT(remote_capture_cmd(&u, &c, cmd, sizeof cmd, err, sizeof err), 0);
	got = run_far(dir, "tcpdump", cmd, "198.18.0.1 40000 198.18.0.2 22");
	CHECK_EQ_STR(got, "-U\n-w\n-\n-i\nx'$(touch PWN)'`touch PWN`;\"touch PWN\"\\\n-s\n100\n--\n"
	                  "(tcp and port 80) and not (host 198.18.0.1 and host 198.18.0.2 and tcp"
	                  " port 40000 and tcp port 22)\n");
	CHECK(access(pwn, F_OK) != 0); /* nothing of the name ran */
	/* capscope there is preferred; no filter and no SSH_CONNECTION: no filter words */
	c = (struct remote_capture){.promisc = false, .immediate = true};
	snprintf(u.adapter, sizeof u.adapter, "cs1");
	CHECK_EQ_INT(remote_capture_cmd(&u, &c, cmd, sizeof cmd, err, sizeof err), 0);
	got = run_far(dir, "capscope", cmd, NULL);
	CHECK_EQ_STR(got, "-i\ncs1\n-w\n-\n-p\n--immediate\n--\n");
	/* a filter alone with SSH_CONNECTION unset stays as given */
	c.filter = "udp";
	CHECK_EQ_INT(remote_capture_cmd(&u, &c, cmd, sizeof cmd, err, sizeof err), 0);
	got = run_far(dir, "tcpdump", cmd, NULL);
	CHECK_EQ_STR(got, "-U\n-w\n-\n-i\ncs1\n-p\n--immediate-mode\n--\nudp\n");
	CHECK(chdir("/") == 0 && rmdir(dir) == 0);
}

static void test_words(void)
{
	char *argv[REMOTE_ARGV_MAX], store[REMOTE_WORDS_BYTES], err[200];
	struct remote_url u;

	CHECK_EQ_INT(remote_split_words("ssh  -F \"/tmp/a b/c\\\"fg\" -o 'X=1 2'", argv,
	                                REMOTE_ARGV_MAX, store, sizeof store, err, sizeof err),
	             5);
	CHECK_EQ_STR(argv[2], "/tmp/a b/c\"fg");
	CHECK_EQ_STR(argv[4], "X=1 2");
	CHECK(argv[5] == NULL);
	CHECK_EQ_INT(remote_split_words("ssh 'open", argv, REMOTE_ARGV_MAX, store, sizeof store,
	                                err, sizeof err),
	             -1);
	CHECK_EQ_INT(
	    remote_split_words("   ", argv, REMOTE_ARGV_MAX, store, sizeof store, err, sizeof err),
	    -1);
	CHECK_EQ_INT(remote_url_parse("ssh://al@far:2200/cs1", true, &u, err, sizeof err), 0);
	CHECK_EQ_INT(remote_ssh_argv("ssh -F cfg", &u, "CMD", argv, REMOTE_ARGV_MAX, store,
	                             sizeof store, err, sizeof err),
	             0);
	const char *want[] = {"ssh", "-F", "cfg",  "-o", "BatchMode=yes", "-T", "-l",
	                      "al",  "-p", "2200", "--", "far",           "CMD"};
	for (size_t i = 0; i < sizeof want / sizeof want[0]; i++)
		CHECK_EQ_STR(argv[i], want[i]);
	CHECK(argv[sizeof want / sizeof want[0]] == NULL);
	CHECK_EQ_INT(remote_ssh_argv(NULL, &u, "CMD", argv, REMOTE_ARGV_MAX, store, sizeof store,
	                             err, sizeof err),
	             0);
	CHECK_EQ_STR(argv[0], "ssh");
}

static void test_explain(void)
{
	char out[SOURCE_ERRLEN];

	CHECK_EQ_INT(remote_explain("ssh://far", "cs1", "Host key verification failed.\r\n", 255,
	                            out, sizeof out),
	             SRC_ERR_OTHER);
	CHECK(strstr(out, "ssh://far: host key verification failed") != NULL);
	CHECK_EQ_INT(remote_explain("ssh://far", "cs1",
	                            "root@far: Permission denied (publickey).\n", 255, out,
	                            sizeof out),
	             SRC_ERR_PERM);
	CHECK(strstr(out, "never asks for a password") && strstr(out, "(publickey)"));
	CHECK_EQ_INT(remote_explain("ssh://far", "nope",
	                            "tcpdump: nope: No such device exists\n(SIOCGIFHWADDR: No such"
	                            " device)\n" REMOTE_MARK_ADAPTERS " cs0 cs1 lo \n",
	                            1, out, sizeof out),
	             SRC_ERR_NODEV);
	CHECK_EQ_STR(out, "ssh://far: no adapter 'nope' there; its adapters: cs0 cs1 lo");
	CHECK_EQ_INT(remote_explain("ssh://far", "cs1",
	                            "tcpdump: cs1: You don't have permission to"
	                            " capture on that device\n",
	                            1, out, sizeof out),
	             SRC_ERR_PERM);
	CHECK(strstr(out, "--remote-sudo") != NULL);
	CHECK_EQ_INT(
	    remote_explain("ssh://far", "cs1", REMOTE_MARK_NOTOOL "\n", 127, out, sizeof out),
	    SRC_ERR_OTHER);
	CHECK(strstr(out, "neither capscope nor tcpdump") != NULL);
	remote_explain("ssh://far", "cs1",
	               "ssh: connect to host far port 2: Connection refused\r\n", 255, out,
	               sizeof out);
	CHECK_EQ_STR(out, "ssh://far: cannot connect: ssh: connect to host far port 2: Connection"
	                  " refused");
	remote_explain("ssh://far", "cs1", "\x1b]0;evil\x07 said\n\n", 3, out, sizeof out);
	CHECK_EQ_STR(out, "ssh://far: ssh exited with status 3: \\x1b]0;evil\\x07 said");
	CHECK(!strchr(out, '\x1b'));
}

static void test_list(void)
{
	static const char text[] =
	    "1.cs1 [Up, Running, Connected]\n"
	    "2.any (Pseudo-device that captures on all interfaces) [Up, Running]\n"
	    "3.lo [Up, Running, Loopback]\n"
	    "4.bluetooth-monitor (Bluetooth Linux Monitor) [Wireless]\n"
	    "garbage line\n" REMOTE_MARK_ADDRS "\n"
	    "1: lo    inet 127.0.0.1/8 scope host lo\\       valid_lft forever\n"
	    "5: cs1    inet 198.18.0.2/24 brd 198.18.0.255 scope global cs1\\       valid_lft\n"
	    "5: cs1    inet6 fe80::1/64 scope link \\       valid_lft forever\n"
	    "9: unknown    inet 10.0.0.1/8 scope global\n"
	    "x: cs1 inet 999.1.1.1/8\n";
	struct adapter_list l;
	char t[64];

	CHECK_EQ_INT(remote_list_parse(text, sizeof text - 1, &l), 0);
	CHECK_EQ_INT(l.n, 4);
	if (l.n != 4)
		return;
	CHECK_EQ_STR(l.v[0].name, "cs1");
	CHECK(l.v[0].description == NULL);
	CHECK_EQ_INT(l.v[0].flags, AD_UP | AD_RUNNING);
	CHECK_EQ_INT(l.v[0].conn, AD_CONN_CONNECTED);
	CHECK_EQ_INT(l.v[0].naddrs, 2);
	adapter_addr_text(4, l.v[0].addrs[0].addr, t, sizeof t);
	CHECK_EQ_STR(t, "198.18.0.2");
	adapter_addr_text(4, l.v[0].addrs[0].netmask, t, sizeof t);
	CHECK_EQ_STR(t, "255.255.255.0");
	adapter_addr_text(4, l.v[0].addrs[0].broadcast, t, sizeof t);
	CHECK_EQ_STR(t, "198.18.0.255");
	CHECK_EQ_INT(l.v[0].addrs[1].family, 6);
	CHECK_EQ_STR(l.v[1].description, "Pseudo-device that captures on all interfaces");
	CHECK_EQ_INT(l.v[2].flags, AD_UP | AD_RUNNING | AD_LOOPBACK);
	CHECK_EQ_INT(l.v[2].naddrs, 1);
	CHECK_EQ_INT(l.v[3].flags, AD_WIRELESS);
	adapter_list_free(&l);
}

/* capscope -D's own text, as a far capscope writes it */
static void test_list_capscope(void)
{
	static const char text[] =
	    "1. csr (No description available)\n"
	    "   flags: up, running, connected\n"
	    "   link type: EN10MB\n"
	    "   inet 198.18.0.2  netmask 255.255.255.0  broadcast 198.18.0.255\n"
	    "2. lo (Loopback device)\n"
	    "   flags: up, running, loopback, not applicable\n"
	    "   inet 127.0.0.1  netmask 255.0.0.0\n";
	struct adapter_list l;
	char t[64];

	CHECK_EQ_INT(remote_list_parse(text, sizeof text - 1, &l), 0);
	CHECK_EQ_INT(l.n, 2);
	if (l.n != 2)
		return;
	CHECK_EQ_STR(l.v[0].name, "csr");
	CHECK(l.v[0].description == NULL);
	CHECK_EQ_INT(l.v[0].flags, AD_UP | AD_RUNNING);
	CHECK_EQ_INT(l.v[0].conn, AD_CONN_CONNECTED);
	CHECK_EQ_INT(l.v[0].naddrs, 1);
	adapter_addr_text(4, l.v[0].addrs[0].netmask, t, sizeof t);
	CHECK_EQ_STR(t, "255.255.255.0");
	CHECK(l.v[0].addrs[0].has_broadcast && !l.v[0].addrs[0].has_dest);
	CHECK_EQ_STR(l.v[1].description, "Loopback device");
	CHECK_EQ_INT(l.v[1].flags, AD_UP | AD_RUNNING | AD_LOOPBACK);
	CHECK_EQ_INT(l.v[1].conn, AD_CONN_NA);
	adapter_list_free(&l);
}

/* Hostile output: no end of adapters, long lines, NUL and control bytes: bounded. */
static void test_list_hostile(void)
{
	size_t cap = REMOTE_LIST_MAX_BYTES * 2, n = 0;
	char *text = malloc(cap);
	struct adapter_list l;

	if (!text) {
		check_skip("no memory for the hostile list");
		return;
	}
	while (n + 40 < cap)
		n += (size_t)snprintf(text + n, cap - n, "%zu.e%zu\x1b[2J (\x01) [Up]\n", n, n);
	CHECK_EQ_INT(remote_list_parse(text, n, &l), 0);
	CHECK_EQ_INT(l.n, REMOTE_LIST_MAX_ADAPTERS);
	adapter_list_free(&l);
	memset(text, 'A', cap);
	memcpy(text, "1.", 2);
	text[1000] = '\0';
	CHECK_EQ_INT(remote_list_parse(text, cap, &l), 0);
	CHECK_EQ_INT(l.n, 1);
	if (l.n == 1)
		CHECK(strlen(l.v[0].name) <= 255);
	adapter_list_free(&l);
	free(text);
}

int main(void)
{
	test_urls();
	test_quote();
	test_far_command();
	test_words();
	test_explain();
	test_list();
	test_list_capscope();
	test_list_hostile();
	return check_done();
}
