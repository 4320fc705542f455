/* console_size.c - for test_wine_tui.sh: prints the console's window size (columns x rows)
 * every 200 ms for the given number of seconds, to find out whether wine's console follows
 * the terminal's size (wine 8's does not: a resize cannot be tested through it). */
#include <stdio.h>
#include <stdlib.h>
#include <windows.h>

int main(int argc, char **argv)
{
	HANDLE h = GetStdHandle(STD_OUTPUT_HANDLE);
	int n = argc > 1 ? atoi(argv[1]) * 5 : 25;

	for (int i = 0; i < n; i++) {
		CONSOLE_SCREEN_BUFFER_INFO b;

		if (GetConsoleScreenBufferInfo(h, &b))
			fprintf(stderr, "%dx%d\n", b.srWindow.Right - b.srWindow.Left + 1,
			        b.srWindow.Bottom - b.srWindow.Top + 1);
		Sleep(200);
	}
	return 0;
}
