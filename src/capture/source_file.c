/*
 * source_file.c - capture files and the stdin stream. Both are opened at nanosecond
 * precision (nothing lost) after peeking the header for the native precision; filters run
 * in user space (source.c checks s->prog), since there is no kernel to run them.
 */
#include "capture/source_int.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/name_escape.h"
#include "capture/stream.h"
#include "capture/tsprec.h"

#define FILE_IOBUF_BYTES (256u << 10)

static enum source_err file_fail(struct source *s, const char *reason, char *err)
{
	char ename[SOURCE_NAME_MAX];

	if (s->ops->kind == SOURCE_STREAM)
		snprintf(err, SOURCE_ERRLEN, "capscope: cannot read standard input: %s", reason);
	else
		snprintf(err, SOURCE_ERRLEN, "capscope: cannot read '%s': %s",
		         name_escape(s->name, ename, sizeof(ename)), reason);
	return SRC_ERR_FILE;
}

/* Hands fp (owned) to libpcap; libpcap closes it with the handle. libpcap's reasons for
 * refusing a file (bad magic, truncated header, snaplen 0...) are passed through. */
static enum source_err open_pcap(struct source *s, FILE *fp, char *err)
{
	char ebuf[PCAP_ERRBUF_SIZE] = "";

	s->pcap = pcap_fopen_offline_with_tstamp_precision(fp, PCAP_TSTAMP_PRECISION_NANO, ebuf);
	if (s->pcap == NULL) {
		if (fp != stdin)
			fclose(fp);
		return file_fail(s, ebuf, err);
	}
	s->nano = pcap_get_tstamp_precision(s->pcap) == PCAP_TSTAMP_PRECISION_NANO;
	return SRC_OK;
}

static size_t file_read(void *ctx, uint8_t *dst, size_t n)
{
	return fread(dst, 1, n, ctx);
}

/* Seekable files: peek the header, then rewind. */
static int peek_and_rewind(FILE *fp, int *tsprec)
{
	struct tsprec_peek pk = {0};

	*tsprec = tsprec_sniff(file_read, fp, &pk);
	free(pk.buf);
	if (*tsprec < 0) {
		errno = ENOMEM;
		return -1;
	}
	return fseek(fp, 0, SEEK_SET);
}

/* libpcap reads each record with two fread()s; with stdio's default 4 KiB buffer that is a
 * read() syscall per 4 KiB (160,000 for a 650 MB file). A larger buffer, set before the first
 * read as C requires, cuts that to one per FILE_IOBUF_BYTES. Optional: on failure the default
 * buffer is kept. */
static void enlarge_buffer(struct source *s, FILE *fp)
{
	s->iobuf = malloc(FILE_IOBUF_BYTES);
	if (s->iobuf != NULL && setvbuf(fp, s->iobuf, _IOFBF, FILE_IOBUF_BYTES) != 0) {
		free(s->iobuf);
		s->iobuf = NULL;
	}
}

static enum source_err file_open(struct source *s, const struct source_opts *o, char *err)
{
	char ebuf[PCAP_ERRBUF_SIZE];
	FILE *fp = stream_fopen(o->name, false);

	if (fp == NULL)
		return file_fail(s, strerror(errno), err);
	enlarge_buffer(s, fp);
	if (fseek(fp, 0, SEEK_SET) != 0) { /* a pipe given by name, e.g. <(tcpdump -w -) */
		fp = stream_wrap(fp, &s->tsprec, ebuf, sizeof(ebuf));
		if (fp == NULL)
			return file_fail(s, ebuf, err);
	} else if (peek_and_rewind(fp, &s->tsprec) != 0) {
		fclose(fp);
		return file_fail(s, strerror(errno), err);
	}
	return open_pcap(s, fp, err);
}

static enum source_err stream_open(struct source *s, const struct source_opts *o, char *err)
{
	char ebuf[PCAP_ERRBUF_SIZE];
	FILE *fp = stream_wrap(stdin, &s->tsprec, ebuf, sizeof(ebuf));

	(void)o;
	if (fp == NULL)
		return file_fail(s, ebuf, err);
	return open_pcap(s, fp, err);
}

enum source_err source_install_user(struct source *s, struct bpf_program *prog, char *err)
{
	(void)err;
	if (s->user_filter)
		pcap_freecode(&s->prog);
	s->prog = *prog;
	s->user_filter = true;
	return SRC_OK;
}

const struct source_ops source_file_ops = {
    .kind = SOURCE_FILE,
    .verb = "reading",
    .open = file_open,
    .install = source_install_user,
    .stats = NULL,
};

const struct source_ops source_stream_ops = {
    .kind = SOURCE_STREAM,
    .verb = "reading",
    .open = stream_open,
    .install = source_install_user,
    .stats = NULL,
};
