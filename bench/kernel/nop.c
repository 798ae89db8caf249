/* nop: does nothing and exits 0; exec_bench runs it, and the bench tool boots the kernel with it. */
int main(void)
{
    return 0;
}
