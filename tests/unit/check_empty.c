/* check_empty.c - a unit test that runs no check: check_done() must fail it (see
 * tests/CMakeLists.txt, unit/check_done_without_checks). */
#include "check.h"

int main(void)
{
	return check_done();
}
