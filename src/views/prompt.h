/*
 * prompt.h - questions on the line above the status bar (views/prompt.c): open a file, go
 * to a packet, confirm quitting, and general questions for the actions. UI thread only.
 */
#ifndef CAPSCOPE_PROMPT_H
#define CAPSCOPE_PROMPT_H

#include "views/view.h"

enum prompt_kind { PROMPT_OPEN, PROMPT_GOTO, PROMPT_CONFIRM_QUIT, PROMPT_ASK };
/* Opens the prompt of kind k (PROMPT_ASK: use prompt_ask). */
void prompt_start(struct app *a, enum prompt_kind k);

/* A general prompt (PROMPT_ASK): label and initial text are copied. Enter calls done with
 * the text ("y" or "n" for PI_YESNO, which any key answers); the prompt then closes unless
 * done called prompt_error() (stay open for a correction) or prompt_ask() (the next
 * question). Esc closes it without calling done. */
enum prompt_input { PI_TEXT, PI_PATH /* Tab completes */, PI_DIGITS, PI_YESNO };
struct prompt_spec {
	const char *label;
	enum prompt_input input;
	const char *initial;                          /* may be NULL */
	int (*done)(struct app *a, const char *text); /* returns enum react flags */
};
void prompt_ask(struct app *a, const struct prompt_spec *spec);
void prompt_error(struct app *a, const char *msg);

#endif
