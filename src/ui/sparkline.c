/* sparkline.c - a rate history as ASCII levels (see sparkline.h). */
#include "ui/sparkline.h"

#include <string.h>

static const char levels[] = "_.-=#"; /* zero, then four steps up to the window's peak */

void sparkline_feed(struct sparkline *s, uint64_t counter, uint64_t dt_ns)
{
	bool valid = s->have_last && counter >= s->last && dt_ns > 0;

	s->unavailable = false;
	if (valid) {
		if (s->n == SPARKLINE_LEN)
			memmove(s->rate, s->rate + 1, (SPARKLINE_LEN - 1) * sizeof s->rate[0]);
		else
			s->n++;
		s->rate[s->n - 1] = (double)(counter - s->last) * 1e9 / (double)dt_ns;
	}
	s->last = counter;
	s->have_last = true;
}

void sparkline_missing(struct sparkline *s)
{
	s->unavailable = true;
	s->have_last = false;
}

double sparkline_last(const struct sparkline *s)
{
	return s->n && !s->unavailable ? s->rate[s->n - 1] : -1;
}

static char level(double v, double peak)
{
	int k;

	if (v <= 0 || peak <= 0)
		return levels[0];
	k = 1 + (int)(v * 4 / peak);
	return levels[k > 4 ? 4 : k];
}

void sparkline_text(const struct sparkline *s, char *out, size_t w)
{
	size_t shown = s->unavailable ? 0 : (s->n < w ? s->n : w);
	double peak = 0;

	memset(out, ' ', w);
	out[w] = '\0';
	for (size_t i = s->n - shown; i < s->n; i++)
		if (s->rate[i] > peak)
			peak = s->rate[i];
	for (size_t i = 0; i < shown; i++)
		out[w - shown + i] = level(s->rate[s->n - shown + i], peak);
}
