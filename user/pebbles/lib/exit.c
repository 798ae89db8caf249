/* exit and abort (stdlib.h). */
#include <stdlib.h>
#include <syscall.h>

void exit(int status)
{
    set_status(status);
    vanish();
}

void abort(void)
{
    task_vanish(-1);
}
