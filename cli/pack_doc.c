/* pack_doc.c - sa pack doc: a pack's reference as Markdown or HTML (sa_pack_doc). */
#include "cli.h"

#include <string.h>

int cli_pack_doc(const char *pack_path, const char *id, sa_date on, const char *format)
{
	char *out;
	if (sa_pack_doc(&out, pack_path, id, on, strcmp(format, "html") == 0 ? SA_DOC_HTML : 0) < 0)
		return cli_error(id);
	fputs(out, stdout);
	sa_free(out);
	return 0;
}
