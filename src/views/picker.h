/*
 * picker.h - the adapter picker (views/picker.c) in its second role: choosing the adapter
 * to send to. UI thread only.
 */
#ifndef CAPSCOPE_PICKER_H
#define CAPSCOPE_PICKER_H

#include "views/view.h"

/* Opens the adapter picker to choose where to send: Enter closes it and calls chosen with
 * the adapter's name and link type (-1: unknown); Esc closes it without a call. */
typedef int (*picker_target_fn)(struct app *a, const char *name, int dlt);
void picker_choose_target(struct app *a, picker_target_fn chosen);

#endif
