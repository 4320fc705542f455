/* send_job.c - replay and send on a worker thread (see send_job.h). */
#include "capture/send_job.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct send_job {
	pthread_t thread;
	char *iface, *path;
	struct replay_opts ro;
	struct send_frame *frames; /* pointing into data */
	uint8_t *data;
	unsigned n;
	atomic_bool stop;
	pthread_mutex_t lock; /* guards prog, done, rc and err */
	struct replay_progress prog;
	bool done;
	int rc;
	char err[SEND_JOB_ERRLEN];
};

static void on_progress(const struct replay_progress *p, void *arg)
{
	struct send_job *j = arg;

	pthread_mutex_lock(&j->lock);
	j->prog = *p;
	pthread_mutex_unlock(&j->lock);
}

static bool stop_requested(void *arg)
{
	return atomic_load(&((struct send_job *)arg)->stop);
}

static int replay(struct send_job *j, struct sender *snd, struct replay_progress *fin, char *err)
{
	struct replay_hooks h = {.progress = on_progress, .stop = stop_requested, .arg = j};
	struct replay_file *f = replay_load(j->path, REPLAY_MAX_BYTES, err);
	int rc;

	if (!f)
		return -1;
	rc = stop_requested(j) ? 1 : replay_run(f, &j->ro, send_target(snd), &h, fin, err);
	replay_free(f);
	return rc;
}

static int send_frames(struct send_job *j, struct sender *snd, struct replay_progress *fin,
                       char *err)
{
	int rc = send_repeat(send_target(snd), j->frames, j->n, 1, stop_requested, j, &fin->sent,
	                     &fin->failed, err);

	fin->total = j->n;
	fin->done = true;
	return rc < 0 ? -1 : stop_requested(j) ? 1 : 0;
}

static void *job_main(void *arg)
{
	struct send_job *j = arg;
	struct replay_progress fin = {0};
	char err[SEND_JOB_ERRLEN > SEND_ERRLEN ? SEND_JOB_ERRLEN : SEND_ERRLEN] = "";
	struct sender *snd = send_open(j->iface, err);
	int rc = -1;

	if (snd) {
		rc = j->path ? replay(j, snd, &fin, err) : send_frames(j, snd, &fin, err);
		send_close(snd);
	}
	pthread_mutex_lock(&j->lock);
	j->prog = fin;
	j->rc = rc;
	snprintf(j->err, sizeof j->err, "%s", err);
	j->done = true;
	pthread_mutex_unlock(&j->lock);
	return NULL;
}

static int copy_frames(struct send_job *j, const struct send_frame *f, unsigned n)
{
	size_t total = 0, off = 0;

	for (unsigned i = 0; i < n; i++)
		total += f[i].len;
	j->frames = calloc(n ? n : 1, sizeof *j->frames);
	j->data = malloc(total ? total : 1);
	if (!j->frames || !j->data)
		return -1;
	for (unsigned i = 0; i < n; i++) {
		memcpy(j->data + off, f[i].data, f[i].len);
		j->frames[i] = (struct send_frame){.data = j->data + off, .len = f[i].len};
		off += f[i].len;
	}
	j->n = n;
	return 0;
}

static void job_free(struct send_job *j)
{
	free(j->iface);
	free(j->path);
	free(j->frames);
	free(j->data);
	free(j);
}

struct send_job *send_job_start(const struct send_job_spec *s, char *err)
{
	struct send_job *j = calloc(1, sizeof *j);

	if (!j || !(j->iface = strdup(s->iface)) || (s->path && !(j->path = strdup(s->path))) ||
	    (!s->path && copy_frames(j, s->frames, s->n) < 0)) {
		if (j)
			job_free(j);
		snprintf(err, SEND_JOB_ERRLEN, "out of memory: nothing was sent");
		return NULL;
	}
	j->ro = s->ro;
	atomic_init(&j->stop, false);
	pthread_mutex_init(&j->lock, NULL);
	if (pthread_create(&j->thread, NULL, job_main, j) != 0) {
		pthread_mutex_destroy(&j->lock);
		job_free(j);
		snprintf(err, SEND_JOB_ERRLEN, "cannot start a thread for sending");
		return NULL;
	}
	return j;
}

bool send_job_poll(struct send_job *j, struct replay_progress *p)
{
	bool done;

	pthread_mutex_lock(&j->lock);
	*p = j->prog;
	done = j->done;
	pthread_mutex_unlock(&j->lock);
	return done;
}

void send_job_stop(struct send_job *j)
{
	atomic_store(&j->stop, true);
}

int send_job_join(struct send_job *j, struct replay_progress *final, char *err)
{
	int rc;

	pthread_join(j->thread, NULL);
	rc = j->rc;
	if (final)
		*final = j->prog;
	snprintf(err, SEND_JOB_ERRLEN, "%s", j->err);
	pthread_mutex_destroy(&j->lock);
	job_free(j);
	return rc;
}
