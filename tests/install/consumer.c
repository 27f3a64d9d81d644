/* A program outside the tree that finds an installed libsa by find_package or pkg-config. */
#include <sa.h>
#include <stdio.h>
#include <string.h>

int main(void)
{
	sa_fen fen = 0;
	if (strcmp(sa_version(), SA_VERSION) != 0)
		return 1;
	if (sa_money_parse(&fen, "744.50") != SA_OK || fen != 74450)
		return 1;
	printf("consumer ok %s\n", sa_version());
	return 0;
}
