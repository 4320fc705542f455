/*
 * stream_win32.c - stream.h for Windows: the stream is handed to wpcap as it is (in binary
 * mode) without peeking, since a FILE cannot be given a replay prefix here; libpcap still
 * delivers nanosecond timestamps when the stream has them, only the reported native
 * precision falls back to microseconds.
 */
#include "capture/stream.h"

#include <fcntl.h>
#include <io.h>
#include <pcap/pcap.h>

FILE *stream_wrap(FILE *src, int *tsprec, char *err, size_t errlen)
{
	(void)err;
	(void)errlen;
	_setmode(_fileno(src), _O_BINARY);
	*tsprec = 6;
	return src;
}

FILE *stream_fopen(const char *path, bool write)
{
	return fopen(path, write ? "wb" : "rb");
}

FILE *stream_stdout_dup(void)
{
	int fd;
	FILE *f;

	fflush(stdout);
	fd = _dup(_fileno(stdout));
	if (fd < 0)
		return NULL;
	_setmode(fd, _O_BINARY);
	f = _fdopen(fd, "wb");
	if (f == NULL)
		_close(fd);
	return f;
}

uint64_t stream_record_pos(FILE *libpcap_stream)
{
	(void)libpcap_stream; /* wpcap's CRT stream: not ours to query */
	return UINT64_MAX;
}

int stream_dump_close(struct pcap_dumper *pd, FILE *fp)
{
	(void)fp; /* wpcap's dumper writes through its own stream on fp's handle */
	pcap_dump_close(pd);
	return 0;
}
